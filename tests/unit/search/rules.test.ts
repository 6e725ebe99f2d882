import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareHits, compareNames, isPlainName, rankBeforeName, termScore, typoStarts } from '@/lib/search/rules';

describe('search rules', () => {
  it('ranks by score, then kind, then shorter name, then name', () => {
    const hit = (score: number, kind: 'company' | 'configuration' | 'contact' | 'article' | 'field', sortName: string) => ({ score, kind, sortName });
    const hits = [
      hit(2, 'company', 'b'),
      hit(3, 'contact', 'zz'),
      hit(3, 'configuration', 'bbb'),
      hit(3, 'configuration', 'aa'),
      hit(3, 'configuration', 'ab'),
      hit(3, 'field', 'a'),
      hit(3, 'article', 'zzzz'),
      hit(2, 'article', 'a'),
    ];
    expect(hits.sort(compareHits).map(({ score, kind, sortName }) => `${score} ${kind} ${sortName}`)).toEqual([
      '3 configuration aa',
      '3 configuration ab',
      '3 configuration bbb',
      '3 contact zz',
      '3 article zzzz',
      '3 field a',
      '2 company b',
      '2 article a',
    ]);
    expect(rankBeforeName(12, 'agreement', 5)).toBeLessThan(rankBeforeName(11, 'company', 1));
    expect(rankBeforeName(12, 'field', 5)).toBeLessThan(rankBeforeName(11, 'company', 1));
  });

  it('compares plain names by code points exactly as the collator does', () => {
    const collator = new Intl.Collator();
    const plainName = fc.string({ unit: fc.constantFrom(...'abcz09 -'), maxLength: 8 });
    fc.assert(
      fc.property(plainName, plainName, (a, b) => {
        expect(isPlainName(a) && isPlainName(b)).toBe(true);
        expect(Math.sign(compareNames(a, b, true))).toBe(Math.sign(collator.compare(a, b)));
      }),
    );
    expect(isPlainName('café')).toBe(false);
  });

  it('counts a typo only among words starting like the query word', () => {
    expect(typoStarts('srv01')).toEqual(['sr', 'rs', 'sv']);
    expect(termScore('svr01', 'srv01')).toBe(1);
    expect(termScore('xw01', 'fw01')).toBe(0);
    expect(termScore('fw', 'fw01')).toBe(2);
  });
});
