/**
 * What Sidecar should make of emulator rows, for tests: a company is live (not archived on
 * arrival) unless deleted or in an inactive status.
 */
export const cwCompanyIsLive = (row: Record<string, unknown>): boolean =>
  !row.deletedFlag && !/inactive/i.test(String((row.status as { name?: string } | undefined)?.name ?? ''));

export const cwCompanyIdOf = (row: Record<string, unknown>): number => (row.company as { id: number }).id;
