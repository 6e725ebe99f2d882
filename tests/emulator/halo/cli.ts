/**
 * node --experimental-strip-types tests/emulator/halo/cli.ts --preset demo
 *   [--port N] [--host H] [--seed N] [--latency MS] [--public-base-url URL]
 *   [--self-hosted] [--no-rate-limit] [--token-lifetime SEC]
 * Runs until SIGINT/SIGTERM. (The shared tests/emulator/cli.ts only knows ConnectWise so far.)
 */
import { parseArgs } from 'node:util';
import { startHaloEmulator } from './start.ts';
import type { Preset } from './start.ts';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'demo' },
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    latency: { type: 'string' },
    'public-base-url': { type: 'string' },
    'self-hosted': { type: 'boolean', default: false },
    'no-rate-limit': { type: 'boolean', default: false },
    'token-lifetime': { type: 'string' },
  },
});

const preset = values.preset as Preset;
if (!['tiny', 'demo', 'large'].includes(preset)) throw new Error('--preset must be tiny, demo or large');

const emu = await startHaloEmulator({
  preset,
  host: values.host,
  port: values.port ? Number(values.port) : 0,
  seed: values.seed ? Number(values.seed) : undefined,
  latencyMs: values.latency ? Number(values.latency) : 0,
  publicBaseUrl: values['public-base-url'],
  hosted: !values['self-hosted'],
  ...(values['no-rate-limit'] ? { rateLimit: null } : {}),
  tokenLifetimeSec: values['token-lifetime'] ? Number(values['token-lifetime']) : undefined,
});

const c = emu.credentials;
console.log(`halo emulator (${preset}): ${emu.baseUrl}`);
console.log(`  resource server: ${emu.baseUrl}   authorisation server: ${emu.authUrl}   tenant: ${emu.tenant ?? '(self-hosted: none)'}`);
for (const name of ['valid', 'limited', 'restricted', 'readonly'] as const)
  console.log(`  ${name}: client_id ${c[name].clientId}  client_secret ${c[name].clientSecret}`);
const t = emu.data.tickets.rows[0];
console.log(
  `  UI: ${emu.baseUrl}/tickets?id=${t?.id ?? ''}   ${emu.baseUrl}/customers?clientid=${String(t?.client_id ?? '')}   control: ${emu.baseUrl}/__emulator/state`,
);

const stop = () => {
  void emu.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
