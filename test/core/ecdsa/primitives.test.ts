/**
 * DKLs23 sub-protocols checked by their algebra: GF(2^128) against a slow reference, the inlined BLAKE3 against
 * @noble/hashes, base OT (receiver gets m_b, never m_{1−b}; bad points rejected), OT extension (Q_j = T_j ⊕ β_j·Δ;
 * any tampering fails the corrected check), VOLE (c + d = a·b; tampering fails μ), zero-sharing (Σζ = 0).
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseOtReceiverFinish, baseOtReceiverStart, baseOtSenderRespond } from '../../../src/core/ecdsa/baseOt.ts';
import { decodePoint, defaultRng, hexToBytes32, mod, N, randomScalar } from '../../../src/core/ecdsa/encoding.ts';
import { gfMul } from '../../../src/core/ecdsa/gf128.ts';
import { oteExtend, oteReceiveExtend, oteTranscriptHash, type OteExtendMessage } from '../../../src/core/ecdsa/otExtension.ts';
import { XI } from '../../../src/core/ecdsa/params.ts';
import { blake3SingleBlock } from '../../../src/core/ecdsa/rowOracle.ts';
import { deriveGadget, gadgetInner, voleAlice, voleBob, type VoleMessage } from '../../../src/core/ecdsa/vole.ts';
import { zeroShare } from '../../../src/core/ecdsa/zeroShare.ts';
import { secp256k1_FROST } from '@noble/curves/secp256k1.js';

const rng = defaultRng;
const bit = (b: Uint8Array, i: number) => (b[i >> 3]! >>> (i & 7)) & 1;

// ---- GF(2^128) reference: little-endian bit order, bit i = coefficient of x^i.
const toBig = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const fromBig = (x: bigint) => Uint8Array.from({ length: 16 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
function gfRef(a: Uint8Array, b: Uint8Array): Uint8Array {
  const x = toBig(a);
  const y = toBig(b);
  let r = 0n;
  for (let i = 0; i < 128; i++) if ((y >> BigInt(i)) & 1n) r ^= x << BigInt(i);
  const P = (1n << 128n) | 0x87n;
  for (let i = 254; i >= 128; i--) if ((r >> BigInt(i)) & 1n) r ^= P << BigInt(i - 128);
  void x;
  return fromBig(r);
}
const block = fc.uint8Array({ minLength: 16, maxLength: 16 });
const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ b[i]!);

describe('GF(2^128)', () => {
  it('matches a slow carry-less reference and is a commutative, distributive product', () => {
    fc.assert(
      fc.property(block, block, block, (a, b, c) => {
        expect(gfMul(a, b)).toEqual(gfRef(a, b));
        expect(gfMul(a, b)).toEqual(gfMul(b, a));
        expect(gfMul(a, xor(b, c))).toEqual(xor(gfMul(a, b), gfMul(a, c)));
      }),
      { numRuns: 100 },
    );
  });
  it('x^127 · x = x^7 + x^2 + x + 1 (reduction polynomial) and 1 is the identity', () => {
    const x127 = new Uint8Array(16);
    x127[15] = 0x80;
    const x1 = new Uint8Array(16);
    x1[0] = 2;
    const one = new Uint8Array(16);
    one[0] = 1;
    expect(gfMul(x127, x1)).toEqual(fromBig(0x87n));
    const a = randomBytes(16);
    expect(gfMul(a, one)).toEqual(a);
  });
});

describe('row-oracle BLAKE3', () => {
  it('equals @noble/hashes blake3 in keyed XOF mode for single-block messages', () => {
    for (const len of [0, 1, 20, 63, 64]) {
      const key = randomBytes(32);
      const msg = randomBytes(len);
      const padded = new Uint8Array(64);
      padded.set(msg);
      const dv = new DataView(padded.buffer);
      const m = Uint32Array.from({ length: 16 }, (_, i) => dv.getUint32(4 * i, true));
      const kv = new DataView(key.buffer);
      const cv = Uint32Array.from({ length: 8 }, (_, i) => kv.getUint32(4 * i, true));
      const mine = new Uint8Array(192);
      blake3SingleBlock(cv, m, len, 1 | 2 | 8 | 16, 3, mine);
      expect(mine).toEqual(blake3(msg, { key, dkLen: 192 }));
    }
  });
});

describe('base OT (endemic, 128 instances)', () => {
  const sid = randomBytes(32);
  const r = baseOtReceiverStart(sid, rng);
  const s = baseOtSenderRespond(sid, r.message, rng)!;
  const keys = baseOtReceiverFinish(sid, r.secret, s.message)!;

  it('the receiver gets m_b and not m_{1−b}', () => {
    for (let l = 0; l < 128; l++) {
      const b = bit(r.secret.choices, l);
      const mine = keys.subarray(32 * l, 32 * l + 32);
      expect(mine).toEqual((b ? s.keys1 : s.keys0).subarray(32 * l, 32 * l + 32));
      expect(mine).not.toEqual((b ? s.keys0 : s.keys1).subarray(32 * l, 32 * l + 32));
    }
  });
  it('both slots are valid compressed points (the random slot is indistinguishable in format)', () => {
    for (let i = 0; i < 256; i++) expect(decodePoint(r.message.subarray(33 * i, 33 * i + 33))).toBeDefined();
  });
  it('rejects off-curve, identity, non-canonical, uncompressed and wrong-length points', () => {
    const bad = (mutate: (m: Uint8Array) => Uint8Array) => baseOtSenderRespond(sid, mutate(r.message.slice()), rng);
    expect(bad((m) => ((m[0] = 0), m))).toBeUndefined(); // identity / bad prefix
    expect(bad((m) => ((m[0] = 4), m))).toBeUndefined(); // uncompressed prefix
    expect(bad((m) => (m.fill(0xff, 1, 33), m))).toBeUndefined(); // x ≥ p
    let offCurve: Uint8Array | undefined;
    for (let x = 5n; !offCurve; x++) {
      const enc = Uint8Array.of(2, ...hexToBytes32(x.toString(16).padStart(64, '0')));
      if (!decodePoint(enc)) offCurve = enc;
    }
    expect(bad((m) => (m.set(offCurve!, 33), m))).toBeUndefined();
    expect(baseOtSenderRespond(sid, r.message.subarray(1), rng)).toBeUndefined();
    const sm = s.message.slice();
    sm[33 * 7] = 0x05;
    expect(baseOtReceiverFinish(sid, r.secret, sm)).toBeUndefined();
  });
});

/** OT-extension seeds for one direction (as the base OTs would leave them). */
function oteSeeds() {
  const delta = randomBytes(16);
  const seeds0 = randomBytes(4096);
  const seeds1 = randomBytes(4096);
  const seeds = new Uint8Array(4096);
  for (let l = 0; l < 128; l++) seeds.set((bit(delta, l) ? seeds1 : seeds0).subarray(32 * l, 32 * l + 32), 32 * l);
  return { sender: { delta, seeds }, receiver: { seeds0, seeds1 } };
}

describe('OT extension (SoftSpoken k=1 / corrected KOS)', () => {
  const { sender, receiver } = oteSeeds();
  const sid = randomBytes(32);
  const beta = randomBytes(XI / 8);
  const { message, T } = oteExtend(receiver, sid, beta, rng);

  it('Alice gets Q_j = T_j ⊕ β_j·Δ for every j and the check passes', () => {
    const { ok, Q } = oteReceiveExtend(sender, sid, message);
    expect(ok).toBe(true);
    for (let j = 0; j < XI; j++) for (let i = 0; i < 16; i++) expect(Q[16 * j + i]).toBe(T[16 * j + i]! ^ (bit(beta, j) ? sender.delta[i]! : 0));
  });
  it('flipping any single bit of u, x̂ or t̂ fails the check', () => {
    const flip = (field: keyof OteExtendMessage, byte: number) => {
      const m = { ...message, [field]: message[field].slice() };
      m[field][byte] = m[field][byte]! ^ (1 << (byte % 8));
      return oteReceiveExtend(sender, sid, m).ok;
    };
    for (const byte of [0, 77, message.u.length - 1, 12345 % message.u.length]) expect(flip('u', byte)).toBe(false);
    for (const byte of [0, 15]) expect(flip('xHat', byte)).toBe(false);
    for (const byte of [0, 1000, 2047]) expect(flip('tHat', byte)).toBe(false);
  });
  it('a receiver using different choice vectors in different columns fails the check', () => {
    const other = oteExtend(receiver, sid, randomBytes(XI / 8), rng).message;
    const half = message.u.length / 2;
    const u = message.u.slice();
    u.set(other.u.subarray(half), half);
    expect(oteReceiveExtend(sender, sid, { ...message, u }).ok).toBe(false);
  });
  it('a different session id fails the check (no cross-session replay)', () => {
    expect(oteReceiveExtend(sender, randomBytes(32), message).ok).toBe(false);
  });
});

describe('random VOLE with forced reuse', () => {
  const run = () => {
    const { sender, receiver } = oteSeeds();
    const sid = randomBytes(32);
    const g = deriveGadget(randomBytes(32));
    const beta = randomBytes(XI / 8);
    const { message, T } = oteExtend(receiver, sid, beta, rng);
    const { Q } = oteReceiveExtend(sender, sid, message);
    const oteHash = oteTranscriptHash(sid, message);
    const a = [randomScalar(rng), randomScalar(rng)];
    const alice = voleAlice({ sid, gadget: g, Q, delta: sender.delta, a, oteHash, rng });
    const bob = (m: VoleMessage, h = oteHash) => voleBob({ sid, gadget: g, T, beta, message: m, oteHash: h });
    return { a, b: gadgetInner(g, beta), alice, bob };
  };
  const ctx = run();

  it('c_i + d_i = a_i · b for both inputs against the same b', () => {
    for (let i = 0; i < 3; i++) {
      const { a, b, alice, bob } = i === 0 ? ctx : run();
      const res = bob(alice.message);
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      expect(mod(alice.c[0]! + res.d[0]!)).toBe(mod(a[0]! * b));
      expect(mod(alice.c[1]! + res.d[1]!)).toBe(mod(a[1]! * b));
    }
  });
  it('tampering any ã entry, η or μ makes Bob fail', () => {
    const { alice, bob } = ctx;
    const tweak = (field: keyof VoleMessage, off: number) => {
      const m = { ...alice.message, [field]: alice.message[field].slice() };
      m[field][off] = m[field][off]! ^ 1;
      return bob(m);
    };
    for (const off of [31, 32 * 3 * 5 + 31, 32 * 3 * (XI - 1) + 63, 32 * 3 * 7 + 95]) expect(tweak('aTilde', off).ok).toBe(false);
    expect(tweak('eta', 31).ok).toBe(false);
    expect(tweak('mu', 0).ok).toBe(false);
  });
  it('θ binds the OTE transcript: another transcript hash fails', () => {
    expect(ctx.bob(ctx.alice.message, randomBytes(32)).ok).toBe(false);
  });
  it('non-canonical scalars (≥ n) are rejected as malformed', () => {
    const m = { ...ctx.alice.message, aTilde: ctx.alice.message.aTilde.slice() };
    m.aTilde.fill(0xff, 0, 32);
    expect(ctx.bob(m)).toEqual({ ok: false, malformed: true });
  });
});

describe('zero-sharing', () => {
  it('Σζ = 0 over every signer subset; a new sigid gives new shares', () => {
    const ids = Array.from({ length: 5 }, (_, i) => secp256k1_FROST.Identifier.derive(`z-${i}`));
    const seed: Record<string, Uint8Array> = {};
    const key = (a: string, b: string) => (a < b ? a + b : b + a);
    for (const a of ids) for (const b of ids) if (a !== b) seed[key(a, b)] ??= randomBytes(32);
    for (let mask = 3; mask < 32; mask++) {
      const P = ids.filter((_, i) => (mask >> i) & 1).sort();
      if (P.length < 2) continue;
      const sigid = randomBytes(32);
      const bytes = randomBytes(8);
      const shares = P.map((i) => zeroShare(i, new Map(P.filter((j) => j !== i).map((j) => [j, seed[key(i, j)]!])), sigid, bytes));
      expect(mod(shares.reduce((x, y) => x + y, 0n))).toBe(0n);
      const again = zeroShare(P[0]!, new Map(P.slice(1).map((j) => [j, seed[key(P[0]!, j)]!])), randomBytes(32), bytes);
      expect(again).not.toBe(shares[0]);
    }
  });
});

it('sanity: the group order constant is secp256k1 n', () => {
  expect(N).toBe(secp256k1.Point.Fn.ORDER);
});
