/** "12 min ago", "just now", "3 days ago". */
export function ago(at: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** "synced 12 min ago" */
export function syncedAgo(at: number | undefined, now: number): string {
  if (!at) return 'never synced';
  const when = ago(at, now);
  return when === 'just now' ? 'synced just now' : `synced ${when}`;
}
