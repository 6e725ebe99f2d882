// Import rules for Sidecar (issue #13), checked by `npm run deps:check` (part of `npm test`).
// ESLint checks code; this file checks which module may import which.
//
// The layers, lowest first (nothing imports a layer above its own; the rules below say exactly
// what each may import):
//   0  foundation   lib/errors.ts, lib/psa/types.ts, lib/psa/kinds.ts, lib/psa/ticket-writer.ts, lib/psa/billing-writer.ts, lib/browser.ts, lib/host-pattern.ts
//   1  data, PSAs   lib/psa/** (descriptors: adapters, clients, forms, page parts), lib/db/** (Dexie schema, reads),
//                   lib/docstore/** (what technicians write: PouchDB, background only),
//                   lib/detect/** (page detection's vocabulary and loop), lib/secrets/**
//   2  domain       lib/items/** (records as shown), lib/documents/** (what technicians write), lib/sync/**, lib/layouts/**, lib/match/**, lib/search/**,
//                   lib/overlay-view/**, lib/setup/**, lib/team/** (the team's CouchDB: membership, replication),
//                   lib/tickets/** (tickets made in Sidecar: form, rules, outbox), lib/billing/** (counts onto agreements)
//   3  wiring       lib/messaging/** (the protocol names domain schemas), lib/background/**,
//                   lib/integrations/**, lib/content/**, lib/overlay-frame/**
//   4  UI, entries  components/**, entrypoints/**
// and, across the layers, the trust boundary: code that runs in the PSA page (the content script:
// lib/content, lib/detect, the PSAs' page parts, entrypoints/psa.content) never reaches the
// database, the sync, the secrets, the PSA clients or the background.
//
// Type-only imports count (tsPreCompilationDeps): a type import still ties a lower layer to a
// higher one. Tests (tests/**) are not cruised: they may import anything from lib/.

/** The foundation: imports nothing else from lib/. */
const FOUNDATION = '^lib/(errors|browser|host-pattern)\\.ts$|^lib/psa/(types|kinds|ticket-writer|billing-writer)\\.ts$';
/** The domain folders (layer 2). */
const DOMAIN = '^lib/(items|documents|sync|layouts|match|search|overlay-view|setup|team|tickets|billing)/';
/** Layer 3: wiring that sits above the domain. */
const WIRING = '^lib/(messaging|background|integrations|content|overlay-frame)/';
/** Where the content script's own code lives (it runs in the PSA page's origin). */
const CONTENT_SCRIPT = '^lib/(content|detect)/|^entrypoints/psa\\.content/';
/** What content-script code must never reach: the database, the sync, the secrets, the PSA adapters and clients, the background. */
const PRIVILEGED =
  '^lib/(db|docstore|sync|background|secrets|integrations|setup|team)/|^lib/tickets/(service|outbox)\\.ts$|^lib/billing/(run|view|counts)\\.ts$|^node_modules/(dexie|pouchdb-[a-z-]+)/|' +
  // Everything in lib/psa but the foundation and the PSAs' light page parts (PsaPages).
  '^lib/psa/(?!(types|kinds|pages|ticket-writer|billing-writer)\\.ts$|[^/]+/(pages|page-[a-z-]+|hosts|lzma)\\.ts$)';
/**
 * Schemas the message protocol carries (lib/messaging/protocol.ts imports them, and the content
 * script sends and checks those messages): zod and constants only, so the content script may reach them.
 */
const PROTOCOL_SCHEMAS = '^lib/sync/options-schema\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere in lib/, components/, entrypoints/ (type-only imports count).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment:
        'No cycles between folders either (lib/sync -> lib/layouts -> lib/sync is a cycle even when no single module is in one): two folders that need each other are one layer or have a piece in the wrong place.',
      scope: 'folder',
      // lib/psa/types.ts and kinds.ts are the foundation but sit in lib/psa, so lib/db -> lib/psa
      // (the canonical record types) plus lib/psa -> lib/db (registry.ts names the integration row,
      // type-only, checked by psa-db-types-only) is a folder "cycle" inside one layer, and so is
      // lib/detect -> lib/psa (PsaKind only, checked by detect-is-pure) plus lib/psa -> lib/detect
      // (the PSAs' page parts use detection's vocabulary). Those pairs are let through here (this
      // rule and the next); every other folder cycle is an error.
      from: { pathNot: '^lib/(psa|db|detect)$' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders-psa-db',
      severity: 'error',
      comment: 'The folder-cycle rule above, for the edges that leave lib/psa and lib/db (other than to each other).',
      scope: 'folder',
      from: { path: '^lib/(psa|db|detect)$' },
      to: { circular: true, pathNot: '^lib/(psa|db|detect)$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo or a stale path after a move).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      comment: 'Shipped code never imports test code.',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
    {
      name: 'lib-not-to-ui',
      severity: 'error',
      comment: 'lib/ never imports components/ or entrypoints/.',
      from: { path: '^lib/' },
      to: { path: '^(components|entrypoints)/' },
    },
    {
      name: 'foundation-is-leaf',
      severity: 'error',
      comment: 'The foundation (lib/errors.ts, lib/psa/types.ts, lib/psa/kinds.ts, lib/browser.ts, lib/host-pattern.ts) imports nothing else from lib/.',
      from: { path: FOUNDATION },
      to: { path: '^lib/', pathNot: FOUNDATION },
    },
    {
      name: 'db-below-domain',
      severity: 'error',
      comment:
        'lib/db (schema, read queries) imports only lib/db and the foundation: nothing from lib/sync, lib/search, lib/layouts, lib/background or any other layer above it, not even types.',
      from: { path: '^lib/db/' },
      to: { path: '^lib/', pathNot: `^lib/db/|${FOUNDATION}` },
    },
    {
      name: 'docstore-below-domain',
      severity: 'error',
      comment: 'lib/docstore (PouchDB, the documents technicians write) imports only lib/docstore, lib/db (the author preference) and the foundation.',
      from: { path: '^lib/docstore/' },
      to: { path: '^lib/', pathNot: `^lib/(docstore|db)/|${FOUNDATION}` },
    },
    {
      name: 'psa-below-domain',
      severity: 'error',
      comment: "lib/psa imports only lib/psa, the foundation, lib/detect (the page parts' vocabulary) and lib/db's row types (type-only).",
      from: { path: '^lib/psa/' },
      to: { path: '^lib/', pathNot: `^lib/(psa|db|detect)/|${FOUNDATION}` },
    },
    {
      name: 'psa-db-types-only',
      severity: 'error',
      comment: 'lib/psa may name lib/db row types, but never use the database itself (type-only imports).',
      from: { path: '^lib/psa/' },
      to: { path: '^lib/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'secrets-below-domain',
      severity: 'error',
      comment: 'lib/secrets imports only lib/secrets, lib/db and the foundation.',
      from: { path: '^lib/secrets/' },
      to: { path: '^lib/', pathNot: `^lib/(secrets|db)/|${FOUNDATION}` },
    },
    {
      name: 'detect-is-pure',
      severity: 'error',
      comment: 'lib/detect (pure URL and DOM predicates, bundled into the content script) imports only lib/detect and the foundation.',
      from: { path: '^lib/detect/' },
      to: { path: '^lib/', pathNot: `^lib/detect/|${FOUNDATION}` },
    },
    {
      name: 'domain-not-to-wiring',
      severity: 'error',
      comment:
        'The domain (lib/sync, layouts, match, search, overlay-view, setup) never imports the wiring above it: lib/messaging (the protocol and router), lib/background, lib/integrations, lib/content, lib/overlay-frame. A type the protocol and the domain share lives in the domain.',
      from: { path: DOMAIN },
      to: { path: WIRING },
    },
    {
      name: 'below-background',
      severity: 'error',
      comment: 'Only lib/background, lib/integrations (and entrypoints) import lib/background and lib/integrations.',
      from: { path: '^lib/', pathNot: '^lib/(background|integrations)/' },
      to: { path: '^lib/(background|integrations)/' },
    },
    {
      name: 'content-script-isolation',
      severity: 'error',
      comment:
        "Content-script code (lib/content, lib/detect, entrypoints/psa.content) runs in the PSA page's origin: it never imports the database, the sync, the secrets, the PSA adapters and clients, or the background. It asks the background over messages.",
      from: { path: CONTENT_SCRIPT },
      to: { path: PRIVILEGED, pathNot: PROTOCOL_SCHEMAS },
    },
    {
      name: 'content-script-bundle',
      severity: 'error',
      comment:
        "Nothing the content script's entries reach, however indirectly, is privileged code (what the rule above checks for direct imports, checked here for the whole bundle).",
      from: { path: '^entrypoints/psa\\.content/' },
      to: { path: PRIVILEGED, pathNot: PROTOCOL_SCHEMAS, reachable: true },
    },
    {
      name: 'components-not-to-privileged',
      severity: 'error',
      comment:
        'components/ (React, view state only) reads IndexedDB through lib/db and asks for every write over a background message: it never imports the background, the integrations service, the router, the PSA adapters, clients and HTTP, the secrets store, the sync engine and scheduler, or the setup import.',
      from: { path: '^components/' },
      to: {
        path: '^lib/(background|integrations)/|^lib/messaging/(router|sender)\\.ts$|^lib/psa/[^/]+/(adapter|client|connect|normalize|paging|wire)\\.ts$|^lib/psa/(http|registry|psa-registry|token-session)\\.ts$|^lib/secrets/(store|vault|session)\\.ts$|^lib/docstore/|^lib/sync/(engine|scheduler|lock|read-ahead|dry-run|archive)\\.ts$|^lib/setup/import\\.ts$|^lib/(layouts|search)/service\\.ts$|^lib/search/memory\\.ts$|^lib/team/(service|replication|reseal|state|probe|team-key)\\.ts$|^lib/tickets/(service|outbox)\\.ts$|^lib/billing/(run|view|counts)\\.ts$',
      },
    },
    {
      name: 'entrypoints-are-leaves',
      severity: 'error',
      comment: 'Nothing imports an entrypoint: they are wiring only, built one bundle each.',
      from: {},
      to: { path: '^entrypoints/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^node_modules/', '^\\.output/', '^\\.wxt/', '^\\.tools/', '^tests/emulator/', '^test-results/'] },
    // Type-only imports are dependencies too (see the top of this file).
    tsPreCompilationDeps: true,
    // WXT generates the `@/` path alias into .wxt/tsconfig.json (`wxt prepare`, run by npm's
    // postinstall). Resolving through the root tsconfig.json, which extends it, leaves every `@/`
    // import unresolved: the paths are relative to .wxt/, which the paths plugin does not follow.
    tsConfig: { fileName: '.wxt/tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.jsx'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
