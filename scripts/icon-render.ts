import { Resvg, type RenderedImage } from '@resvg/resvg-js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The extension's icons, rendered from the SVG sources in assets/ (`npm run icons`, scripts/icons.ts).
 * WXT finds public/icon/<size>.png and writes the manifest's `icons` and the toolbar button's
 * `default_icon` from them. The PNGs are committed, so a build needs no render step, and
 * tests/unit/store/icons.test.ts fails when they are not what these sources render.
 */

export interface IconSpec {
  size: number;
  /** The SVG in assets/: the simpler drawing for toolbar sizes, the detailed one above. */
  source: 'icon-small.svg' | 'icon.svg';
}

/** 16/32: toolbar (1x/2x); 48: extensions page; 96: Firefox's add-ons page at 2x; 128: install dialog and store. */
export const ICONS: readonly IconSpec[] = [
  { size: 16, source: 'icon-small.svg' },
  { size: 32, source: 'icon-small.svg' },
  { size: 48, source: 'icon.svg' },
  { size: 96, source: 'icon.svg' },
  { size: 128, source: 'icon.svg' },
];

const root = fileURLToPath(new URL('..', import.meta.url));

export const svgPath = (source: IconSpec['source']): string => `${root}assets/${source}`;
export const pngPath = (size: number): string => `${root}public/icon/${size}.png`;

/** One icon's pixels. No fonts are loaded (the icons have no text), so the output is the same on every machine. */
export function rasterise(spec: IconSpec, svg: string = readFileSync(svgPath(spec.source), 'utf8')): RenderedImage {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: spec.size }, font: { loadSystemFonts: false } }).render();
  if (image.width !== spec.size || image.height !== spec.size) {
    throw new Error(`assets/${spec.source} rendered at ${image.width}×${image.height} px for the ${spec.size} px icon: its viewBox must be square.`);
  }
  return image;
}

/** One icon's PNG, as public/icon/<size>.png holds it. */
export const renderIcon = (spec: IconSpec, svg?: string): Buffer => rasterise(spec, svg).asPng();
