/**
 * node --experimental-strip-types tests/emulator/kaseya-bms/cli.ts --preset demo
 *   [--port N] [--host H] [--seed N] [--latency MS] [--public-base-url URL] [--no-rate-limit]
 * Runs the Kaseya BMS emulator alone until SIGINT/SIGTERM (the shared tests/emulator/cli.ts
 * knows only ConnectWise so far).
 */
import { parseArgs } from 'node:util';
import { startKaseyaBmsEmulator } from './start.ts';
import type { Preset } from './start.ts';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'demo' },
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    latency: { type: 'string' },
    'public-base-url': { type: 'string' },
    'no-rate-limit': { type: 'boolean', default: false },
  },
});

const preset = values.preset as Preset;
if (!['tiny', 'demo', 'large'].includes(preset)) throw new Error('--preset must be tiny, demo or large');

const emu = await startKaseyaBmsEmulator({
  preset,
  host: values.host,
  port: values.port ? Number(values.port) : 0,
  seed: values.seed ? Number(values.seed) : undefined,
  latencyMs: values.latency ? Number(values.latency) : 0,
  publicBaseUrl: values['public-base-url'],
  rateLimit: values['no-rate-limit'] ? null : undefined,
});

const c = emu.credentials;
const t = emu.data.tickets.rows[0];
console.log(`kaseya-bms emulator: ${emu.baseUrl}   (API base: ${emu.apiBaseUrl}, paths /v2/...)`);
console.log(`  Tenant: "${c.valid.tenant}"  UserName: ${c.valid.userName}  Password: ${c.valid.password}`);
console.log(`  non-API user: ${c.nonApiUser.userName} / ${c.nonApiUser.password}`);
if (t) console.log(`  UI: ${emu.baseUrl}/react/servicedesk/tickets/${t.id}   ${emu.baseUrl}/MSP/TicketEdit.aspx?ID=${t.id}`);
console.log(`  control: ${emu.baseUrl}/__emulator/state`);

const stop = () => {
  void emu.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
