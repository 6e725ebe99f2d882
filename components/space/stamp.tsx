/** Who wrote something and when, as every document shows it. */
export function Stamp({ by, at, verb = 'Edited' }: { by: string; at: number; verb?: string }) {
  const when = new Date(at);
  return (
    <p className="muted stamp">
      {verb} by {by}, <time dateTime={when.toISOString()}>{when.toLocaleString()}</time>
    </p>
  );
}
