import { useState } from 'react';
import type { OverlayItem } from '@/lib/items/item-model';
import { onTrusted } from '@/lib/content/gesture';

/** A record's fields, each copyable when the view says so. */
export function ItemFields({ item }: { item: OverlayItem }) {
  if (!item.fields.length) return null;
  return (
    <dl className="sc-fields">
      {item.fields.map((field) => (
        <div key={field.label} className="sc-field">
          <dt>{field.label}</dt>
          <dd>
            <span>{field.value}</span>
            {field.copy ? <CopyButton label={field.label} value={field.value} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Copies one value; only for a real click (the PSA page cannot press it through the frame). */
function CopyButton({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="sc-copy"
      aria-label={`Copy ${label}`}
      onClick={onTrusted(() => {
        void navigator.clipboard.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      })}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
