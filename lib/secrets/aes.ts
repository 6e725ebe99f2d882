import { fromBase64, randomBytes, toBase64 } from './codec';

/** AES-GCM-256 boxes: a fresh 12-byte IV each time, both parts as base64. */

export interface Sealed {
  iv: string;
  data: string;
}

export async function aesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function encrypt(key: CryptoKey, plain: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = randomBytes(12);
  return { iv: toBase64(iv), data: toBase64(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain)) };
}

/** Throws on a wrong key, a damaged box or text that is not base64. */
export async function decrypt(key: CryptoKey, sealed: Sealed): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data)));
}
