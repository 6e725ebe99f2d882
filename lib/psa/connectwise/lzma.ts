/**
 * A minimal LZMA-"alone" (.lzma) decoder, written for one job: reading the compressed state that
 * ConnectWise Manage keeps in `location.hash` (docs/psa/connectwise.md#compressed-hash-state). The states are JSON of a
 * few hundred bytes, so this favours size over speed: no ring buffer (the whole output is the
 * window), one Uint16Array of probabilities, ~2 KB minified. It follows the reference decoder in
 * the LZMA SDK (`LzmaSpec.cpp`, public domain) step by step.
 *
 * It never throws on bad input: every malformed, truncated or oversized stream yields `null`.
 * That matters because the input is whatever happens to be in the address bar.
 */

const PROB_INIT = 1024; // 0.5 in 11-bit fixed point
const TOP = 1 << 24;

// Offsets into the single probability array (sizes as in LzmaSpec.cpp).
const IS_MATCH = 0; // 12 states × 16 pos states
const IS_REP = 192;
const IS_REP_G0 = 204;
const IS_REP_G1 = 216;
const IS_REP_G2 = 228;
const IS_REP0_LONG = 240; // 192
const POS_SLOT = 432; // 4 len states × 64
const POS_SPECIAL = 688; // 115 (1 + 128 - 14)
const ALIGN = 803; // 16
const LEN = 819; // match length coder, 514 each: choice, choice2, low 16×8, mid 16×8, high 256
const REP_LEN = LEN + 514;
const LITERAL = REP_LEN + 514; // 0x300 per literal state

/**
 * Decode an LZMA-alone stream (13-byte header: properties, dictionary size, 64-bit length).
 * Returns `null` when the stream is malformed or would decode to more than `maxOutput` bytes.
 */
export function decodeLzmaAlone(input: Uint8Array, maxOutput: number): Uint8Array | null {
  if (input.length < 18) return null; // header + at least the 5 range-coder init bytes
  let props = input[0] ?? 0;
  const lc = props % 9;
  props = (props / 9) | 0;
  const lp = props % 5;
  const pb = (props / 5) | 0;
  // lc+lp > 4 is legal LZMA but never produced by sane encoders (LZMA2 forbids it); refusing it
  // caps the literal table at 48 KB instead of letting a garbage byte request 6 MB.
  if (pb > 4 || lc + lp > 4) return null;

  // Bytes 5..12: unpacked size, little-endian; all 0xFF means "unknown, end marker follows".
  let sizeKnown = false;
  let size = 0;
  for (let i = 12; i >= 5; i--) {
    const b = input[i] ?? 0;
    if (b !== 0xff) sizeKnown = true;
    if (i > 8 && b !== 0 && b !== 0xff) return null; // ≥ 4 GiB: certainly not a URL state
    if (i <= 8) size = size * 256 + b;
  }
  if (sizeKnown && size > maxOutput) return null;
  const out = new Uint8Array(sizeKnown ? size : maxOutput);
  const limit = out.length;

  const probs = new Uint16Array(LITERAL + (0x300 << (lc + lp))).fill(PROB_INIT);
  let inPos = 13;
  let truncated = false;
  const next = (): number => {
    const b = input[inPos++];
    if (b === undefined) {
      truncated = true;
      return 0;
    }
    return b;
  };

  // Range decoder state, kept as plain non-negative numbers below 2^32 (no signed bit tricks).
  if (next() !== 0) return null;
  let range = 0xffffffff;
  let code = 0;
  for (let i = 0; i < 4; i++) code = code * 256 + next();
  if (code === range) return null;

  const normalize = (): void => {
    if (range < TOP) {
      range *= 256;
      code = code * 256 + next();
    }
  };
  const bit = (i: number): number => {
    const p = probs[i] ?? PROB_INIT;
    const bound = (range >>> 11) * p;
    let b: number;
    if (code < bound) {
      probs[i] = p + ((2048 - p) >>> 5);
      range = bound;
      b = 0;
    } else {
      probs[i] = p - (p >>> 5);
      code -= bound;
      range -= bound;
      b = 1;
    }
    normalize();
    return b;
  };
  const tree = (base: number, bits: number): number => {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) + bit(base + m);
    return m - (1 << bits);
  };
  const reverseTree = (base: number, bits: number): number => {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = bit(base + m);
      m = (m << 1) + b;
      sym |= b << i;
    }
    return sym;
  };
  const direct = (bits: number): number => {
    let res = 0;
    for (let i = 0; i < bits; i++) {
      range = range >>> 1;
      let b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      res = res * 2 + b;
      normalize();
    }
    return res;
  };
  const length = (base: number, posState: number): number => {
    if (bit(base) === 0) return tree(base + 2 + posState * 8, 3);
    if (bit(base + 1) === 0) return 8 + tree(base + 130 + posState * 8, 3);
    return 16 + tree(base + 258, 8);
  };
  const distance = (len: number): number => {
    const slot = tree(POS_SLOT + Math.min(len, 3) * 64, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let dist = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < 14) return dist + reverseTree(POS_SPECIAL + dist - slot, directBits);
    dist += direct(directBits - 4) * 16;
    return dist + reverseTree(ALIGN, 4);
  };

  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  let pos = 0;

  while (!truncated) {
    if (sizeKnown && pos === limit) return out; // a trailing end marker, if any, is ignored
    const posState = pos & pbMask;
    if (bit(IS_MATCH + (state << 4) + posState) === 0) {
      if (pos === limit) return null;
      const prev = pos > 0 ? (out[pos - 1] ?? 0) : 0;
      const base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
      let sym = 1;
      if (state >= 7) {
        // After a match the literal is coded relative to the byte at rep0 ("matched literal").
        let matchByte = out[pos - rep0 - 1] ?? 0;
        while (sym < 0x100) {
          const matchBit = (matchByte >>> 7) & 1;
          matchByte <<= 1;
          const b = bit(base + ((1 + matchBit) << 8) + sym);
          sym = (sym << 1) | b;
          if (matchBit !== b) break;
        }
      }
      while (sym < 0x100) sym = (sym << 1) | bit(base + sym);
      out[pos++] = sym - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }

    let len: number;
    if (bit(IS_REP + state) !== 0) {
      if (pos === 0 || pos === limit) return null;
      if (bit(IS_REP_G0 + state) === 0) {
        if (bit(IS_REP0_LONG + (state << 4) + posState) === 0) {
          // "Short rep": one byte from distance rep0.
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1] ?? 0;
          pos++;
          continue;
        }
      } else {
        let dist: number;
        if (bit(IS_REP_G1 + state) === 0) {
          dist = rep1;
        } else {
          if (bit(IS_REP_G2 + state) === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = length(REP_LEN, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(LEN, posState);
      state = state < 7 ? 7 : 10;
      rep0 = distance(len);
      if (rep0 === 0xffffffff) {
        // End marker: valid only if the range coder is cleanly finished.
        if (truncated || code !== 0 || (sizeKnown && pos !== limit)) return null;
        return out.subarray(0, pos);
      }
      if (pos === limit) return null;
    }
    if (rep0 >= pos) return null; // distance reaches before the start of the data
    len += 2;
    if (pos + len > limit) return null;
    for (; len > 0; len--, pos++) out[pos] = out[pos - rep0 - 1] ?? 0;
  }
  return null;
}
