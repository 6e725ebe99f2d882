/** "synced 12 min ago" */
export function syncedAgo(at: number | undefined, now: number): string {
  if (!at) return 'never synced';
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  if (minutes < 1) return 'synced just now';
  if (minutes < 60) return `synced ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `synced ${hours} h ago`;
  return `synced ${Math.floor(hours / 24)} days ago`;
}
