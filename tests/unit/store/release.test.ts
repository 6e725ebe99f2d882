import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextVersion, planRelease, releaseChangelog, ReleaseError, withVersion } from '@/scripts/release-plan';

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Added

- Store icons.

### Fixed

## [0.1.0] - 2026-12-07

### Added

- Everything.
`;

const packageJson = (version: string) => `${JSON.stringify({ name: 'sidecar', version, private: true }, null, 2)}\n`;
const packageLock = (version: string, rootVersion = version) =>
  `${JSON.stringify({ name: 'sidecar', version, lockfileVersion: 3, packages: { '': { name: 'sidecar', version: rootVersion }, 'node_modules/x': { version: '9.9.9' } } }, null, 2)}\n`;

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ReleaseError) return error.message;
    throw error;
  }
  throw new Error('expected a ReleaseError');
};

describe('npm run release: the next version', () => {
  it('patch, minor and major count up from package.json’s version', () => {
    expect(nextVersion('0.1.9', 'patch')).toBe('0.1.10');
    expect(nextVersion('0.1.9', 'minor')).toBe('0.2.0');
    expect(nextVersion('0.1.9', 'major')).toBe('1.0.0');
  });

  it('an x.y.z is taken only when it is greater (compared as numbers, not text)', () => {
    expect(nextVersion('0.9.0', '0.10.0')).toBe('0.10.0');
    expect(refusal(() => nextVersion('0.1.0', '0.1.0'))).toBe('0.1.0 is not greater than the current version, 0.1.0.');
    expect(refusal(() => nextVersion('0.10.0', '0.9.9'))).toBe('0.9.9 is not greater than the current version, 0.10.0.');
  });

  it('anything else is refused, saying what is accepted', () => {
    for (const request of ['1.2', '1.2.3-beta', 'v1.2.3', '01.2.3', 'next', ''])
      expect(refusal(() => nextVersion('0.1.0', request))).toBe(`"${request}" is not patch, minor, major or a version like 1.2.3.`);
    expect(refusal(() => nextVersion('0.1.0-rc1', 'patch'))).toMatch(/^package.json's version "0.1.0-rc1" is not x.y.z/);
  });
});

describe('npm run release: the changelog', () => {
  it('moves the Unreleased notes under the new version and date, leaving Unreleased empty above', () => {
    expect(releaseChangelog(CHANGELOG, '0.2.0', '2027-01-15')).toBe(`# Changelog

Intro.

## [Unreleased]

## [0.2.0] - 2027-01-15

### Added

- Store icons.

## [0.1.0] - 2026-12-07

### Added

- Everything.
`);
  });

  it('releases a changelog whose Unreleased is its last section', () => {
    expect(releaseChangelog('# Changelog\n\n## [Unreleased]\n\n- First.\n', '0.1.0', '2026-12-07')).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-12-07\n\n- First.\n',
    );
  });

  it('refuses an empty Unreleased (blank, or headings with no note under them)', () => {
    const message = "CHANGELOG.md's Unreleased section is empty: write what this release changes there first.";
    expect(refusal(() => releaseChangelog(CHANGELOG.replace('- Store icons.\n', ''), '0.2.0', '2027-01-15'))).toBe(message);
    expect(refusal(() => releaseChangelog('# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-12-07\n\n- x\n', '0.2.0', '2027-01-15'))).toBe(message);
  });

  it('refuses a changelog without Unreleased, a version it already has, a malformed date', () => {
    expect(refusal(() => releaseChangelog('# Changelog\n\n## [0.1.0] - 2026-12-07\n', '0.2.0', '2027-01-15'))).toBe(
      'CHANGELOG.md has no "## [Unreleased]" section to release.',
    );
    expect(refusal(() => releaseChangelog(CHANGELOG, '0.1.0', '2027-01-15'))).toBe('CHANGELOG.md already has a section for 0.1.0.');
    expect(refusal(() => releaseChangelog(CHANGELOG, '0.2.0', '15/01/2027'))).toBe('The release date must be YYYY-MM-DD, not "15/01/2027".');
  });
});

describe('npm run release: package.json and package-lock.json', () => {
  it('sets the version in package.json and both of the lock’s root entries, nothing else, as npm writes them', () => {
    expect(withVersion('package.json', packageJson('0.1.0'), '0.1.0', '0.2.0')).toBe(packageJson('0.2.0'));
    const lock = withVersion('package-lock.json', packageLock('0.1.0'), '0.1.0', '0.2.0');
    expect(lock).toBe(packageLock('0.2.0'));
    expect(lock).toContain('"version": "9.9.9"');
  });

  it('refuses a lock out of step with package.json', () => {
    expect(refusal(() => withVersion('package-lock.json', packageLock('0.1.0', '0.0.9'), '0.1.0', '0.2.0'))).toBe(
      'package-lock.json says version 0.1.0 and 0.0.9, not 0.1.0: bring it in line with package.json first.',
    );
  });

  it('plans every file or refuses before any (the script writes only a whole plan)', () => {
    const files = { packageJson: packageJson('0.1.0'), packageLock: packageLock('0.1.0'), changelog: CHANGELOG };
    const plan = planRelease(files, 'minor', '2027-01-15');
    expect(plan).toMatchObject({ from: '0.1.0', version: '0.2.0' });
    expect(plan.files.packageJson).toBe(packageJson('0.2.0'));
    expect(plan.files.packageLock).toBe(packageLock('0.2.0'));
    expect(plan.files.changelog).toContain('## [0.2.0] - 2027-01-15\n\n### Added\n\n- Store icons.');
    expect(refusal(() => planRelease({ ...files, changelog: CHANGELOG.replace('- Store icons.\n', '') }, 'minor', '2027-01-15'))).toMatch(/empty/);
    expect(refusal(() => planRelease(files, '0.0.1', '2027-01-15'))).toMatch(/not greater/);
  });
});

describe('the repository’s own changelog', () => {
  const root = new URL('../../../', import.meta.url);
  const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8');
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };

  it('has an Unreleased section and a dated section for package.json’s version (a version bumped by hand has none)', () => {
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    expect(changelog).toMatch(new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });
});
