import { createHmac, randomUUID } from 'node:crypto';
import type { EmuRequest } from '../framework/types.ts';
import { header } from '../framework/types.ts';
import { TENANT } from './lookups.ts';
import { bmsDate } from './wire.ts';

/**
 * BMS API authentication (docs/psa/kaseya-bms.md#authentication): `POST /v2/security/authenticate` with form fields
 * GrantType/UserName/Password/Tenant (any casing) → JWT access token + refresh token; then
 * `Authorization: Bearer`. Tokens live in memory and expire on the emulator clock.
 */

export interface BmsCredential {
  /** The MSP's Company name (spaces allowed), sent as `Tenant`. */
  tenant: string;
  userName: string;
  password: string;
}

export interface BmsCredentialSets {
  /** API Employee whose role has "Has API Access": full access. */
  valid: BmsCredential;
  /** The valid user with a wrong password. */
  wrongPassword: BmsCredential;
  /** The valid user and password under a Company name that does not exist. */
  wrongTenant: BmsCredential;
  /** A regular employee (correct password) whose security role lacks "Has API Access". */
  nonApiUser: BmsCredential;
}

export interface BmsUser {
  userId: number;
  userName: string;
  password: string;
  fullName: string;
  email: string;
  hasApiAccess: boolean;
  isApiEmployee: boolean;
}

export const USERS: readonly BmsUser[] = [
  {
    userId: 51190,
    userName: 'sidecar.api',
    password: 'Sidecar-Api-2026!',
    fullName: 'Sidecar API',
    email: 'sidecar.api@sidecartest-msp.example',
    hasApiAccess: true,
    isApiEmployee: true,
  },
  {
    userId: 51140,
    userName: 'dokafor',
    password: 'Technician-2026!',
    fullName: 'Dana Okafor',
    email: 'dana.okafor@sidecartest-msp.example',
    hasApiAccess: false,
    isApiEmployee: false,
  },
];

const API_USER = USERS[0] as BmsUser;
const PLAIN_USER = USERS[1] as BmsUser;

export const CREDENTIALS: BmsCredentialSets = {
  valid: { tenant: TENANT.name, userName: API_USER.userName, password: API_USER.password },
  wrongPassword: { tenant: TENANT.name, userName: API_USER.userName, password: 'not-the-password' },
  wrongTenant: { tenant: 'Sidecar Test', userName: API_USER.userName, password: API_USER.password },
  nonApiUser: { tenant: TENANT.name, userName: PLAIN_USER.userName, password: PLAIN_USER.password },
};

/** The urlencoded form body most clients send (GrantType=password). */
export function authenticateForm(c: BmsCredential, casing: 'pascal' | 'camel' = 'pascal'): URLSearchParams {
  return casing === 'pascal'
    ? new URLSearchParams({ GrantType: 'password', UserName: c.userName, Password: c.password, Tenant: c.tenant })
    : new URLSearchParams({ grantType: 'password', userName: c.userName, password: c.password, tenant: c.tenant });
}

/** Form fields of an urlencoded or multipart body, keys lower-cased (binding is case-insensitive). */
export function parseForm(req: EmuRequest): Map<string, string> | 'unsupported' {
  const type = (header(req, 'content-type') ?? '').toLowerCase();
  const out = new Map<string, string>();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body)) if (!out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
    return out;
  }
  if (type.startsWith('multipart/form-data')) {
    const m = /boundary="?([^";]+)"?/i.exec(header(req, 'content-type') ?? '');
    if (!m) return out;
    for (const part of req.body.split(`--${m[1] as string}`)) {
      const sep = part.indexOf('\r\n\r\n');
      if (sep < 0) continue;
      const name = /name="([^"]*)"/i.exec(part.slice(0, sep))?.[1];
      if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), part.slice(sep + 4).replace(/\r\n$/, ''));
    }
    return out;
  }
  return 'unsupported';
}

export type LoginResult =
  { ok: true; user: BmsUser } | { ok: false; reason: 'grant-missing' | 'grant-unsupported' | 'fields-missing' | 'tenant' | 'password' | 'no-api-access' };

export function checkLogin(form: Map<string, string>, requireApiAccessAtLogin: boolean): LoginResult {
  const grant = form.get('granttype');
  if (!grant) return { ok: false, reason: 'grant-missing' };
  if (grant.toLowerCase() !== 'password') return { ok: false, reason: 'grant-unsupported' };
  const userName = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const tenant = form.get('tenant') ?? '';
  if (!userName || !password || !tenant) return { ok: false, reason: 'fields-missing' };
  // [G] Company name and user name compared case-insensitively, password exactly.
  if (tenant.trim().toLowerCase() !== TENANT.name.toLowerCase()) return { ok: false, reason: 'tenant' };
  const user = USERS.find((u) => u.userName.toLowerCase() === userName.trim().toLowerCase());
  if (!user || user.password !== password) return { ok: false, reason: 'password' };
  if (requireApiAccessAtLogin && !user.hasApiAccess) return { ok: false, reason: 'no-api-access' };
  return { ok: true, user };
}

interface AccessEntry {
  user: BmsUser;
  expires: number;
  refresh: string;
}

interface RefreshEntry {
  user: BmsUser;
  expires: number;
  access: string;
}

export type TokenCheck = { ok: true; user: BmsUser } | { ok: false; reason: 'missing' | 'invalid' | 'expired'; expiredAt?: number };

const SECRET = 'sidecar-bms-emulator-signing-key';

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

export class TokenService {
  private readonly access = new Map<string, AccessEntry>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly revokedUsers = new Set<string>();
  accessLifetimeSec: number;
  refreshLifetimeSec: number;
  private seq = 0;

  constructor(accessLifetimeSec = 20 * 60, refreshLifetimeSec = 7 * 24 * 3600) {
    this.accessLifetimeSec = accessLifetimeSec;
    this.refreshLifetimeSec = refreshLifetimeSec;
  }

  /** TokenOutputDto for a fresh pair. */
  issue(user: BmsUser, nowMs: number): Record<string, unknown> {
    const expires = nowMs + this.accessLifetimeSec * 1000;
    const refreshExpires = nowMs + this.refreshLifetimeSec * 1000;
    const iat = Math.floor(nowMs / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({
        unique_name: user.userName,
        nameid: String(user.userId),
        tenant: TENANT.name,
        tenantId: String(TENANT.id),
        jti: `${++this.seq}-${randomUUID()}`,
        nbf: iat,
        exp: Math.floor(expires / 1000),
        iat,
        iss: 'BMS',
        aud: 'BMS',
      }),
    );
    const sig = createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url');
    const accessToken = `${head}.${payload}.${sig}`;
    const refreshToken = randomUUID();
    this.access.set(accessToken, { user, expires, refresh: refreshToken });
    this.refreshTokens.set(refreshToken, { user, expires: refreshExpires, access: accessToken });
    return { accessToken, refreshToken, accessTokenExpireOn: bmsDate(expires), refreshTokenExpireOn: bmsDate(refreshExpires) };
  }

  check(token: string | undefined, nowMs: number): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const e = this.access.get(token);
    if (!e) return { ok: false, reason: 'invalid' };
    if (nowMs >= e.expires) return { ok: false, reason: 'expired', expiredAt: e.expires };
    return { ok: true, user: e.user };
  }

  /**
   * `POST /v2/security/refreshtoken`: the refresh token must be live and belong to the given
   * access token (expired or not). Rotation [G]: both old tokens stop working.
   */
  refresh(accessToken: string, refreshToken: string | undefined, nowMs: number): Record<string, unknown> | null {
    const a = this.access.get(accessToken);
    if (!a) return null;
    const rt = refreshToken || a.refresh;
    const r = this.refreshTokens.get(rt);
    if (!r || r.access !== accessToken || nowMs >= r.expires) return null;
    this.access.delete(accessToken);
    this.refreshTokens.delete(rt);
    return this.issue(r.user, nowMs);
  }

  /**
   * The user's password was changed (or the employee deactivated) in BMS: their access and refresh
   * tokens stop working and signing in with the old password fails.
   */
  revokeUser(userName: string): void {
    const name = userName.toLowerCase();
    this.revokedUsers.add(name);
    for (const [token, entry] of this.access) if (entry.user.userName.toLowerCase() === name) this.access.delete(token);
    for (const [token, entry] of this.refreshTokens) if (entry.user.userName.toLowerCase() === name) this.refreshTokens.delete(token);
  }

  isRevoked(user: BmsUser): boolean {
    return this.revokedUsers.has(user.userName.toLowerCase());
  }

  /** Expire every issued access token (and, optionally, every refresh token). */
  expireAll(opts: { refresh?: boolean } = {}): void {
    for (const e of this.access.values()) e.expires = Number.NEGATIVE_INFINITY;
    if (opts.refresh) for (const e of this.refreshTokens.values()) e.expires = Number.NEGATIVE_INFINITY;
  }

  counts(): { access: number; refresh: number } {
    return { access: this.access.size, refresh: this.refreshTokens.size };
  }
}

/** The bearer token of a request; the web app's same-origin API also takes the PSAAuthToken cookie. */
export function bearerOf(req: EmuRequest, allowCookie: boolean): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  if (m) return m[1];
  if (!allowCookie) return undefined;
  return cookie(req, 'PSAAuthToken');
}

export function cookie(req: EmuRequest, name: string): string | undefined {
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
