import { z } from 'zod';

/**
 * The kinds of value a layout's custom field holds when a technician fills it by hand (issue #14).
 * A field connected to a PSA field shows the PSA's value instead and takes no hand value.
 */
export const FIELD_TYPES = ['text', 'multiline', 'number', 'date', 'url', 'yesno', 'choice'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  text: 'Text',
  multiline: 'Multi-line text',
  number: 'Number',
  date: 'Date',
  url: 'Web address',
  yesno: 'Yes/no',
  choice: 'One from a list',
};

export const MAX_CHOICES = 50;
export const CHOICE_MAX = 200;

/** As the protocol and the setup file carry a field's type (absent: text). */
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export const choicesSchema = z.array(z.string().max(1000)).max(1000);

/** A field's type and list, tidied (choices trimmed, blanks dropped), or why not. */
export function fieldTypeProblem(field: { name: string; type?: FieldType | undefined; options?: readonly string[] | undefined }): string | undefined {
  if (field.type !== 'choice') return field.options?.length ? `Only a "one from a list" field has choices ("${field.name}").` : undefined;
  const choices = tidyChoices(field.options ?? []);
  if (!choices.length) return `Give "${field.name}" at least one choice.`;
  if (choices.length > MAX_CHOICES) return `"${field.name}" has more than ${MAX_CHOICES} choices.`;
  const long = choices.find((choice) => choice.length > CHOICE_MAX);
  if (long) return `A choice of "${field.name}" is over ${CHOICE_MAX} characters.`;
  const seen = new Set<string>();
  for (const choice of choices) {
    if (seen.has(choice.toLowerCase())) return `"${choice}" is listed twice in "${field.name}".`;
    seen.add(choice.toLowerCase());
  }
  return undefined;
}

export const tidyChoices = (options: readonly string[]) => options.map((option) => option.trim().replace(/\s+/g, ' ')).filter(Boolean);
