/**
 * npm run release -- patch|minor|major|<x.y.z>: bumps the version (package.json, whose version WXT
 * puts in both manifests, and package-lock.json) and moves CHANGELOG.md's Unreleased notes under
 * it with today's date (scripts/release-plan.ts). Writes nothing when it refuses. It commits and
 * tags nothing: review the diff, commit, then `npm run zip` for the stores.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planRelease, ReleaseError } from './release-plan.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const paths = { packageJson: 'package.json', packageLock: 'package-lock.json', changelog: 'CHANGELOG.md' } as const;

const request = process.argv[2];
if (!request || process.argv.length > 3) {
  console.error('Usage: npm run release -- patch|minor|major|<x.y.z>');
  process.exit(1);
}
/** Today in local time, as the changelog dates a release. */
const now = new Date();
const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;

try {
  const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');
  const plan = planRelease({ packageJson: read(paths.packageJson), packageLock: read(paths.packageLock), changelog: read(paths.changelog) }, request, today);
  for (const key of Object.keys(paths) as (keyof typeof paths)[]) writeFileSync(`${root}${paths[key]}`, plan.files[key]);
  console.log(`Sidecar ${plan.from} → ${plan.version} (${today}): package.json, package-lock.json and CHANGELOG.md updated. Review, commit, then npm run zip.`);
} catch (error) {
  if (!(error instanceof ReleaseError)) throw error;
  console.error(`release: ${error.message} Nothing was changed.`);
  process.exit(1);
}
