import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { badgeFor } from '@/lib/background/badge';
import { ICONS, pngPath, rasterise, renderIcon, svgPath } from '@/scripts/icon-render';

/** A PNG's width and height from its IHDR chunk, which must come first (PNG spec §5.6). */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: its first 8 bytes are not the PNG signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: its first chunk is not IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = ([r, g, b]: readonly number[]) => {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
};
const contrast = (a: readonly number[], b: readonly number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('the extension icons (public/icon, from assets/*.svg)', () => {
  it('are the sizes WXT puts in the manifest, and only those', () => {
    const files = readdirSync(new URL('../../../public/icon/', import.meta.url)).sort();
    expect(files).toEqual(ICONS.map(({ size }) => `${size}.png`).sort());
  });

  for (const spec of ICONS) {
    it(`${spec.size}.png is ${spec.size}×${spec.size} px and what assets/${spec.source} renders (else: npm run icons)`, () => {
      expect(existsSync(pngPath(spec.size)), `public/icon/${spec.size}.png is missing: run npm run icons`).toBe(true);
      const png = readFileSync(pngPath(spec.size));
      expect(pngSize(png)).toEqual({ width: spec.size, height: spec.size });
      expect(png.equals(renderIcon(spec)), `public/icon/${spec.size}.png is not what assets/${spec.source} renders: run npm run icons`).toBe(true);
    });
  }

  it('a changed SVG renders other bytes (so the check above can fail)', () => {
    const spec = ICONS[0]!;
    const svg = readFileSync(svgPath(spec.source), 'utf8');
    expect(renderIcon(spec, svg.replace('#0b5cc0', '#0b5cc1')).equals(renderIcon(spec, svg))).toBe(false);
  });

  // The tile carries its own background, so the toolbar's colour (light or dark) never sits behind
  // the glyph: what must hold is the glyph against the tile, at every size. (icon.svg drawn at
  // 16 px blurs its strokes to 4.3:1: why the toolbar sizes have icon-small.svg.)
  for (const spec of ICONS) {
    it(`${spec.size}.png's glyph stands out from its tile (its two main colours ≥ 4.5:1)`, () => {
      const { pixels } = rasterise(spec);
      const counts = new Map<string, number>();
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] !== 255) continue; // the transparent margin and the tile's rounded corners
        const rgb = `${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`;
        counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
      }
      const [tile, glyph] = [...counts].sort((a, b) => b[1] - a[1]).map(([rgb]) => rgb.split(',').map(Number));
      expect(contrast(tile!, glyph!), `assets/${spec.source} at ${spec.size} px`).toBeGreaterThanOrEqual(4.5);
    });
  }
});

describe('the toolbar badge over the icon', () => {
  const WHITE = [255, 255, 255];
  const BLACK = [0, 0, 0];
  const rgb = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));

  // Chrome and Edge draw badge text white; Firefox picks black or white, whichever contrasts more
  // (MDN, action.setBadgeBackgroundColor). Sidecar sets no text colour, so white must be that one.
  it('✓ and ? are white text that reads on their colour (≥ 4.5:1), in every browser', () => {
    const shown = [
      badgeFor({
        state: 'ready',
        company: { remoteId: '1', title: 'N', fields: [] },
        clientSpaceName: 'Northwind',
        ...{ notes: [], articles: [], credentials: [], contacts: [], configurations: [], agreements: [], sites: [] },
      }),
      badgeFor({ state: 'not-matched', company: { remoteId: '2', name: 'C' } }),
    ];
    for (const badge of shown) {
      expect(badge.color, badge.text).toMatch(/^#[0-9a-f]{6}$/i);
      expect(contrast(WHITE, rgb(badge.color)), `${badge.text} on ${badge.color}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(WHITE, rgb(badge.color)), `${badge.text} on ${badge.color}: Firefox would draw it black`).toBeGreaterThan(
        contrast(BLACK, rgb(badge.color)),
      );
    }
  });
});
