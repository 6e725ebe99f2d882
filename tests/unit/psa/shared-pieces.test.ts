import { HTTPError } from 'ky';
import { describe, expect, it } from 'vitest';
import { missingAccess } from '@/lib/psa/access-probe';
import { walkCompanies } from '@/lib/psa/company-walk';
import { PsaError } from '@/lib/psa/errors';
import { TokenSession } from '@/lib/psa/token-session';

const http401 = () => new HTTPError(new Response('', { status: 401 }), new Request('https://psa.test/api/x'), {} as never);
const mapped = async (error: unknown) => (error instanceof PsaError ? error : new PsaError('bad-response', String(error)));

describe('TokenSession', () => {
  it('asks for one token at a time and reuses it until it expires', async () => {
    let asked = 0;
    const session = new TokenSession(async () => ({ value: `t${++asked}`, expiresAt: Date.now() + 60_000 }));
    expect(await Promise.all([session.accessToken(), session.accessToken()])).toEqual(['t1', 't1']);
    expect(await session.accessToken()).toBe('t1');
    expect(await session.accessToken(true)).toBe('t2');
  });

  it('gives the current token to the renewal (a refresh token)', async () => {
    const seen: (string | undefined)[] = [];
    const session = new TokenSession<{ value: string; expiresAt: number }>(async (current) => {
      seen.push(current?.value);
      return { value: `t${seen.length}`, expiresAt: 0 };
    });
    await session.accessToken();
    await session.accessToken();
    expect(seen).toEqual([undefined, 't1']);
  });

  it('renews once on a 401 and sends again; a second 401 is mapped', async () => {
    let asked = 0;
    const session = new TokenSession(async () => ({ value: `t${++asked}`, expiresAt: Date.now() + 60_000 }));
    const used: string[] = [];
    await expect(session.send(async (token) => (used.push(token), used.length === 1 ? Promise.reject(http401()) : 'ok'), mapped)).resolves.toBe('ok');
    expect(used).toEqual(['t1', 't2']);
    await expect(session.send(() => Promise.reject(http401()), mapped)).rejects.toBeInstanceOf(PsaError);
    expect(asked).toBe(3);
  });
});

describe('walkCompanies', () => {
  it('reads per company while few are matched, the whole list otherwise', () => {
    expect(walkCompanies(null, 0)).toEqual({ nothingToRead: false, perCompany: false, companyId: undefined, nextIndex: undefined });
    expect(walkCompanies([], 0)).toMatchObject({ nothingToRead: true });
    expect(walkCompanies(['7', '9'], 0)).toEqual({ nothingToRead: false, perCompany: true, companyId: 7, nextIndex: 1 });
    expect(walkCompanies(['7', '9'], 1)).toMatchObject({ companyId: 9, nextIndex: undefined });
    expect(walkCompanies(['1', '2', '3', '4', '5', '6'], 0)).toMatchObject({ perCompany: false, companyId: undefined });
    expect(walkCompanies(['7'], 0, false)).toMatchObject({ perCompany: false, nextIndex: undefined });
  });
});

describe('missingAccess', () => {
  it('names every refused probe and rethrows anything else', async () => {
    const probes = [
      { path: 'a', what: 'A' },
      { path: 'b', what: 'B' },
      { path: 'c', what: 'C' },
    ];
    const refuse = (codes: Record<string, PsaError['code']>) => async (path: string) => {
      if (codes[path]) throw new PsaError(codes[path], path);
    };
    expect(await missingAccess(probes, refuse({ a: 'permission', c: 'auth' }), ['permission', 'auth'])).toEqual(['A', 'C']);
    await expect(missingAccess(probes, refuse({ b: 'auth' }), ['permission'])).rejects.toMatchObject({ code: 'auth' });
  });
});
