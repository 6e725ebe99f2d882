/**
 * What to tell the user when IndexedDB itself fails under a sync: the transaction rolled back,
 * so nothing is half-written, and the run resumes from its last commit.
 */
export function storageProblem(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  const kind = `${name} ${inner}`;
  if (/QuotaExceeded/i.test(kind)) {
    return 'Sidecar could not save: the browser’s storage is full. Free some disk space (or remove integrations you no longer use); nothing was half-written and the sync resumes from its last saved step.';
  }
  if (/DatabaseClosed|VersionChange|Blocked|InvalidState/i.test(kind)) {
    return 'Sidecar’s database was closed while another Sidecar window updated it. Nothing was half-written; the sync resumes from its last saved step.';
  }
  return `Sidecar could not save this step (${error instanceof Error ? error.message : String(error)}). Nothing was half-written; the sync resumes from its last saved step.`;
}
