import { describe, expect, it } from 'vitest';
import type { TicketFormChoices } from '@/lib/psa/ticket-writer';
import { composeTicket, markerLine, type ComposeContext } from '@/lib/tickets/compose';
import type { TicketInput } from '@/lib/tickets/input';
import type { TicketRule } from '@/lib/tickets/rules';

const form: TicketFormChoices = {
  fields: [
    { key: 'queue', label: 'Queue', variable: 'queue', required: false, source: 'psa' },
    { key: 'priority', label: 'Priority', variable: 'priority', required: true, source: 'psa' },
    { key: 'status', label: 'Status', variable: 'ticketStatus', required: true, source: 'psa', dependsOn: 'queue' },
    { key: 'location', label: 'Location', required: true, source: 'company-sites' },
  ],
  choices: {
    queue: [
      { id: 'q1', name: 'Help Desk' },
      { id: 'q2', name: 'Infrastructure' },
    ],
    priority: [
      { id: 'p1', name: 'Low' },
      { id: 'p2', name: 'Medium', isDefault: true },
      { id: 'p3', name: 'High' },
    ],
    status: [
      { id: 's1', name: 'New', parentId: 'q1', isDefault: true },
      { id: 's2', name: 'New', parentId: 'q2', isDefault: true },
      { id: 's3', name: 'Triage', parentId: 'q2' },
    ],
  },
};

const serverRule: TicketRule = {
  id: 'r1',
  name: 'Servers',
  enabled: true,
  conditions: [{ variable: 'configurationType', operator: 'is', value: 'server' }],
  actions: [
    { kind: 'set', variable: 'priority', value: 'High' },
    { kind: 'set', variable: 'queue', value: 'Infrastructure' },
    { kind: 'append', value: 'Host {hostname} at {ip}' },
  ],
};

function context(overrides: Partial<ComposeContext> = {}): ComposeContext {
  return {
    companyRemoteId: '100',
    form,
    records: {
      companyName: 'Contoso',
      sites: [
        { remoteId: 'site-1', name: 'Main', primary: true },
        { remoteId: 'site-2', name: 'Branch' },
      ],
      agreements: [],
      contacts: new Map([['c1', { name: 'Maria Lopez', email: 'maria@contoso.example' }]]),
      configurations: new Map([
        ['srv', { name: 'CDG-SRV-01', typeName: 'Server', ipAddress: '10.0.0.5' }],
        ['ws', { name: 'CDG-WS-01', typeName: 'Workstation' }],
      ]),
    },
    settings: { defaults: { queue: 'q1' }, rules: [serverRule] },
    now: '2026-12-06T10:00:00.000Z',
    marker: 'sc-0011223344556677',
    ...overrides,
  };
}

const input = (overrides: Partial<TicketInput> = {}): TicketInput => ({
  title: 'Disk full',
  message: 'C: is at 99%',
  person: { kind: 'contact', remoteId: 'c1' },
  configurationRemoteIds: ['srv'],
  picks: {},
  ...overrides,
});

describe('composeTicket', () => {
  it('applies a matching rule over the defaults and says which rule set each field', () => {
    const composed = composeTicket(input(), context());
    const byKey = Object.fromEntries(composed.fields.map((field) => [field.key, field]));
    expect(byKey.priority).toMatchObject({ choiceId: 'p3', reason: 'rule', because: 'rule 1 (Servers)' });
    expect(byKey.queue).toMatchObject({ choiceId: 'q2', reason: 'rule' });
    // The status follows the queue the rule chose (statuses are per queue here).
    expect(byKey.status?.choiceId).toBe('s2');
    expect(composed.draft.fields).toMatchObject({ queue: 'q2', priority: 'p3', location: 'site-1' });
    expect(composed.draft.details).toBe(`C: is at 99%\n\nHost CDG-SRV-01 at 10.0.0.5\n\n${markerLine('sc-0011223344556677')}`);
    expect(composed.appended).toEqual([{ text: 'Host CDG-SRV-01 at 10.0.0.5', because: 'rule 1 (Servers)' }]);
  });

  it('keeps the defaults when no rule matches', () => {
    const composed = composeTicket(input({ configurationRemoteIds: ['ws'] }), context());
    expect(composed.draft.fields).toMatchObject({ queue: 'q1', priority: 'p2', status: 's1' });
    expect(composed.fields.find((field) => field.key === 'priority')?.reason).toBe('psa-default');
    expect(composed.appended).toEqual([]);
  });

  it('lets the technician’s own pick beat the rule', () => {
    const composed = composeTicket(input({ picks: { priority: 'p1' } }), context());
    expect(composed.draft.fields.priority).toBe('p1');
    expect(composed.fields.find((field) => field.key === 'priority')?.reason).toBe('picked');
  });

  it('names the rule whose value is not one of the PSA’s choices', () => {
    const broken: TicketRule = { ...serverRule, actions: [{ kind: 'set', variable: 'queue', value: 'Nope' }] };
    const composed = composeTicket(input(), context({ settings: { defaults: {}, rules: [broken] } }));
    expect(composed.errors.queue).toContain('rule 1 (Servers) sets queue to “Nope”');
  });

  it('refuses a missing title and a missing required field', () => {
    const composed = composeTicket(input({ title: '  ' }), context({ records: { ...context().records, sites: [] } }));
    expect(composed.errors).toMatchObject({ title: 'Give the ticket a title.', location: 'Choose a location.' });
  });

  it('files an outsider under the catch-all contact, saying who reported it', () => {
    const person = { kind: 'outsider' as const, name: 'Pat Guest', email: 'pat@example.com' };
    expect(composeTicket(input({ person }), context()).errors.person).toContain('no catch-all contact');
    const composed = composeTicket(
      input({ person }),
      context({ settings: { defaults: { queue: 'q1' }, rules: [], catchAll: { companyRemoteId: '999', contactRemoteId: '42' } } }),
    );
    expect(composed.errors).toEqual({});
    expect(composed.draft).toMatchObject({ companyRemoteId: '999', contactRemoteId: '42' });
    expect(composed.draft.details).toContain('Reported by Pat Guest <pat@example.com> (Contoso).');
    expect(composed.filedUnderCatchAll?.person).toBe('Pat Guest <pat@example.com>');
  });

  it('refuses a contact or configuration that is not the company’s', () => {
    const composed = composeTicket(input({ person: { kind: 'contact', remoteId: 'other' }, configurationRemoteIds: ['srv', 'elsewhere'] }), context());
    expect(composed.errors.person).toBe('That contact is not one of this company’s.');
    expect(composed.errors.configurations).toBe('A chosen configuration is not one of this company’s.');
    expect(composed.draft.configurationRemoteIds).toEqual(['srv']);
  });
});
