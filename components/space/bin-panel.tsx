import type { BinnedView } from '@/lib/documents/read';
import { StatusMessage } from '@/components/ui/status-message';
import { useRequestAction } from '@/components/ui/use-action';
import { Stamp } from './stamp';
import { Button } from '@/components/ui/button';

const KIND_LABELS: Record<string, string> = { article: 'Article', note: 'Note', credential: 'Credential' };

/** What was deleted here in the last 30 days, restorable until then. */
export function BinPanel({ binned }: { binned: BinnedView[] }) {
  const restoring = useRequestAction('docs.unbin', { success: () => 'Restored.' });
  if (!binned.length) return null;
  return (
    <section aria-labelledby="bin-heading" data-testid="space-bin">
      <h2 id="bin-heading">Bin</h2>
      <p className="muted">Deleted notes, articles and credentials stay here for 30 days, then go for good.</p>
      <ul className="doc-list">
        {binned.map((item) => (
          <li key={item.id} className="doc-item" data-testid="bin-item">
            <strong>{KIND_LABELS[item.kind] ?? item.kind}:</strong> {item.label}
            <Stamp by={item.binnedBy} at={item.binnedAt} verb="Deleted" />
            <Button type="button" className="secondary" disabled={restoring.isPending} onClick={() => void restoring.run({ id: item.id, baseRev: item.rev })}>
              Restore
            </Button>
          </li>
        ))}
      </ul>
      <StatusMessage status={restoring.status} testId="bin-result" />
    </section>
  );
}
