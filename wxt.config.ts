import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';

// SIDECAR_E2E=1 builds the variant the Playwright suite loads: identical code, plus a host
// permission for the loopback emulators, because headless Chromium cannot click the
// "Allow" prompt of permissions.request(). With the origin pre-granted, request() resolves
// true without a prompt, so the same user path runs end to end.
const e2e = process.env.SIDECAR_E2E === '1';
// `npm run bench` only: an e2e build whose pacer compresses the vendors' rate windows like the
// bench's emulators do (lib/psa/pacing.ts), built into its own folder.
const benchTimescale = e2e ? Number(process.env.SIDECAR_BENCH_TIMESCALE ?? 1) : 1;
if (!(benchTimescale >= 1)) throw new Error(`SIDECAR_BENCH_TIMESCALE must be a number ≥ 1, not "${process.env.SIDECAR_BENCH_TIMESCALE}".`);
// The sites an integration may ask for when it is saved (permissions.request in the options page).
const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  ...(e2e ? { outDirTemplate: `${benchTimescale === 1 ? 'e2e' : 'bench'}-{{browser}}-mv{{manifestVersion}}` } : {}),
  vite: () => ({
    // SIDECAR_READABLE_BUILD=1: unminified bundles, so CPU profiles (`npm run bench`, SIDECAR_BENCH_PROFILE) name functions.
    ...(process.env.SIDECAR_READABLE_BUILD === '1' ? { build: { minify: false } } : {}),
    define: {
      __SIDECAR_RATE_TIMESCALE__: JSON.stringify(benchTimescale),
      // The e2e build's team sync lease lasts 30 s instead of 10 minutes, so a member taking over
      // after the holder went away fits a test (lib/team/lease.ts). Production builds: undefined.
      // The bench build keeps production's lease, so its team figures are what technicians get.
      __SIDECAR_LEASE_TTL_MS__: e2e && benchTimescale === 1 ? '30000' : 'undefined',
    },
    // The Markdown parser's browser build decodes entities through `innerHTML` on a detached
    // element; its plain build uses a table instead (+12 kB gzip): no HTML sink in any bundle.
    resolve: {
      alias: [
        {
          find: /^decode-named-character-reference$/,
          replacement: fileURLToPath(new URL('./node_modules/decode-named-character-reference/index.js', import.meta.url)),
        },
      ],
    },
  }),
  zip: {
    excludeSources: ['.tools/**', '.ci-*.json', 'test-results/**', 'playwright-report/**', 'demo-output/**', 'bench-output/**'],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Sidecar',
    description: "Your clients' documentation beside the PSA ticket you are working on.",
    // clipboardWrite: the overlay's Copy writes a credential's secret from the background (lib/background/clipboard.ts):
    // through an offscreen document in Chrome's MV3 worker, from the background page itself in Firefox.
    permissions: ['alarms', 'storage', 'scripting', 'clipboardWrite', ...(browser !== 'firefox' && manifestVersion === 3 ? ['offscreen'] : [])],
    host_permissions: e2e ? ['http://127.0.0.1/*', 'http://localhost/*'] : [],
    // MV3 (Chrome, Edge) has a key for them; MV2 (the Firefox build, see README "Browsers") lists
    // them in optional_permissions, and WXT would silently drop the MV3 key from an MV2 manifest.
    ...(manifestVersion === 2 ? { optional_permissions: OPTIONAL_HOSTS } : { optional_host_permissions: OPTIONAL_HOSTS }),
    // The overlay is this extension page, framed by the content script inside its closed shadow
    // root on PSA pages (lib/content/overlay-mount.ts): another origin the page cannot read.
    // An MSP's policy (MDM) may set the team server and database for every technician (lib/team/managed.ts).
    ...(browser !== 'firefox' ? { storage: { managed_schema: 'managed-schema.json' } } : {}),
    web_accessible_resources: [{ resources: ['overlay-frame.html'], matches: ['https://*/*', 'http://*/*'] }],
    // The toolbar button: WXT lists public/icon/*.png under `icons` only. 16 and 32 px are the
    // toolbar's drawing (assets/icon-small.svg), at 1x and 2x (scripts/icon-render.ts).
    [manifestVersion === 2 ? 'browser_action' : 'action']: { default_icon: { 16: 'icon/16.png', 32: 'icon/32.png' } },
    // Ctrl+K anywhere opens the popup, whose first control is the search across client spaces.
    commands: {
      [manifestVersion === 2 ? '_execute_browser_action' : '_execute_action']: {
        suggested_key: { default: 'Ctrl+K', mac: 'Command+K' },
        description: 'Search all client spaces',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'sidecar@sidecar.invalid', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
