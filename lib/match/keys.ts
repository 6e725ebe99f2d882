/**
 * Comparison keys for company matching. Pure string functions: each returns the key two
 * companies must share for a rule to fire, or undefined when the value cannot take part.
 */

/** Exact-name key: case-insensitive, whitespace-collapsed. */
export function exactNameKey(name: string | undefined): string | undefined {
  const key = (name ?? '').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
  return key || undefined;
}

/**
 * Legal suffixes stripped from the end of a name, as token sequences after punctuation is gone
 * ("L.L.C." is "llc" by then, "Pty. Ltd." is "pty ltd"). Longest first.
 */
const LEGAL_SUFFIXES: readonly string[][] = [
  ['pty', 'ltd'],
  ['pty', 'limited'],
  ['pvt', 'ltd'],
  ['private', 'limited'],
  ['public', 'limited', 'company'],
  ['limited', 'liability', 'company'],
  ['s', 'a'],
  ['b', 'v'],
  ...[
    'inc',
    'incorporated',
    'llc',
    'llp',
    'lllp',
    'lp',
    'ltd',
    'limited',
    'corp',
    'corporation',
    'co',
    'company',
    'cos',
    'gmbh',
    'mbh',
    'ag',
    'kg',
    'plc',
    'pty',
    'pc',
    'pllc',
    'sa',
    'sas',
    'sarl',
    'srl',
    'spa',
    'bv',
    'nv',
    'oy',
    'ab',
    'ulc',
  ].map((suffix) => [suffix]),
];

/**
 * Normalised-name key: lower case without accents, "&" as "and", punctuation gone, a leading
 * "The" and trailing legal suffixes ("Inc.", "LLC", "Pty Ltd", "GmbH", …) removed.
 * "The Contoso Co." and "Contoso" share the key "contoso"; "Contoso Pharma" does not.
 */
export function normalisedNameKey(name: string | undefined): string | undefined {
  const words = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLocaleLowerCase('en')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' and ')
    // Dots and apostrophes join ("L.L.C." -> "llc", "Margie's" -> "margies"); other punctuation separates.
    .replace(/['’.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words[0] === 'the' && words.length > 1) words.shift();
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (words.length <= suffix.length) continue;
      const tail = words.slice(words.length - suffix.length);
      if (tail.every((word, index) => word === suffix[index])) {
        words.splice(words.length - suffix.length);
        // "Smith & Co." -> "smith and": the dangling "and" goes too.
        if (words.length > 1 && words[words.length - 1] === 'and') words.pop();
        stripped = true;
        break;
      }
    }
  }
  return words.length ? words.join(' ') : undefined;
}

/**
 * Website key: the host, lower-cased, without scheme, credentials, port, path, a leading
 * "www." and a trailing dot. `https://www.contoso.com/about` and `contoso.com` share "contoso.com".
 */
export function websiteKey(website: string | undefined): string | undefined {
  let host = (website ?? '').trim().toLocaleLowerCase('en');
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  host = host.split(/[/?#\\]/, 1)[0] ?? '';
  host = host.replace(/^.*@/, '').replace(/:\d*$/, '').replace(/\.$/, '');
  host = host.replace(/^www\d*\./, '');
  // A host has a dot and nothing but host characters; anything else ("n/a", "none") is no website.
  if (!/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(host)) return undefined;
  return host;
}

/**
 * Phone key: the digits, extension dropped, the last 10 compared (country codes and trunk
 * prefixes vary between systems). Fewer than 7 digits is no phone number.
 * `(303) 555-0100` and `303.555.0100` and `+1 303 555 0100` share "3035550100".
 */
export function phoneKey(phone: string | undefined): string | undefined {
  const withoutExtension = (phone ?? '').split(/\s*(?:ext\.?|extension|x|#)\s*\d*\s*$/i)[0] ?? '';
  const digits = withoutExtension.replace(/\D/g, '');
  if (digits.length < 7 || /^0+$/.test(digits)) return undefined;
  return digits.slice(-10);
}

/** A phone key as people read it: 3035550100 -> 303-555-0100. */
export function formatPhoneKey(key: string): string {
  return key.length === 10 ? `${key.slice(0, 3)}-${key.slice(3, 6)}-${key.slice(6)}` : key;
}
