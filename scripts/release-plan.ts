/**
 * What `npm run release -- patch|minor|major|<x.y.z>` changes (scripts/release.ts writes it): the
 * version in package.json (WXT takes the manifest's version from it) and package-lock.json, and
 * CHANGELOG.md's Unreleased notes moved under the new version with the day's date. Pure: text in,
 * text out, a ReleaseError when the release is refused (then nothing is written).
 */

export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseError';
  }
}

type Triple = [number, number, number];

/** Plain x.y.z: a browser's manifest version has no pre-release part, and WXT would drop one. */
const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export function parseVersion(text: string): Triple | undefined {
  const match = VERSION.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The version a release makes from `current` and what was asked: patch, minor, major, or an x.y.z greater than `current`. */
export function nextVersion(current: string, request: string): string {
  const from = parseVersion(current);
  if (!from) throw new ReleaseError(`package.json's version "${current}" is not x.y.z: set it by hand first.`);
  const [major, minor, patch] = from;
  if (request === 'patch') return `${major}.${minor}.${patch + 1}`;
  if (request === 'minor') return `${major}.${minor + 1}.0`;
  if (request === 'major') return `${major + 1}.0.0`;
  const to = parseVersion(request);
  if (!to) throw new ReleaseError(`"${request}" is not patch, minor, major or a version like 1.2.3.`);
  if (compareVersions(to, from) <= 0) throw new ReleaseError(`${request} is not greater than the current version, ${current}.`);
  return request;
}

const UNRELEASED = /^## \[Unreleased\][ \t]*$/m;
const SECTION = /^## /m;

/** A body's `### Added`-style headings with nothing under them dropped, blank runs squeezed, trimmed. */
function tidyNotes(body: string): string {
  const blocks = body.split(/^(?=### )/m);
  const kept = blocks.filter((block) => !/^### /.test(block) || block.replace(/^### .*$/m, '').trim() !== '');
  return kept
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The changelog with the Unreleased notes under `## [version] - date` and an empty Unreleased
 * section left above them. Refused when Unreleased holds no note, or `version` has a section already.
 */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ReleaseError(`The release date must be YYYY-MM-DD, not "${date}".`);
  const heading = UNRELEASED.exec(changelog);
  if (!heading) throw new ReleaseError('CHANGELOG.md has no "## [Unreleased]" section to release.');
  const start = heading.index + heading[0].length;
  const rest = changelog.slice(start);
  const next = SECTION.exec(rest);
  const body = next ? rest.slice(0, next.index) : rest;
  const notes = tidyNotes(body);
  if (!notes) throw new ReleaseError("CHANGELOG.md's Unreleased section is empty: write what this release changes there first.");
  const escaped = version.replaceAll('.', '\\.');
  if (new RegExp(`^## \\[${escaped}\\]`, 'm').test(changelog)) throw new ReleaseError(`CHANGELOG.md already has a section for ${version}.`);
  const after = next ? rest.slice(next.index) : '';
  return `${changelog.slice(0, start)}\n\n## [${version}] - ${date}\n\n${notes}\n${after ? `\n${after}` : ''}`;
}

/**
 * package.json or package-lock.json with the new version, as npm writes them (two-space JSON, a
 * final newline). The lock names the root package's version twice; both must be the current one.
 */
export function withVersion(file: string, text: string, from: string, to: string): string {
  const json = JSON.parse(text) as { version?: unknown; packages?: Record<string, { version?: unknown }> };
  const root = json.packages?.[''];
  const found = [json.version, ...(root ? [root.version] : [])];
  if (found.some((version) => version !== from)) {
    throw new ReleaseError(`${file} says version ${found.join(' and ')}, not ${from}: bring it in line with package.json first.`);
  }
  json.version = to;
  if (root) root.version = to;
  return `${JSON.stringify(json, null, 2)}\n`;
}

export interface ReleaseFiles {
  packageJson: string;
  packageLock: string;
  changelog: string;
}

/** Every file's new text, or a ReleaseError before any is written. */
export function planRelease(files: ReleaseFiles, request: string, date: string): { from: string; version: string; files: ReleaseFiles } {
  const from = (JSON.parse(files.packageJson) as { version?: unknown }).version;
  if (typeof from !== 'string') throw new ReleaseError('package.json has no version.');
  const version = nextVersion(from, request);
  return {
    from,
    version,
    files: {
      packageJson: withVersion('package.json', files.packageJson, from, version),
      packageLock: withVersion('package-lock.json', files.packageLock, from, version),
      changelog: releaseChangelog(files.changelog, version, date),
    },
  };
}
