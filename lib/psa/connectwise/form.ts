import type { PsaFormSpec } from '../form';
import { apiOrigin, uiOrigin } from './client';
import { normaliseConnectwiseDomain, parseConnectwiseForm } from './settings';

export const connectwiseForm: PsaFormSpec<'connectwise'> = {
  kind: 'connectwise',
  title: 'ConnectWise Manage',
  fields: [
    { name: 'domain', label: 'Domain', hint: 'The address you open ConnectWise at, e.g. na.myconnectwise.net or manage.example.com' },
    { name: 'companyId', label: 'Company ID', hint: 'The company you type on the ConnectWise login screen' },
    { name: 'publicKey', label: 'Public key', hint: 'API member › API Keys', credential: true },
    { name: 'privateKey', label: 'Private key', hint: 'Shown once when the key is created', credential: true, secret: true },
    { name: 'clientId', label: 'Client ID', hint: 'A GUID from developer.connectwise.com/ClientID', credential: true },
  ],
  discoveredSettings: ['codebase'],
  serverSettings: [],
  parse(values) {
    const parsed = parseConnectwiseForm({
      domain: values.domain ?? '',
      companyId: values.companyId ?? '',
      publicKey: values.publicKey ?? '',
      privateKey: values.privateKey ?? '',
      clientId: values.clientId ?? '',
    });
    if (!parsed.ok) return { ok: false, errors: parsed.errors as Record<string, string> };
    return {
      ok: true,
      value: {
        settings: parsed.settings,
        credentials: parsed.credentials,
        uiOrigin: uiOrigin(parsed.settings),
        origins: [...new Set([uiOrigin(parsed.settings), apiOrigin(parsed.settings)])],
        label: `ConnectWise (${parsed.settings.host})`,
        ...(parsed.note ? { note: parsed.note } : {}),
      },
    };
  },
  origins(values) {
    const domain = normaliseConnectwiseDomain(values.domain ?? '');
    if (!domain.ok) return { ok: false, errors: { domain: domain.error } };
    return { ok: true, uiOrigin: uiOrigin(domain.value), origins: [...new Set([uiOrigin(domain.value), apiOrigin(domain.value)])] };
  },
  prefill: (settings) => ({
    domain: typeof settings.host === 'string' ? settings.host : '',
    companyId: typeof settings.companyId === 'string' ? settings.companyId : '',
  }),
};
