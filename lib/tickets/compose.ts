import type { TicketChoice, TicketDraft, TicketFieldSpec, TicketFormChoices } from '../psa/ticket-writer';
import type { TicketInput } from './input';
import { evaluateRules, ruleLabel, type RuleValues, type RulesOutcome } from './rules';
import type { TicketSettings } from './settings';

/**
 * Turns what the technician typed and picked into the ticket Sidecar will send, and says why each
 * field has its value. Precedence, per field: the technician's own pick, then the first rule that
 * sets it, then the integration's default, then the PSA's default (or the company's primary site).
 * Pure: the caller brings the PSA's lists and the company's synced records.
 */

export interface ComposeRecords {
  companyName: string;
  sites: { remoteId: string; name: string; primary?: boolean }[];
  agreements: { remoteId: string; name: string }[];
  contacts: Map<string, { name: string; email?: string }>;
  configurations: Map<string, { name: string; typeName: string; ipAddress?: string; macAddress?: string }>;
}

export interface ComposeContext {
  companyRemoteId: string;
  form: TicketFormChoices;
  records: ComposeRecords;
  settings: TicketSettings;
  /** ISO-8601 UTC. */
  now: string;
  /** Unique to this ticket; kept across retries so a retry can find what an earlier attempt made. */
  marker: string;
}

export type FieldReason = 'picked' | 'rule' | 'default' | 'psa-default' | 'primary-site' | 'unset';

export interface ComposedField {
  key: string;
  label: string;
  required: boolean;
  choiceId?: string;
  choiceName?: string;
  reason: FieldReason;
  /** "rule 3 (Servers)" when a rule set it. */
  because?: string;
}

export interface ComposedTicket {
  draft: TicketDraft;
  fields: ComposedField[];
  /** Text rules appended to the message, with the rule that added each. */
  appended: { text: string; because: string }[];
  /** Refusals by field key ('title', 'person', a PSA field key); empty when the ticket can be sent. */
  errors: Record<string, string>;
  /** Set when the ticket goes to the catch-all company and contact instead of the page's. */
  filedUnderCatchAll?: { companyRemoteId: string; contactRemoteId: string; person: string };
}

/** The line that carries the marker in the ticket's details. */
export const markerLine = (marker: string) => `[Sidecar ref ${marker}]`;

export function newMarker(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `sc-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The choices a field offers for this company and the values chosen so far. */
export function choicesFor(field: TicketFieldSpec, context: Pick<ComposeContext, 'form' | 'records'>, chosen: Record<string, string>): TicketChoice[] {
  if (field.source === 'company-sites')
    return context.records.sites.map((site) => ({ id: site.remoteId, name: site.name, ...(site.primary ? { isDefault: true } : {}) }));
  if (field.source === 'company-agreements') return context.records.agreements.map((agreement) => ({ id: agreement.remoteId, name: agreement.name }));
  const all = context.form.choices[field.key] ?? [];
  if (!field.dependsOn) return all;
  const parent = chosen[field.dependsOn];
  return parent ? all.filter((choice) => choice.parentId === undefined || choice.parentId === parent) : [];
}

/** A rule names a choice by its name as the PSA shows it (any case) or by its id. */
function findChoice(choices: TicketChoice[], wanted: string): TicketChoice | undefined {
  const key = wanted.trim().toLowerCase();
  return choices.find((choice) => choice.name.trim().toLowerCase() === key) ?? choices.find((choice) => choice.id === wanted.trim());
}

function personValues(input: TicketInput, records: ComposeRecords): { name: string; email: string } {
  if (input.person.kind === 'outsider') return { name: input.person.name, email: input.person.email };
  if (input.person.kind === 'contact') {
    const contact = records.contacts.get(input.person.remoteId);
    return { name: contact?.name ?? '', email: contact?.email ?? '' };
  }
  return { name: '', email: '' };
}

/** The variables the rules read; PSA fields as the names of the values picked or defaulted so far. */
function ruleValues(input: TicketInput, context: ComposeContext, before: Record<string, TicketChoice | undefined>): RuleValues {
  const configurations = input.configurationRemoteIds.map((id) => context.records.configurations.get(id)).filter((row) => row !== undefined);
  const first = configurations[0];
  const person = personValues(input, context.records);
  const values: RuleValues = {
    title: input.title,
    message: input.message,
    selections: [...configurations.map((row) => row.name), ...(person.name ? [person.name] : [])].join(', '),
    name: person.name,
    email: person.email,
    hostname: first?.name ?? '',
    ip: first?.ipAddress ?? '',
    mac: first?.macAddress ?? '',
    configurationType: configurations.map((row) => row.typeName).join(', '),
    company: context.records.companyName,
    openDate: context.now,
  };
  for (const field of context.form.fields) if (field.variable) values[field.variable] = before[field.key]?.name ?? '';
  return values;
}

const missingMessage = (field: TicketFieldSpec) => `Choose a ${field.label.toLowerCase()}.`;

function baseChoice(field: TicketFieldSpec, choices: TicketChoice[], input: TicketInput, settings: TicketSettings) {
  const picked = input.picks[field.key];
  const pick = picked ? choices.find((choice) => choice.id === picked) : undefined;
  if (pick) return { choice: pick, reason: 'picked' as const };
  const fallback = settings.defaults[field.key];
  const byDefault = fallback ? choices.find((choice) => choice.id === fallback) : undefined;
  if (byDefault) return { choice: byDefault, reason: 'default' as const };
  const psaDefault = choices.find((choice) => choice.isDefault) ?? (field.source === 'company-sites' && choices.length === 1 ? choices[0] : undefined);
  if (psaDefault) return { choice: psaDefault, reason: field.source === 'company-sites' ? ('primary-site' as const) : ('psa-default' as const) };
  return { choice: undefined, reason: 'unset' as const };
}

export function composeTicket(input: TicketInput, context: ComposeContext): ComposedTicket {
  const errors: Record<string, string> = {};
  // First pass without rules: the values rules read (a field's own pick or default).
  const chosenIds: Record<string, string> = {};
  const before: Record<string, TicketChoice | undefined> = {};
  for (const field of context.form.fields) {
    const { choice } = baseChoice(field, choicesFor(field, context, chosenIds), input, context.settings);
    before[field.key] = choice;
    if (choice) chosenIds[field.key] = choice.id;
  }
  const values = ruleValues(input, context, before);
  const outcome: RulesOutcome = evaluateRules(context.settings.rules, values);

  const fields: ComposedField[] = [];
  const finalIds: Record<string, string> = {};
  for (const field of context.form.fields) {
    const choices = choicesFor(field, context, finalIds);
    const base = baseChoice(field, choices, input, context.settings);
    let composed: ComposedField = { key: field.key, label: field.label, required: field.required, reason: base.reason };
    if (base.choice) composed = { ...composed, choiceId: base.choice.id, choiceName: base.choice.name };
    const effect = field.variable ? outcome.set[field.variable] : undefined;
    if (effect && base.reason !== 'picked') {
      const ruled = findChoice(choices, effect.value);
      if (ruled) composed = { ...composed, choiceId: ruled.id, choiceName: ruled.name, reason: 'rule', because: ruleLabel(effect) };
      else
        errors[field.key] =
          `${ruleLabel(effect)} sets ${field.label.toLowerCase()} to “${effect.value}”, which is not one of this PSA’s ${field.label.toLowerCase()} choices.`;
    }
    if (composed.choiceId) finalIds[field.key] = composed.choiceId;
    else if (field.required && !errors[field.key]) errors[field.key] = missingMessage(field);
    fields.push(composed);
  }

  const title = input.title.trim() || (outcome.set.title?.value ?? '').trim();
  if (!title) errors.title = 'Give the ticket a title.';
  const message = input.message.trim() || (outcome.set.message?.value ?? '').trim();
  const appended = outcome.appended.map((item) => ({ text: item.text, because: ruleLabel(item) }));

  let companyRemoteId = context.companyRemoteId;
  let contactRemoteId = input.person.kind === 'contact' ? input.person.remoteId : undefined;
  let filedUnderCatchAll: ComposedTicket['filedUnderCatchAll'];
  const reporter: string[] = [];
  if (input.person.kind === 'contact' && !context.records.contacts.has(input.person.remoteId)) errors.person = 'That contact is not one of this company’s.';
  if (input.person.kind === 'outsider') {
    const person = `${input.person.name}${input.person.email ? ` <${input.person.email}>` : ''}`;
    const catchAll = context.settings.catchAll;
    if (!catchAll) errors.person = 'This person is not a contact in the PSA, and no catch-all contact is set for this integration (Options › Tickets).';
    else {
      companyRemoteId = catchAll.companyRemoteId;
      contactRemoteId = catchAll.contactRemoteId;
      filedUnderCatchAll = { ...catchAll, person };
    }
    reporter.push(`Reported by ${person} (${context.records.companyName}).`);
  }
  const details = [message, ...appended.map((item) => item.text), ...reporter, markerLine(context.marker)].filter((part) => part.trim()).join('\n\n');
  const draft: TicketDraft = {
    companyRemoteId,
    ...(contactRemoteId ? { contactRemoteId } : {}),
    configurationRemoteIds: input.configurationRemoteIds.filter((id) => context.records.configurations.has(id)),
    title,
    details,
    fields: finalIds,
    openDate: context.now,
    marker: context.marker,
  };
  if (draft.configurationRemoteIds.length !== input.configurationRemoteIds.length)
    errors.configurations = 'A chosen configuration is not one of this company’s.';
  return { draft, fields, appended, errors, ...(filedUnderCatchAll ? { filedUnderCatchAll } : {}) };
}
