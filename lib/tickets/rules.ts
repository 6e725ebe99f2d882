import { z } from 'zod';
import { TICKET_FIELD_VARIABLES, type TicketFieldVariable } from '../psa/ticket-writer';

/**
 * Ticket rules (#16, Helpdesk Buttons' custom rules) as data: each rule's conditions test the
 * ticket's variables, its actions set a field variable or append text to the message. Rules run in
 * order; for each variable the first rule that sets it wins; every matching rule's append is kept.
 * No code strings and no `eval`: a condition is a variable, an operator and a value.
 */

/** Variables a rule may set (the PSA fields) besides reading them. */
export const WRITABLE_VARIABLES = [...TICKET_FIELD_VARIABLES, 'title', 'message'] as const;
export type WritableVariable = (typeof WRITABLE_VARIABLES)[number];

/** Variables a rule can only read: what the technician picked and what the ticket is about. */
export const READ_ONLY_VARIABLES = ['selections', 'name', 'email', 'ip', 'hostname', 'mac', 'configurationType', 'company', 'openDate', 'append'] as const;
export type ReadOnlyVariable = (typeof READ_ONLY_VARIABLES)[number];

export const RULE_VARIABLES = [...WRITABLE_VARIABLES, ...READ_ONLY_VARIABLES] as const;
export type RuleVariable = (typeof RULE_VARIABLES)[number];

export const CONDITION_OPERATORS = ['is', 'is-not', 'contains', 'starts-with', 'is-empty', 'is-not-empty'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const text = (max: number) => z.string().max(max, `At most ${max} characters.`);

export const ruleConditionSchema = z.object({
  variable: z.enum(RULE_VARIABLES),
  operator: z.enum(CONDITION_OPERATORS),
  value: text(500),
});
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const ruleActionSchema = z.discriminatedUnion('kind', [
  /** The value is a choice's name as the PSA shows it (or its id) for PSA fields; text for title and message. */
  z.object({ kind: z.literal('set'), variable: z.enum(WRITABLE_VARIABLES), value: text(2_000).min(1, 'Say what to set it to.') }),
  /** Text added to the message; `{hostname}`-style placeholders are filled from the variables. */
  z.object({ kind: z.literal('append'), value: text(2_000).min(1, 'Say what to append.') }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;

export const ticketRuleSchema = z.object({
  id: z.string().min(1).max(100),
  name: text(200),
  enabled: z.boolean(),
  /** All must hold; none: the rule always applies. */
  conditions: z.array(ruleConditionSchema).max(20, 'At most 20 conditions a rule.'),
  actions: z.array(ruleActionSchema).min(1, 'A rule needs at least one action.').max(20, 'At most 20 actions a rule.'),
});
export type TicketRule = z.infer<typeof ticketRuleSchema>;

export const ticketRulesSchema = z.array(ticketRuleSchema).max(200, 'At most 200 rules.');

/** The variables as the rules see them: text, '' when absent. */
export type RuleValues = Partial<Record<RuleVariable, string>>;

/** Why a variable has its value: which rule (1-based, as the options page numbers them). */
export interface RuleEffect {
  variable: WritableVariable;
  value: string;
  ruleIndex: number;
  ruleName: string;
}

export interface RulesOutcome {
  /** Per variable, the first matching rule's value. */
  set: Partial<Record<WritableVariable, RuleEffect>>;
  /** Every matching rule's appended text, placeholders filled, in rule order. */
  appended: { text: string; ruleIndex: number; ruleName: string }[];
  /** 1-based indexes of the rules whose conditions held. */
  matched: number[];
}

const norm = (value: string | undefined) => (value ?? '').trim().toLowerCase();

function holds(condition: RuleCondition, values: RuleValues): boolean {
  const actual = norm(values[condition.variable]);
  const expected = norm(condition.value);
  switch (condition.operator) {
    case 'is':
      // `selections` and other lists are comma-separated: "is" means one of them is.
      return actual === expected || actual.split(',').some((part) => part.trim() === expected);
    case 'is-not':
      return actual !== expected && !actual.split(',').some((part) => part.trim() === expected);
    case 'contains':
      return actual.includes(expected);
    case 'starts-with':
      return actual.startsWith(expected);
    case 'is-empty':
      return actual === '';
    case 'is-not-empty':
      return actual !== '';
  }
}

/** `{hostname}` and the like filled from the values; unknown names stay as written. */
export function fillPlaceholders(template: string, values: RuleValues): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const known = (RULE_VARIABLES as readonly string[]).includes(name);
    return known ? (values[name as RuleVariable] ?? '') : whole;
  });
}

export function evaluateRules(rules: readonly TicketRule[], values: RuleValues): RulesOutcome {
  const outcome: RulesOutcome = { set: {}, appended: [], matched: [] };
  rules.forEach((rule, index) => {
    if (!rule.enabled || !rule.conditions.every((condition) => holds(condition, values))) return;
    const ruleIndex = index + 1;
    outcome.matched.push(ruleIndex);
    for (const action of rule.actions) {
      if (action.kind === 'append') {
        outcome.appended.push({ text: fillPlaceholders(action.value, values), ruleIndex, ruleName: rule.name });
      } else if (!outcome.set[action.variable]) {
        outcome.set[action.variable] = { variable: action.variable, value: fillPlaceholders(action.value, values), ruleIndex, ruleName: rule.name };
      }
    }
  });
  return outcome;
}

/** "rule 3 (Servers)" as the tester and preview name a rule. */
export const ruleLabel = (effect: { ruleIndex: number; ruleName: string }) =>
  `rule ${effect.ruleIndex}${effect.ruleName.trim() ? ` (${effect.ruleName.trim()})` : ''}`;

export function isFieldVariable(variable: string): variable is TicketFieldVariable {
  return (TICKET_FIELD_VARIABLES as readonly string[]).includes(variable);
}
