/**
 * npm run icons: renders assets/icon.svg and assets/icon-small.svg to public/icon/<size>.png
 * (scripts/icon-render.ts). Run it after changing either SVG, and commit the PNGs with it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ICONS, pngPath, renderIcon } from './icon-render.ts';

for (const spec of ICONS) {
  const path = pngPath(spec.size);
  mkdirSync(dirname(path), { recursive: true });
  const png = renderIcon(spec);
  writeFileSync(path, png);
  console.log(`${relative(process.cwd(), path)}: ${spec.size}×${spec.size} px from assets/${spec.source} (${png.length} bytes)`);
}
