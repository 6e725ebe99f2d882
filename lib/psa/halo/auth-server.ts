import { PsaError } from '../errors';
import { isLoopbackHost } from '../server-url';
import type { HaloSettings } from './settings';

/**
 * Where Halo's client secret may go. `/api/authinfo` can name any server, and an answer from a
 * compromised or spoofed Halo would otherwise receive the secret. Sidecar sends it only over https
 * to the origins the person granted: the resource server's, or the one typed in "Authorisation
 * server" (the options page asks host permission for both). Plain http only on loopback, where
 * the emulators run, and only when the resource server itself is there or the person typed it.
 */
export function authServerRefusal(authUrl: string, settings: HaloSettings): PsaError | undefined {
  const resource = new URL(settings.resourceOrigin);
  const typedOrigin = settings.authServer ? new URL(settings.authServer).origin : undefined;
  let url: URL;
  try {
    url = new URL(authUrl);
  } catch {
    return refusal(`Halo names "${authUrl}" as its authorisation server, which is not a web address.`);
  }
  const loopbackHttp =
    url.protocol === 'http:' && isLoopbackHost(url.host) && ((resource.protocol === 'http:' && isLoopbackHost(resource.host)) || url.origin === typedOrigin);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    return refusal(
      `Halo names ${authUrl} as its authorisation server, which is not https: Sidecar does not send the client secret unencrypted. If you trust ${url.host} and it answers on https, type its https address in "Authorisation server".`,
    );
  }
  if (url.username || url.password) {
    return refusal(`Halo names an authorisation server on ${url.host} with a user name in its address: Sidecar does not send the client secret there.`);
  }
  if (url.origin !== resource.origin && url.origin !== typedOrigin) {
    return refusal(
      `Halo names ${authUrl} as its authorisation server, which is not on ${resource.host}. Sidecar sends the client secret only to servers you entered. If you trust ${url.host}, type ${authUrl} in "Authorisation server".`,
    );
  }
  return undefined;
}

const refusal = (message: string) => new PsaError('config', message, { field: 'authServer' });
