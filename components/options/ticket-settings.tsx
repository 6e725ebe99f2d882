import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Dexie from 'dexie';
import { getDb, type IntegrationRow } from '@/lib/db/schema';
import { request } from '@/lib/messaging/client';
import type { TicketFormChoices } from '@/lib/psa/ticket-writer';
import {
  CONDITION_OPERATORS,
  RULE_VARIABLES,
  WRITABLE_VARIABLES,
  evaluateRules,
  ruleLabel,
  type RuleValues,
  type TicketRule,
  type WritableVariable,
} from '@/lib/tickets/rules';
import { ticketSettingsSchema, type TicketSettings } from '@/lib/tickets/settings';
import { queryKeys } from '@/components/ui/query-keys';
import { StatusMessage } from '@/components/ui/status-message';
import { useAction } from '@/components/ui/use-action';
import { Button } from '@/components/ui/button';

const OPERATOR_WORDS: Record<(typeof CONDITION_OPERATORS)[number], string> = {
  is: 'is',
  'is-not': 'is not',
  contains: 'contains',
  'starts-with': 'starts with',
  'is-empty': 'is empty',
  'is-not-empty': 'is not empty',
};

/** The tester's inputs: what a ticket is about, as the rules read it. */
const TESTER_VARIABLES = ['configurationType', 'hostname', 'ip', 'name', 'email', 'title', 'message', 'company'] as const;

const newRule = (): TicketRule => ({
  id: crypto.randomUUID(),
  name: '',
  enabled: true,
  conditions: [{ variable: 'configurationType', operator: 'is', value: '' }],
  actions: [{ kind: 'set', variable: 'priority', value: '' }],
});

/** Synced companies of the integration, by name (the catch-all company is one of them). */
async function companyChoices(integrationId: string) {
  const rows = await getDb()
    .records.where('[integrationId+entity+sortName]')
    .between([integrationId, 'company', Dexie.minKey], [integrationId, 'company', Dexie.maxKey])
    .toArray();
  return rows.filter((row) => row.archivedAt === undefined).map((row) => ({ remoteId: row.remoteId, name: (row.data as { name: string }).name }));
}

async function contactChoices(integrationId: string, companyRemoteId: string) {
  const rows = await getDb().records.where('[integrationId+entity+companyRemoteId]').equals([integrationId, 'contact', companyRemoteId]).toArray();
  return rows
    .filter((row) => row.archivedAt === undefined)
    .map((row) => ({ remoteId: row.remoteId, name: (row.data as { name: string }).name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Tickets (#16) for one integration: what the connection test found about the right to create
 * them, the field defaults, the catch-all contact for people not in the PSA, and the custom rules
 * with a tester ("with these values, the ticket goes to queue X because rule 3").
 */
export function TicketSettingsPanel({ integration }: { integration: IntegrationRow }) {
  const client = useQueryClient();
  const [refresh, setRefresh] = useState(false);
  const loaded = useQuery({
    queryKey: [...queryKeys.ticketSettings(integration.id), refresh],
    queryFn: () => request('tickets.settings', { integrationId: integration.id, ...(refresh ? { refresh } : {}) }),
  });
  const [draft, setDraft] = useState<TicketSettings>();
  useEffect(() => {
    if (loaded.data && !draft) setDraft(loaded.data.settings);
  }, [loaded.data, draft]);
  const saving = useAction(
    async (settings: TicketSettings) => {
      const checked = ticketSettingsSchema.safeParse(settings);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        throw new Error(`${describePath(issue.path)}: ${issue.message}`);
      }
      return request('tickets.settings.save', { integrationId: integration.id, settings: checked.data });
    },
    { success: () => 'Ticket settings saved.', onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.ticketSettings(integration.id) }) },
  );

  if (loaded.isPending || !draft) return <p className="muted">Loading ticket settings…</p>;
  if (loaded.isError) return <p className="error">{loaded.error instanceof Error ? loaded.error.message : 'Ticket settings could not be read.'}</p>;
  const { form, formError, rights, supported } = loaded.data;
  if (!supported) return <p className="muted">Sidecar cannot create tickets in this PSA yet.</p>;

  return (
    <div className="sync-options" data-testid="ticket-settings">
      <h4>Tickets</h4>
      <Rights rights={rights} />
      {form ? null : (
        <p className="error" role="alert">
          The PSA’s ticket lists could not be read: {formError}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => setRefresh(true)}>
        Read the PSA’s lists again
      </button>
      {form ? <Defaults form={form} defaults={draft.defaults} onChange={(defaults) => setDraft({ ...draft, defaults })} /> : null}
      <CatchAll
        integrationId={integration.id}
        value={draft.catchAll}
        onChange={(catchAll) => setDraft({ ...draft, ...(catchAll ? { catchAll } : { catchAll: undefined }) })}
      />
      <RulesEditor form={form} rules={draft.rules} onChange={(rules) => setDraft({ ...draft, rules })} />
      <div className="actions">
        <button type="button" onClick={() => void saving.run(draft)} data-testid="ticket-settings-save">
          Save ticket settings
        </button>
      </div>
      <StatusMessage status={saving.status} testId="ticket-settings-message" />
      <RuleTester form={form} rules={draft.rules} />
    </div>
  );
}

function describePath(path: PropertyKey[]): string {
  if (path[0] === 'rules' && typeof path[1] === 'number') return `Rule ${path[1] + 1}${path[2] ? ` (${String(path[2])})` : ''}`;
  return path.map(String).join(' › ') || 'Ticket settings';
}

function Rights({ rights }: { rights?: { what: string; usedFor: string; allowed: boolean | null }[] }) {
  if (!rights?.length) return <p className="muted">Test the connection to learn whether the API user may create tickets.</p>;
  return (
    <ul data-testid="ticket-rights">
      {rights.map((right) => (
        <li key={right.what} className={right.allowed === false ? 'error' : undefined}>
          To {right.usedFor}: {right.what} —{' '}
          {right.allowed === true
            ? 'granted'
            : right.allowed === false
              ? 'not granted: give the API user this right'
              : 'the PSA cannot say before the first ticket'}
        </li>
      ))}
    </ul>
  );
}

function Defaults({
  form,
  defaults,
  onChange,
}: {
  form: TicketFormChoices;
  defaults: Record<string, string>;
  onChange: (defaults: Record<string, string>) => void;
}) {
  return (
    <fieldset>
      <legend>Defaults (a rule or the technician’s own choice overrides them)</legend>
      {form.fields
        .filter((field) => field.source === 'psa')
        .map((field) => {
          const parent = field.dependsOn ? defaults[field.dependsOn] : undefined;
          const choices = (form.choices[field.key] ?? []).filter((choice) => !field.dependsOn || choice.parentId === undefined || choice.parentId === parent);
          return (
            <label className="field" key={field.key}>
              <span>{field.label}</span>
              <select
                value={defaults[field.key] ?? ''}
                onChange={(event) => {
                  const next = { ...defaults };
                  if (event.target.value) next[field.key] = event.target.value;
                  else delete next[field.key];
                  onChange(next);
                }}
                data-testid={`ticket-default-${field.key}`}
              >
                <option value="">{field.dependsOn && !parent ? `Choose a ${field.dependsOn} default first` : 'No default (the PSA’s own)'}</option>
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id}>
                    {choice.name}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
    </fieldset>
  );
}

function CatchAll({
  integrationId,
  value,
  onChange,
}: {
  integrationId: string;
  value: TicketSettings['catchAll'];
  onChange: (value: TicketSettings['catchAll']) => void;
}) {
  const [company, setCompany] = useState(value?.companyRemoteId ?? '');
  const companies = useQuery({ queryKey: queryKeys.companyChoices(integrationId), queryFn: () => companyChoices(integrationId) });
  const contacts = useQuery({
    queryKey: queryKeys.contactChoices(integrationId, company),
    queryFn: () => contactChoices(integrationId, company),
    enabled: !!company,
  });
  return (
    <fieldset>
      <legend>Catch-all contact (the guide’s “Unregistered User”)</legend>
      <p className="hint">
        A ticket for someone who is not a contact in the PSA is filed under this contact of this company, with the person’s name and e-mail in its details.
      </p>
      <label className="field">
        <span>Catch-all company</span>
        <select
          value={company}
          onChange={(event) => {
            setCompany(event.target.value);
            onChange(undefined);
          }}
          data-testid="ticket-catch-all-company"
        >
          <option value="">None: tickets need a PSA contact</option>
          {(companies.data ?? []).map((row) => (
            <option key={row.remoteId} value={row.remoteId}>
              {row.name}
            </option>
          ))}
        </select>
      </label>
      {company ? (
        <label className="field">
          <span>Catch-all contact</span>
          <select
            value={value?.contactRemoteId ?? ''}
            onChange={(event) => onChange(event.target.value ? { companyRemoteId: company, contactRemoteId: event.target.value } : undefined)}
            data-testid="ticket-catch-all-contact"
          >
            <option value="">Choose the contact…</option>
            {(contacts.data ?? []).map((row) => (
              <option key={row.remoteId} value={row.remoteId}>
                {row.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  );
}

/** The PSA field a writable variable sets, for its choice names. */
const fieldOf = (form: TicketFormChoices | null, variable: WritableVariable) => form?.fields.find((field) => field.variable === variable);

function RulesEditor({ form, rules, onChange }: { form: TicketFormChoices | null; rules: TicketRule[]; onChange: (rules: TicketRule[]) => void }) {
  const update = (index: number, rule: TicketRule) => onChange(rules.map((other, at) => (at === index ? rule : other)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    onChange(next);
  };
  return (
    <fieldset data-testid="ticket-rules">
      <legend>Rules, in order (for each field the first rule that sets it wins; every matching rule’s text is appended)</legend>
      {rules.map((rule, index) => (
        <div className="ticket-rule" key={rule.id} data-testid="ticket-rule">
          <div className="actions">
            <strong>Rule {index + 1}</strong>
            <input
              aria-label={`Rule ${index + 1} name`}
              placeholder="Name"
              value={rule.name}
              onChange={(event) => update(index, { ...rule, name: event.target.value })}
            />
            <label>
              <input type="checkbox" checked={rule.enabled} onChange={(event) => update(index, { ...rule, enabled: event.target.checked })} /> On
            </label>
            <Button type="button" className="secondary" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move rule ${index + 1} up`}>
              Up
            </Button>
            <Button
              type="button"
              className="secondary"
              disabled={index === rules.length - 1}
              onClick={() => move(index, 1)}
              aria-label={`Move rule ${index + 1} down`}
            >
              Down
            </Button>
            <button type="button" className="secondary" onClick={() => onChange(rules.filter((_, at) => at !== index))} aria-label={`Delete rule ${index + 1}`}>
              Delete
            </button>
          </div>
          <p className="hint">When all of these hold{rule.conditions.length ? '' : ' (no condition: always)'}:</p>
          {rule.conditions.map((condition, at) => (
            <div className="actions" key={at} data-testid="ticket-rule-condition">
              <select
                aria-label="Variable"
                value={condition.variable}
                onChange={(event) =>
                  update(index, {
                    ...rule,
                    conditions: rule.conditions.map((other, i) => (i === at ? { ...other, variable: event.target.value as typeof condition.variable } : other)),
                  })
                }
              >
                {RULE_VARIABLES.map((variable) => (
                  <option key={variable}>{variable}</option>
                ))}
              </select>
              <select
                aria-label="Operator"
                value={condition.operator}
                onChange={(event) =>
                  update(index, {
                    ...rule,
                    conditions: rule.conditions.map((other, i) => (i === at ? { ...other, operator: event.target.value as typeof condition.operator } : other)),
                  })
                }
              >
                {CONDITION_OPERATORS.map((operator) => (
                  <option key={operator} value={operator}>
                    {OPERATOR_WORDS[operator]}
                  </option>
                ))}
              </select>
              {condition.operator === 'is-empty' || condition.operator === 'is-not-empty' ? null : (
                <input
                  aria-label="Value"
                  value={condition.value}
                  onChange={(event) =>
                    update(index, { ...rule, conditions: rule.conditions.map((other, i) => (i === at ? { ...other, value: event.target.value } : other)) })
                  }
                />
              )}
              <button type="button" className="secondary" onClick={() => update(index, { ...rule, conditions: rule.conditions.filter((_, i) => i !== at) })}>
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => update(index, { ...rule, conditions: [...rule.conditions, { variable: 'hostname', operator: 'contains', value: '' }] })}
          >
            Add condition
          </button>
          <p className="hint">Then:</p>
          {rule.actions.map((action, at) => {
            const setAction = (next: TicketRule['actions'][number]) =>
              update(index, { ...rule, actions: rule.actions.map((other, i) => (i === at ? next : other)) });
            const field = action.kind === 'set' ? fieldOf(form, action.variable) : undefined;
            const listId = `ticket-choices-${rule.id}-${at}`;
            return (
              <div className="actions" key={at} data-testid="ticket-rule-action">
                <select
                  aria-label="Action"
                  value={action.kind === 'append' ? 'append' : action.variable}
                  onChange={(event) =>
                    setAction(
                      event.target.value === 'append'
                        ? { kind: 'append', value: action.value }
                        : { kind: 'set', variable: event.target.value as WritableVariable, value: action.value },
                    )
                  }
                >
                  {WRITABLE_VARIABLES.map((variable) => (
                    <option key={variable} value={variable}>
                      set {variable}
                      {fieldOf(form, variable) ? ` (${fieldOf(form, variable)!.label})` : ''}
                    </option>
                  ))}
                  <option value="append">append to the message</option>
                </select>
                <input
                  aria-label="To"
                  list={field ? listId : undefined}
                  placeholder={action.kind === 'append' ? 'Text; {hostname}, {ip}… are filled in' : 'Value as the PSA names it'}
                  value={action.value}
                  onChange={(event) => setAction({ ...action, value: event.target.value })}
                />
                {field ? (
                  <datalist id={listId}>
                    {[...new Set((form?.choices[field.key] ?? []).map((choice) => choice.name))].map((name) => (
                      <option key={name} value={name} />
                    ))}
                  </datalist>
                ) : null}
                <button type="button" className="secondary" onClick={() => update(index, { ...rule, actions: rule.actions.filter((_, i) => i !== at) })}>
                  Remove
                </button>
              </div>
            );
          })}
          <button type="button" className="secondary" onClick={() => update(index, { ...rule, actions: [...rule.actions, { kind: 'append', value: '' }] })}>
            Add action
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rules, newRule()])} data-testid="ticket-rule-add">
        Add rule
      </button>
    </fieldset>
  );
}

function RuleTester({ form, rules }: { form: TicketFormChoices | null; rules: TicketRule[] }) {
  const [values, setValues] = useState<RuleValues>({});
  const outcome = evaluateRules(rules, values);
  const tried = Object.values(values).some((value) => value?.trim());
  const set = Object.values(outcome.set);
  return (
    <div data-testid="ticket-rule-tester">
      <h4>Rule tester</h4>
      {TESTER_VARIABLES.map((variable) => (
        <label className="field" key={variable}>
          <span>{variable}</span>
          <input
            aria-label={`Test ${variable}`}
            value={values[variable] ?? ''}
            onChange={(event) => setValues({ ...values, [variable]: event.target.value })}
          />
        </label>
      ))}
      {tried ? (
        <div role="status" data-testid="ticket-rule-tester-result">
          {set.length || outcome.appended.length ? (
            <ul>
              {set.map((effect) => (
                <li key={effect.variable}>
                  With these values, the ticket’s {fieldOf(form, effect.variable)?.label.toLowerCase() ?? effect.variable} is <strong>{effect.value}</strong>{' '}
                  because of {ruleLabel(effect)}.
                </li>
              ))}
              {outcome.appended.map((item, index) => (
                <li key={index}>
                  {ruleLabel(item)} appends “{item.text}”.
                </li>
              ))}
            </ul>
          ) : (
            <p>With these values no rule applies: the defaults and the technician’s choices stand.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
