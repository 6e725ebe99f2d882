import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateText, displayText, fieldsProp, lenientList } from '@/lib/psa/values';

describe('display text of PSA values', () => {
  it('text, numbers, booleans, references and lists', () => {
    expect(displayText('  Cloud only ')).toBe('Cloud only');
    expect(displayText('   ')).toBeUndefined();
    expect(displayText(null)).toBeUndefined();
    expect(displayText(0)).toBe('0');
    expect(displayText(1200, 'number', 2)).toBe('1200.00');
    expect(displayText('12.5', 'number', 1)).toBe('12.5');
    expect(displayText(true)).toBe('Yes');
    expect(displayText(false, 'yes-no')).toBe('No');
    expect(displayText('True', 'yes-no')).toBe('Yes');
    expect(displayText({ id: 7, name: 'Ingram Micro' })).toBe('Ingram Micro');
    expect(displayText({ id: 1, value: 'x', display: '' })).toBe('x');
    expect(displayText([{ display: 'A' }, '', { name: 'B' }])).toBe('A, B');
    expect(displayText([])).toBeUndefined();
    expect(displayText({})).toBeUndefined();
  });

  it('dates: the day the PSA wrote, placeholders empty', () => {
    expect(dateText('2027-03-31T00:00:00Z')).toBe('2027-03-31');
    expect(dateText('2027-03-31T00:00:00+02:00')).toBe('2027-03-31');
    expect(dateText('2027-03-31')).toBe('2027-03-31');
    expect(dateText('1900-01-01T00:00:00')).toBeUndefined();
    expect(dateText('0001-01-01T00:00:00')).toBeUndefined();
    expect(dateText('2027-02-30')).toBeUndefined();
    expect(displayText('2027-03-31T00:00:00', 'date')).toBe('2027-03-31');
    expect(displayText('next week', 'date')).toBe('next week');
    // Without a declared type: midnight date-times read as dates, placeholders as empty, other times stay.
    expect(displayText('2024-11-22T00:00:00')).toBe('2024-11-22');
    expect(displayText('1900-01-01T00:00:00')).toBeUndefined();
    expect(displayText('2024-11-22T14:05:00')).toBe('2024-11-22T14:05:00');
  });

  it('fieldsProp leaves out empty labels and values, keeps the first value of a label, and adds no key when empty', () => {
    expect(
      fieldsProp([
        ['Tag', 'A-1'],
        ['', 'x'],
        ['Empty', ''],
        ['Nothing', undefined],
        ['Tag', 'A-2'],
        [' Count ', 3],
      ]),
    ).toEqual({ fields: { Tag: 'A-1', Count: '3' } });
    expect(fieldsProp([['Empty', '  ']])).toEqual({});
    expect('fields' in { remoteId: '1', ...fieldsProp([]) }).toBe(false);
  });

  it('lenientList drops entries that do not match and reads a non-list as empty', () => {
    const schema = z.object({ list: lenientList(z.object({ caption: z.string() })) });
    expect(schema.parse({ list: [{ caption: 'A' }, { caption: 1 }, 'x', null] })).toEqual({ list: [{ caption: 'A' }] });
    expect(schema.parse({ list: 'oops' })).toEqual({ list: [] });
    expect(schema.parse({})).toEqual({ list: [] });
  });
});
