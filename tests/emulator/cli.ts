/**
 * node --experimental-strip-types tests/emulator/cli.ts --psa connectwise|halo|kaseya-bms --preset demo
 *   [--port N] [--host H] [--seed N] [--latency MS] [--public-base-url URL]
 * Runs until SIGINT/SIGTERM. HaloPSA's own options live in halo/cli.ts.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';
import type { Preset, PsaName } from './index.ts';

const psaIndex = process.argv.indexOf('--psa');
const psaArg = psaIndex > 0 ? process.argv[psaIndex + 1] : process.argv.find((arg) => arg.startsWith('--psa='))?.slice(6);
if (psaArg === 'halo' || psaArg === 'kaseya-bms') {
  // Hand over to the PSA's own CLI without the --psa option it does not know.
  process.argv = process.argv.filter((arg, index) => arg !== `--psa=${psaArg}` && index !== psaIndex && index !== psaIndex + 1);
  await import(psaArg === 'halo' ? './halo/cli.ts' : './kaseya-bms/cli.ts');
} else {
  await startConnectwise();
}

async function startConnectwise(): Promise<void> {
  const { values } = parseArgs({
    options: {
      psa: { type: 'string', default: 'connectwise' },
      preset: { type: 'string', default: 'demo' },
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      'public-base-url': { type: 'string' },
    },
  });

  const preset = values.preset as Preset;
  if (!['tiny', 'demo', 'large'].includes(preset)) throw new Error(`--preset must be tiny, demo or large`);

  const emu = await startEmulator({
    psa: values.psa as PsaName,
    preset,
    host: values.host,
    port: values.port ? Number(values.port) : 0,
    seed: values.seed ? Number(values.seed) : undefined,
    latencyMs: values.latency ? Number(values.latency) : 0,
    publicBaseUrl: values['public-base-url'],
  });

  const c = emu.credentials;
  console.log(`${emu.psa} emulator: ${emu.baseUrl}`);
  console.log(`  company id: ${c.valid.companyId}  public key: ${c.valid.publicKey}  private key: ${c.valid.privateKey}  clientId: ${c.valid.clientId}`);
  console.log(`  limited (no Company Maintenance / Configurations): public key: ${c.limited.publicKey}  private key: ${c.limited.privateKey}`);
  console.log(`  API: ${emu.apiUrl}   UI: ${emu.baseUrl}/v4_6_release/ConnectWise.aspx   control: ${emu.baseUrl}/__emulator/state`);

  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
