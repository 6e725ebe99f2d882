// ESLint for Sidecar (issue #13): `npm run lint`, part of `npm test`. Code rules live here;
// which module may import which is dependency-cruiser's job (.dependency-cruiser.cjs), and
// formatting is Prettier's (.prettierrc.json), so no rule here is about layout.
//
// TypeScript 7 and typescript-eslint. TypeScript 7.0 (the native compiler) ships no JavaScript
// API: `require('typescript')` on typescript@7 returns only `{ version }`, and typescript-eslint's
// parser needs the API even for plain parsing (peer range `typescript >=4.8.4 <6.1.0`). So the
// project installs both, side by side, the way TypeScript's 7.0 release notes describe:
//   "typescript": "npm:@typescript/typescript6@6.0.2"  what `require('typescript')` finds: the TS 6
//                                                       JS API, for typescript-eslint's parser and
//                                                       dependency-cruiser's TS extractor; bin `tsc6`
//   "@typescript/native": "npm:typescript@7.0.2"        the native compiler; bin `tsc`, so `npx tsc
//                                                       --noEmit` (`npm run typecheck`) is TypeScript 7
// (@typescript/typescript6 re-exports typescript@6, installed as `@typescript/old`, whose bin is
// also named `tsc`; npm links bins in path order and keeps the first, and node_modules/@typescript/
// native sorts before node_modules/@typescript/old, so `tsc` stays 7: `npx tsc --version`.)
// Keeping `typescript` at 7 and adding 6 under another name does not work: typescript-eslint
// requires the module named `typescript` and has no option to be handed another.
// TS 6.0 and 7.0 accept the same language, so parsing with 6 is faithful. Linting is syntactic
// (typescript-eslint's `recommended`, no type-aware rules). Type-aware rules do run on this setup
// (TS 6's checker), but measured on main, `recommendedTypeChecked` cost ~4x the CPU of this lint
// (a second whole program: ~60 s of CPU against ~16 s) for ~940 findings, 906 of them in tests
// (697 no-unsafe-* on their `any`) and none from no-floating-promises or no-misused-promises, and
// `tsc` (7) already type-checks. Switch `typescript` back to 7.x and drop the alias once
// typescript-eslint supports TypeScript 7's API.
//
// Every eslint-disable comment says why (`-- reason`): eslint-comments/require-description, and
// unused disables are errors (linterOptions below, and `--max-warnings 0` in the lint script).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import eslintComments from '@eslint-community/eslint-plugin-eslint-comments';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Sidecar renders PSA data as text only (README "Trust boundaries"): no HTML string sinks. */
const HTML_SINK = 'renders a string as HTML: build nodes (React, textContent, createElement) instead. PSA data is text, never markup.';

export default defineConfig(
  {
    name: 'sidecar/ignores',
    ignores: ['node_modules/', '.output/', '.wxt/', '.tools/', 'test-results/', 'playwright-report/', 'demo-output/', 'bench-output/', '.vitest/'],
  },
  {
    name: 'sidecar/linter-options',
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'sidecar/all',
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { '@eslint-community/eslint-comments': eslintComments },
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // A disable states its reason: `// eslint-disable-next-line rule -- why`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
      '@eslint-community/eslint-comments/no-aggregating-enable': 'error',
      '@eslint-community/eslint-comments/no-duplicate-disable': 'error',
      // `_name` marks a parameter or binding kept on purpose (a callback's position, a rest sibling).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // @ts-expect-error / @ts-ignore need a description too (typescript-eslint's recommended
      // already requires one for @ts-expect-error and bans @ts-ignore; stated here on purpose).
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true, 'ts-nocheck': true, minimumDescriptionLength: 5 },
      ],
    },
  },
  {
    // The project's security rule: shipped code has no HTML string sinks. Tests are exempt: the
    // attacker suite reads the page's markup on purpose, and the emulators serve HTML.
    name: 'sidecar/no-html-sinks',
    files: ['lib/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'entrypoints/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: `innerHTML ${HTML_SINK}` },
        { property: 'outerHTML', message: `outerHTML ${HTML_SINK}` },
        { property: 'insertAdjacentHTML', message: `insertAdjacentHTML ${HTML_SINK}` },
        { property: 'setHTMLUnsafe', message: `setHTMLUnsafe ${HTML_SINK}` },
        { object: 'document', property: 'write', message: `document.write ${HTML_SINK}` },
        { object: 'document', property: 'writeln', message: `document.writeln ${HTML_SINK}` },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: `dangerouslySetInnerHTML ${HTML_SINK}`,
        },
        {
          selector: 'MemberExpression[computed=true][property.value=/^(innerHTML|outerHTML|insertAdjacentHTML|setHTMLUnsafe)$/]',
          message: `An HTML sink by computed name ${HTML_SINK}`,
        },
        {
          selector:
            'Property[key.name=/^(innerHTML|outerHTML|dangerouslySetInnerHTML)$/], Property[key.value=/^(innerHTML|outerHTML|dangerouslySetInnerHTML)$/]',
          message: `An HTML sink set through an object literal (Object.assign, props spread) ${HTML_SINK}`,
        },
      ],
    },
  },
  {
    // React's rules of hooks for the React code (components/, and the pages' entries).
    name: 'sidecar/react-hooks',
    files: ['components/**/*.{ts,tsx}', 'entrypoints/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The config files at the root are Node CommonJS where they end in .cjs.
    name: 'sidecar/cjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
