import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeLzmaAlone } from '../../../lib/psa/connectwise/lzma';
import { lzmaFixtures } from './lzma-fixtures';

const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Rewrite the header's "unknown size" into the real size, as ConnectWise's encoder writes it. */
function withKnownSize(stream: Uint8Array, size: number): Uint8Array {
  const copy = stream.slice();
  new DataView(copy.buffer).setBigUint64(5, BigInt(size), true);
  return copy;
}

describe('decodeLzmaAlone', () => {
  it.each(lzmaFixtures)('decodes $name (end-marker stream)', ({ packed, sha256: digest, length }) => {
    const out = decodeLzmaAlone(bytes(packed), 65_536);
    expect(out).not.toBeNull();
    expect(out!.length).toBe(length);
    expect(sha256(out!)).toBe(digest);
  });

  it.each(lzmaFixtures)('decodes $name (known-size header)', ({ packed, sha256: digest, length }) => {
    const out = decodeLzmaAlone(withKnownSize(bytes(packed), length), 65_536);
    expect(out).not.toBeNull();
    expect(sha256(out!)).toBe(digest);
  });

  it('refuses output beyond the cap', () => {
    const big = lzmaFixtures.find((f) => f.length > 10_000)!;
    expect(decodeLzmaAlone(bytes(big.packed), 1000)).toBeNull();
    expect(decodeLzmaAlone(withKnownSize(bytes(big.packed), big.length), 1000)).toBeNull();
  });

  it('returns null for truncated streams', () => {
    for (const fixture of lzmaFixtures) {
      const stream = bytes(fixture.packed);
      for (const cut of [0, 5, 13, 17, Math.floor(stream.length / 2), stream.length - 1]) {
        expect(decodeLzmaAlone(stream.subarray(0, cut), 65_536), `${fixture.name} cut at ${cut}`).toBeNull();
      }
    }
  });

  it('refuses property bytes that would need a huge literal table', () => {
    const stream = bytes(lzmaFixtures[2]!.packed);
    for (const props of [225, 255, 8 + 9 * 4 /* lc=8 lp=4 */]) {
      const bad = stream.slice();
      bad[0] = props;
      expect(decodeLzmaAlone(bad, 65_536)).toBeNull();
    }
  });

  it('never throws on corrupted streams', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const fixture = lzmaFixtures[rand(lzmaFixtures.length)]!;
      const stream = bytes(fixture.packed);
      for (let flips = 1 + rand(4); flips > 0; flips--) {
        const at = rand(stream.length);
        stream[at] = (stream[at] ?? 0) ^ (1 << rand(8));
      }
      expect(() => decodeLzmaAlone(stream, 65_536)).not.toThrow();
    }
  });
});
