import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConfigEnv, UserManifest } from 'wxt';
import config from '@/wxt.config';

/**
 * The stores ask why each permission is there (the Chrome Web Store's Privacy form, AMO's
 * reviewers): README "Packages, permissions and privacy" and store/listing.md say it. These tests
 * fail when wxt.config.ts asks for a permission neither of them explains.
 */

const root = new URL('../../../', import.meta.url);
const text = (path: string) => readFileSync(new URL(path, root), 'utf8');

async function manifestFor(browser: 'chrome' | 'firefox', manifestVersion: 2 | 3): Promise<UserManifest> {
  const env: ConfigEnv = { browser, manifestVersion, mode: 'production', command: 'build' };
  const manifest = typeof config.manifest === 'function' ? config.manifest(env) : config.manifest;
  return (await manifest) ?? {};
}

/** The part of a Markdown file from a heading to the next heading of the same level or above. */
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The first cell of each row of the Markdown tables in `markdown`. */
const firstCells = (markdown: string) => [...markdown.matchAll(/^\| ([^|]+?) \|/gm)].map((match) => match[1]!);

const builds = [
  { name: 'Chrome/Edge (MV3)', manifest: () => manifestFor('chrome', 3), optionalHosts: 'optional_host_permissions' as const },
  { name: 'Firefox (MV2)', manifest: () => manifestFor('firefox', 2), optionalHosts: 'optional_permissions' as const },
];

describe('every permission has its reason', () => {
  const readme = section(text('README.md'), '## Packages, permissions and privacy');
  const readmeRows = firstCells(readme);
  const listing = text('store/listing.md');

  for (const build of builds) {
    it(`${build.name}: each permission and optional host pattern has its row in the README's table`, async () => {
      const manifest = await build.manifest();
      const permissions = (manifest.permissions ?? []) as string[];
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) {
        expect(
          readmeRows.some((cell) => cell === `\`${permission}\``),
          `README: no row for \`${permission}\``,
        ).toBe(true);
      }
      const hosts = (manifest[build.optionalHosts] ?? []) as string[];
      const hostRow = readmeRows.find((cell) => cell.includes(`\`${build.optionalHosts}\``) || cell.includes(`(Firefox: \`${build.optionalHosts}\`)`));
      expect(hostRow, `README: no row for ${build.optionalHosts}`).toBeDefined();
      for (const host of hosts) expect(hostRow, `README: ${build.optionalHosts} row`).toContain(`\`${host}\``);
    });
  }

  it('the Chrome Web Store form: one justification per permission of the Chrome package, no more, and the host patterns', async () => {
    const manifest = await manifestFor('chrome', 3);
    const rows = firstCells(section(listing, '### Permission justifications')).filter((cell) => cell !== 'permission' && !/^-+$/.test(cell));
    expect(rows.sort()).toEqual(((manifest.permissions ?? []) as string[]).map((permission) => `\`${permission}\``).sort());
    const hostText = section(listing, '### Host permission justification');
    for (const host of (manifest.optional_host_permissions ?? []) as string[]) expect(hostText).toContain(`\`${host}\``);
  });

  // The README and the listing say nothing is asked at install; the e2e build adds loopback on purpose.
  it.skipIf(process.env.SIDECAR_E2E === '1')('no host permission at install, in either build', async () => {
    for (const build of builds) expect((await build.manifest()).host_permissions ?? [], build.name).toEqual([]);
  });

  it('the store summary is the manifest description (the Chrome Web Store takes it from there), at most 132 characters', async () => {
    const summary = section(listing, '## Short description (Chrome "Summary", at most 132 characters; AMO "Summary")')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1);
    const { description } = await manifestFor('chrome', 3);
    expect(summary).toBe(description);
    expect(description!.length).toBeLessThanOrEqual(132);
  });
});
