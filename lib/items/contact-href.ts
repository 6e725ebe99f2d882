/**
 * A `tel:` or `mailto:` link for a phone number or e-mail address shown in the overlay, or
 * nothing. The values come from the PSA (untrusted), so only well-formed ones get a link, built
 * from their characters alone: nothing else can become a link's address.
 */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;
// Digits with the usual separators, an optional leading +, and an optional extension ("x123", "ext. 12").
const PHONE = /^\+?[\d\s().-]{3,}?(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i;

export function contactHref(label: string, value: string): string | undefined {
  const text = value.trim();
  if (/^e-?mail$/i.test(label)) return EMAIL.test(text) ? `mailto:${encodeURIComponent(text).replace('%40', '@')}` : undefined;
  if (/^(phone|mobile|fax|tel(ephone)?)$/i.test(label)) {
    if (!PHONE.test(text) || (text.match(/\d/g)?.length ?? 0) < 3) return undefined;
    const [number, extension] = text.split(/\s*(?:x|ext\.?)\s*/i);
    const dial = (number ?? '').replace(/[^\d+]/g, '');
    return `tel:${dial}${extension ? `;ext=${extension}` : ''}`;
  }
  return undefined;
}
