import type { OverlayItem } from './item-model';

/** The overlay's search within a company: every word must appear in the title, subtitle or a field value (connected fields included). */
export function itemMatches(item: OverlayItem, query: string): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = [item.title, item.subtitle ?? '', ...item.fields.map((field) => field.value)].join(' ').toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}
