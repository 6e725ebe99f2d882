import type { EmuRequest, EmuResponse } from '../framework/types.ts';
import { header } from '../framework/types.ts';
import { cwError } from './errors.ts';

export interface CwCredential {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export interface CwCredentialSets {
  /** Full-access API member. */
  valid: CwCredential;
  /** API member whose security role has no access to Company Maintenance and Configurations. */
  limited: CwCredential;
}

/** Security modules (names as on a ConnectWise security role). */
export type CwModuleName = 'Company Maintenance' | 'Contacts' | 'Configurations' | 'Agreements' | 'Product Catalog' | 'Service Tickets' | 'Project Tickets';

export const CREDENTIALS: CwCredentialSets = {
  valid: { companyId: 'sidecartest', publicKey: 'Vf3kQp8sLm2Xa9Td', privateKey: 'Zr7Hn4Wc1Yb6Ue0J', clientId: '3f5c9a2e-8b1d-4c7a-9e6f-2d4b8a1c0e57' },
  limited: { companyId: 'sidecartest', publicKey: 'Lm4pQ9wErT2yUi7O', privateKey: 'Kx8cV5bN1mZa3Sd6', clientId: '3f5c9a2e-8b1d-4c7a-9e6f-2d4b8a1c0e57' },
};

const DENIED: Record<keyof CwCredentialSets, readonly CwModuleName[]> = {
  valid: [],
  limited: ['Company Maintenance', 'Configurations'],
};

/** `Authorization` + `clientId` headers for a credential set (for tests and tools). */
export function authHeaders(c: CwCredential): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${c.companyId}+${c.publicKey}:${c.privateKey}`).toString('base64')}`,
    clientId: c.clientId,
  };
}

export type AuthResult = { ok: true; member: keyof CwCredentialSets } | { ok: false; response: EmuResponse };

/** Basic auth first (401), then the clientId header (403, field behaviour: docs/psa/connectwise.md#request-headers). */
export function authenticate(req: EmuRequest, creds: CwCredentialSets = CREDENTIALS): AuthResult {
  const raw = header(req, 'authorization') ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(raw);
  let member: keyof CwCredentialSets | undefined;
  if (m) {
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const plus = user.indexOf('+');
    const [company, pub, pass] = [user.slice(0, plus), user.slice(plus + 1), decoded.slice(colon + 1)];
    for (const name of Object.keys(creds) as (keyof CwCredentialSets)[]) {
      const c = creds[name];
      // The login company id is case-insensitive in ConnectWise; keys are not.
      if (colon > 0 && plus > 0 && company.toLowerCase() === c.companyId.toLowerCase() && pub === c.publicKey && pass === c.privateKey) member = name;
    }
  }
  if (!member) return { ok: false, response: cwError(401, 'Unauthorized', 'Authentication failed. Check your company id, public key and private key.') };
  if (!header(req, 'clientid')?.trim()) {
    // [INFER] body: a real 403 for a missing clientId was reported without its body.
    return {
      ok: false,
      response: cwError(403, 'Unauthorized', 'A clientId header is required for all API requests. Register one at developer.connectwise.com/ClientID.'),
    };
  }
  return { ok: true, member };
}

/** 403 naming the module when the member's security role lacks it. */
export function authorize(member: keyof CwCredentialSets, module: CwModuleName | null): EmuResponse | null {
  if (!module || !DENIED[member].includes(module)) return null;
  const message = `You do not have access to the ${module} module. Please contact your ConnectWise administrator to update your security role.`;
  return cwError(403, 'Unauthorized', message, [{ code: 'Security', message, resource: module }]);
}
