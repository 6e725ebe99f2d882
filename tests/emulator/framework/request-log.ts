export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  at: string;
  /** From the request's arrival to its answer being ready (latency, faults and the answer's making): what the PSA took. */
  ms?: number;
}

const MAX_ENTRIES = 50_000; // bounded so a long demo session cannot grow without limit

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): LoggedRequest[] {
    return this.entries.slice();
  }

  reset(): void {
    this.entries = [];
  }
}
