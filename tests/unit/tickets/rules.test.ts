import { describe, expect, it } from 'vitest';
import { evaluateRules, fillPlaceholders, ticketRuleSchema, type TicketRule } from '@/lib/tickets/rules';

const rule = (id: string, conditions: TicketRule['conditions'], actions: TicketRule['actions'], enabled = true): TicketRule => ({
  id,
  name: id,
  enabled,
  conditions,
  actions,
});

describe('ticket rules', () => {
  it('first matching rule per variable wins; every matching append is kept in order', () => {
    const rules = [
      rule(
        'a',
        [{ variable: 'hostname', operator: 'starts-with', value: 'SRV' }],
        [
          { kind: 'set', variable: 'priority', value: 'High' },
          { kind: 'append', value: 'one' },
        ],
      ),
      rule(
        'b',
        [],
        [
          { kind: 'set', variable: 'priority', value: 'Low' },
          { kind: 'set', variable: 'queue', value: 'Desk' },
          { kind: 'append', value: 'two' },
        ],
      ),
    ];
    const outcome = evaluateRules(rules, { hostname: 'srv-01' });
    expect(outcome.set.priority).toMatchObject({ value: 'High', ruleIndex: 1 });
    expect(outcome.set.queue).toMatchObject({ value: 'Desk', ruleIndex: 2 });
    expect(outcome.appended.map((item) => item.text)).toEqual(['one', 'two']);
    expect(outcome.matched).toEqual([1, 2]);
  });

  it('skips disabled rules and rules whose conditions do not all hold', () => {
    const rules = [
      rule('off', [], [{ kind: 'set', variable: 'priority', value: 'High' }], false),
      rule(
        'both',
        [
          { variable: 'email', operator: 'is-not-empty', value: '' },
          { variable: 'name', operator: 'contains', value: 'ceo' },
        ],
        [{ kind: 'set', variable: 'priority', value: 'Critical' }],
      ),
    ];
    expect(evaluateRules(rules, { email: 'x@y.z', name: 'Pat' }).set.priority).toBeUndefined();
    expect(evaluateRules(rules, { email: 'x@y.z', name: 'Pat (CEO)' }).set.priority?.value).toBe('Critical');
  });

  it('compares without case and treats comma lists as "one of" for is / is-not', () => {
    const servers = rule('s', [{ variable: 'configurationType', operator: 'is', value: 'server' }], [{ kind: 'set', variable: 'queue', value: 'Infra' }]);
    expect(evaluateRules([servers], { configurationType: 'Workstation, Server' }).set.queue?.value).toBe('Infra');
    expect(evaluateRules([servers], { configurationType: 'Workstation' }).set.queue).toBeUndefined();
    const notServer = rule('n', [{ variable: 'configurationType', operator: 'is-not', value: 'server' }], [{ kind: 'set', variable: 'queue', value: 'Desk' }]);
    expect(evaluateRules([notServer], { configurationType: 'Server' }).set.queue).toBeUndefined();
    expect(evaluateRules([notServer], { configurationType: '' }).set.queue?.value).toBe('Desk');
    const empty = rule('e', [{ variable: 'ip', operator: 'is-empty', value: '' }], [{ kind: 'append', value: 'no ip' }]);
    expect(evaluateRules([empty], {}).appended).toHaveLength(1);
  });

  it('fills known placeholders only, never evaluating anything', () => {
    expect(fillPlaceholders('{hostname} {ip} {constructor} {__proto__}', { hostname: 'h', ip: '1.2.3.4' })).toBe('h 1.2.3.4 {constructor} {__proto__}');
  });

  it('refuses rules that are not data it knows', () => {
    const bad = ticketRuleSchema.safeParse({ id: 'x', name: 'x', enabled: true, conditions: [{ variable: 'eval', operator: 'is', value: '1' }], actions: [] });
    expect(bad.success).toBe(false);
    const readOnly = ticketRuleSchema.safeParse({
      id: 'x',
      name: 'x',
      enabled: true,
      conditions: [],
      actions: [{ kind: 'set', variable: 'hostname', value: 'h' }],
    });
    expect(readOnly.success).toBe(false);
  });
});
