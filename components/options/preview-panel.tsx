import type { ChangePreview, ChangeKind } from '@/lib/db/change-preview';
import { Button } from '@/components/ui/button';

const VERB: Record<ChangeKind, string> = { create: 'created', update: 'updated', move: 'moved', archive: 'archived' };
const ORDER: ChangeKind[] = ['create', 'update', 'move', 'archive'];

export function previewSummary(preview: ChangePreview): string {
  const parts = ORDER.filter((kind) => preview.counts[kind]).map((kind) => `${preview.counts[kind]} ${VERB[kind]}`);
  return parts.length ? `Would be ${parts.join(', ')}.` : 'Nothing would change.';
}

/** What a change would do, with Apply and Cancel: nothing is written until Apply. */
export function PreviewPanel({
  title,
  preview,
  onApply,
  onCancel,
  busy,
}: {
  title: string;
  preview: ChangePreview;
  onApply: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const total = ORDER.reduce((sum, kind) => sum + preview.counts[kind], 0);
  return (
    <div className="preview" role="region" aria-label={title} data-testid="preview">
      <h5>{title}</h5>
      <p data-testid="preview-summary">{previewSummary(preview)}</p>
      {preview.samples.length ? (
        <ul className="preview-samples">
          {preview.samples.map((sample, index) => (
            <li key={`${sample.entity}:${sample.name}:${index}`} data-testid="preview-sample">
              <strong>{VERB[sample.change]}</strong> {sample.entity} {sample.name}
              {sample.detail ? <span className="muted"> — {sample.detail}</span> : null}
            </li>
          ))}
          {total > preview.samples.length ? <li className="muted">…and {total - preview.samples.length} more</li> : null}
        </ul>
      ) : null}
      {preview.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <div className="actions">
        <Button type="button" onClick={onApply} disabled={busy}>
          Apply
        </Button>
        <Button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
