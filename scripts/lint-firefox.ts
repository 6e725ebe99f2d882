/**
 * npm run lint:firefox: Mozilla's add-on linter (`web-ext lint`) over the Firefox package that
 * `npm run zip` made (.output/<name>-<version>-firefox.zip), the file that would be uploaded to
 * addons.mozilla.org; `npm run lint:firefox -- <zip or folder>` lints another. Fails on any error;
 * warnings and notices are listed and allowed.
 *
 * Not `--self-hosted`: that option drops the checks AMO applies to a listed add-on (the gecko id,
 * data_collection_permissions), and the package is made to pass them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}
interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { name: string; version: string };
const packaged = `.output/${pkg.name}-${pkg.version}-firefox.zip`;
const zip = process.argv[2] ?? packaged;
const target = process.argv[2] ? resolve(process.argv[2]) : resolve(root, packaged);
if (!existsSync(target)) {
  console.error(
    zip === packaged
      ? `lint:firefox: ${zip} is missing: run npm run zip first (it packages package.json's version, ${pkg.version}).`
      : `lint:firefox: ${zip} does not exist.`,
  );
  process.exit(1);
}

const run = spawnSync(`${root}node_modules/.bin/web-ext`, ['lint', '--source-dir', target, '--no-config-discovery', '--output', 'json'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report: LintReport;
try {
  report = JSON.parse(run.stdout) as LintReport;
} catch {
  console.error(`lint:firefox: web-ext lint gave no report (exit ${run.status ?? run.signal}):\n${run.stderr || run.stdout}`);
  process.exit(1);
}

const where = (m: LintMessage) => (m.file ? ` ${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}` : '');
const { errors, warnings, notices } = report.summary;
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
console.log(`web-ext lint ${zip}: ${count(errors, 'error')}, ${count(warnings, 'warning')}, ${count(notices, 'notice')}`);
for (const [kind, list] of [
  ['error', report.errors],
  ['warning', report.warnings],
  ['notice', report.notices],
] as const) {
  for (const m of list) console.log(`  ${kind} ${m.code}${where(m)}: ${m.message}`);
}
// web-ext exits non-zero on errors too; both are checked, so neither a count nor a crash slips by.
if (errors > 0 || run.status !== 0) process.exit(1);
