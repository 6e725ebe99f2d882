import { describe, expect, it } from 'vitest';
import { contactHref } from '@/lib/items/contact-href';

describe('contactHref', () => {
  it('links e-mail addresses with mailto:', () => {
    expect(contactHref('Email', 'jane.doe@contoso.example')).toBe('mailto:jane.doe@contoso.example');
    expect(contactHref('E-mail', ' ops+alerts@contoso.example ')).toBe('mailto:ops%2Balerts@contoso.example');
  });

  it('links phone numbers with tel:, keeping only what a dialler reads', () => {
    expect(contactHref('Phone', '+1 (555) 010-4477')).toBe('tel:+15550104477');
    expect(contactHref('Phone', '555.010.4477 x 204')).toBe('tel:5550104477;ext=204');
    expect(contactHref('Phone', '01632 960123 ext. 12')).toBe('tel:01632960123;ext=12');
  });

  it('gives no link for anything else a PSA might hold there', () => {
    expect(contactHref('Email', 'javascript:alert(1)//@x.y')).toBeUndefined();
    expect(contactHref('Email', 'not an address')).toBeUndefined();
    expect(contactHref('Email', 'a@b')).toBeUndefined();
    expect(contactHref('Phone', 'javascript:alert(1)')).toBeUndefined();
    expect(contactHref('Phone', 'call reception')).toBeUndefined();
    expect(contactHref('Phone', '12')).toBeUndefined();
    expect(contactHref('Website', 'https://contoso.example')).toBeUndefined();
    expect(contactHref('Serial', '5550104477')).toBeUndefined();
  });
});
