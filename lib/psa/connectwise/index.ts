export { ConnectwiseAdapter } from './adapter';
export { parseConnectwiseForm, normaliseConnectwiseDomain, connectwiseApiHost } from './settings';
export type { ConnectwiseCredentials, ConnectwiseSettings, ConnectwiseForm } from './settings';
