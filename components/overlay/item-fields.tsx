import { useState } from 'react';
import type { OverlayItem } from '@/lib/items/item-model';
import { onTrusted } from '@/lib/content/gesture';
import { contactHref } from '@/lib/items/contact-href';

/** A record's fields, each copyable when the view says so. */
export function ItemFields({ item }: { item: OverlayItem }) {
  if (!item.fields.length) return null;
  return (
    <dl className="sc-fields">
      {item.fields.map((field) => (
        <div key={field.label} className="sc-field">
          <dt>{field.label}</dt>
          <dd>
            <FieldValue label={field.label} value={field.value} />
            {field.copy ? <CopyButton label={field.label} of={item.title} value={field.value} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A phone number or e-mail address a technician can call or write to from the overlay. */
function FieldValue({ label, value }: { label: string; value: string }) {
  const href = contactHref(label, value);
  return href ? <a href={href}>{breakable(value)}</a> : <span>{breakable(value)}</span>;
}

/**
 * A long unbroken value (an e-mail address, a URL, a MAC) may wrap after its separators, as
 * people read it ("sean.martin@" / "northwind.example.com"), rather than at any letter.
 */
function breakable(value: string) {
  if (value.length < 24 || /\s/.test(value)) return value;
  return value.split(/(?<=[@./_-])/).flatMap((part, index) => (index ? [<wbr key={index} />, part] : [part]));
}

/**
 * Copies one value; only for a real click (the PSA page cannot press it through the frame). Its
 * name says whose value it copies, and a screen reader hears "… copied" (a live region kept
 * mounted, so the change is announced).
 */
function CopyButton({ label, of, value }: { label: string; of: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        className="sc-copy"
        aria-label={`Copy ${label} of ${of}`}
        onClick={onTrusted(() => {
          void navigator.clipboard.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          });
        })}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? `${label} of ${of} copied` : ''}
      </span>
    </>
  );
}
