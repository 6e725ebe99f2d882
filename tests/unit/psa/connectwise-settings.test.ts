import { describe, expect, it } from 'vitest';
import { connectwiseApiHost, normaliseConnectwiseDomain, parseConnectwiseForm } from '@/lib/psa/connectwise/settings';

const validForm = {
  domain: 'na.myconnectwise.net',
  companyId: 'acme',
  publicKey: 'pub',
  privateKey: 'priv',
  clientId: '1c2d3e4f-1111-2222-3333-444455556666',
};

describe('normaliseConnectwiseDomain', () => {
  it.each([
    ['na.myconnectwise.net', 'na.myconnectwise.net', 'https', false],
    ['  NA.MyConnectWise.net  ', 'na.myconnectwise.net', 'https', false],
    ['https://na.myconnectwise.net/', 'na.myconnectwise.net', 'https', true],
    ['https://eu.myconnectwise.net/v2025_1/ConnectWise.aspx?locale=en_US', 'eu.myconnectwise.net', 'https', true],
    ['http://manage.example.com', 'manage.example.com', 'https', true],
    ['manage.example.com/v4_6_release/', 'manage.example.com', 'https', true],
    ['api-na.myconnectwise.net', 'na.myconnectwise.net', 'https', true],
    ['http://127.0.0.1:8080/', '127.0.0.1:8080', 'http', true],
    ['localhost:3000', 'localhost:3000', 'http', false],
  ])('%s -> %s over %s', (input, host, scheme, noted) => {
    const result = normaliseConnectwiseDomain(input);
    expect(result).toMatchObject({ ok: true, value: { host, scheme } });
    expect(result.ok && !!result.value.note).toBe(noted);
  });

  it.each([
    ['', /Enter your ConnectWise domain/],
    ['   ', /Enter your ConnectWise domain/],
    ['na.my connectwise.net', /spaces/],
    ['ftp://na.myconnectwise.net', /not a web address/],
    ['myconnectwise', /not a full domain/],
    ['https://user@na.myconnectwise.net', /without a user name/],
    ['exa_mple.com', /not a valid domain/],
  ])('rejects %j', (input, message) => {
    const result = normaliseConnectwiseDomain(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe('connectwiseApiHost', () => {
  it('prefixes cloud hosts with api- and leaves on-premises hosts alone', () => {
    expect(connectwiseApiHost('na.myconnectwise.net')).toBe('api-na.myconnectwise.net');
    expect(connectwiseApiHost('staging.connectwisedev.com')).toBe('api-staging.connectwisedev.com');
    expect(connectwiseApiHost('manage.example.com')).toBe('manage.example.com');
    expect(connectwiseApiHost('127.0.0.1:4000')).toBe('127.0.0.1:4000');
  });
});

describe('parseConnectwiseForm', () => {
  it('trims pasted keys and returns settings, credentials and the domain note', () => {
    const result = parseConnectwiseForm({ ...validForm, domain: 'https://na.myconnectwise.net/', publicKey: '  pub\n' });
    expect(result).toMatchObject({
      ok: true,
      settings: { host: 'na.myconnectwise.net', scheme: 'https', companyId: 'acme' },
      credentials: { publicKey: 'pub', privateKey: 'priv' },
    });
    expect(result.ok && result.note).toMatch(/Saved as na\.myconnectwise\.net/);
  });

  it('reports every bad field at once', () => {
    const result = parseConnectwiseForm({ domain: '', companyId: ' ', publicKey: 'a b', privateKey: '', clientId: 'not-a-guid' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['clientId', 'companyId', 'domain', 'privateKey', 'publicKey']);
    expect(result.errors.clientId).toMatch(/GUID/);
    expect(result.errors.privateKey).toMatch(/required/);
    expect(result.errors.publicKey).toMatch(/spaces/);
  });
});
