/**
 * Base OT: a batch of 128 endemic OTs (Masny–Rindal, CCS 2019) over secp256k1 with DDH, one batch per direction
 * (guide §2.1). The base-OT *receiver* is the future OTE sender (Alice, choice bits Δ); the base-OT *sender* is the
 * future OTE receiver (Bob, who ends up with both keys of every instance).
 *
 * Rules from published breaks ([DT], [GIR17]): every received point is fully validated; the random slot is a uniform
 * group element encoded exactly like the other; the sender's keys depend on its fresh secret e (one per instance);
 * hash-to-curve is RFC 9380 (unknown discrete logs); (sid, instance, slot) go into every hash.
 */
import { decodePoint, encodePoints, hashTagged, mulG, randomScalar, u32, type Point, type Rng } from './encoding.ts';
import { glvMultiplyMany } from './glvMultiply.ts';
import { hashToCurve } from './hashToCurve.ts';
import { LAMBDA_C, TAG_PREFIX } from './params.ts';

const H2C_DST = TAG_PREFIX + 'ot-h2c';
const SLOT = [Uint8Array.of(0), Uint8Array.of(1)] as const;
/** Receiver message: 128 × (m0 ‖ m1), 33-byte compressed points. */
export const BASE_OT_RECEIVER_BYTES = LAMBDA_C * 66;
/** Sender message: 128 × B, 33-byte compressed points. */
export const BASE_OT_SENDER_BYTES = LAMBDA_C * 33;

function h2c(sid: Uint8Array, l: number, sigma: 0 | 1, other: Uint8Array): Point {
  const msg = hashTagged('ot-h2c-input', sid, u32(l), SLOT[sigma], other);
  return hashToCurve(msg, H2C_DST); // RFC 9380, same output as noble's secp256k1_hasher (hashToCurve.ts)
}

function otKey(sid: Uint8Array, l: number, sigma: 0 | 1, shared: Uint8Array, B: Uint8Array): Uint8Array {
  return hashTagged('ot-key', sid, u32(l), SLOT[sigma], shared, B);
}

/** Swaps x and y in place when bit = 1, without branching on the bit. */
function cswap(x: Uint8Array, y: Uint8Array, bit: number): void {
  const m = -bit & 0xff;
  for (let i = 0; i < x.length; i++) {
    const t = (x[i]! ^ y[i]!) & m;
    x[i] = x[i]! ^ t;
    y[i] = y[i]! ^ t;
  }
}

/**
 * A uniformly random point for the random slot, encoded like every other point: a random x with a random y parity,
 * retried until it is on the curve (half the x values are). Every non-identity point is one (x, parity) pair, so
 * this is uniform over them; nobody knows its discrete log, which the slot does not need. Cheaper than r·G.
 */
function randomPointBytes(rng: Rng): Uint8Array {
  for (;;) {
    const b = rng(33).slice();
    b[0] = 2 | (b[0]! & 1);
    if (decodePoint(b)) return b;
  }
}

export type BaseOtReceiverSecret = { choices: Uint8Array; a: bigint[] };

/** Receiver, step 1: choice bits Δ (16 bytes, one per instance) → (m0, m1) per instance. */
export function baseOtReceiverStart(sid: Uint8Array, rng: Rng): { secret: BaseOtReceiverSecret; message: Uint8Array } {
  const choices = rng(LAMBDA_C / 8).slice();
  const a: bigint[] = [];
  const us: Uint8Array[] = [];
  const mbs: Point[] = [];
  for (let l = 0; l < LAMBDA_C; l++) {
    const b = (choices[l >> 3]! >>> (l & 7)) & 1;
    for (;;) {
      const al = randomScalar(rng);
      const U = randomPointBytes(rng); // uniform point, same encoding as the other slot
      const mb = mulG(al).subtract(h2c(sid, l, b as 0 | 1, U));
      if (mb.is0()) continue; // probability ~2^-256; keeps both slots valid encodings
      a.push(al);
      us.push(U);
      mbs.push(mb);
      break;
    }
  }
  const encoded = encodePoints(mbs); // one inversion for all 128
  const message = new Uint8Array(BASE_OT_RECEIVER_BYTES);
  for (let l = 0; l < LAMBDA_C; l++) {
    const b = (choices[l >> 3]! >>> (l & 7)) & 1;
    const slot0 = encoded[l]!;
    const slot1 = us[l]!;
    cswap(slot0, slot1, b); // b = 0 → (m_b, U); b = 1 → (U, m_b)
    message.set(slot0, 66 * l);
    message.set(slot1, 66 * l + 33);
  }
  return { secret: { choices, a }, message };
}

/**
 * Sender: validates the receiver's points, answers with B_l = e_l·G, and derives both keys of every instance.
 * Returns `undefined` if any point is invalid (the receiver cheated or the message is corrupt).
 */
export function baseOtSenderRespond(
  sid: Uint8Array,
  receiverMessage: Uint8Array,
  rng: Rng,
): { message: Uint8Array; keys0: Uint8Array; keys1: Uint8Array } | undefined {
  if (!(receiverMessage instanceof Uint8Array) || receiverMessage.length !== BASE_OT_RECEIVER_BYTES) return undefined;
  const points: Point[] = []; // B_l for every l, then e_l·A0_l, e_l·A1_l: encoded together (one inversion)
  const bases: Point[] = []; // A0_l, A1_l: multiplied by e_l all at once (glvMultiplyMany)
  const es: bigint[] = [];
  for (let l = 0; l < LAMBDA_C; l++) {
    const e0 = receiverMessage.subarray(66 * l, 66 * l + 33);
    const e1 = receiverMessage.subarray(66 * l + 33, 66 * l + 66);
    const m0 = decodePoint(e0);
    const m1 = decodePoint(e1);
    if (!m0 || !m1) return undefined;
    const A0 = m0.add(h2c(sid, l, 0, e1));
    const A1 = m1.add(h2c(sid, l, 1, e0));
    if (A0.is0() || A1.is0()) return undefined;
    const e = randomScalar(rng);
    bases.push(A0, A1);
    es.push(e, e);
    points.push(mulG(e));
  }
  const shared = glvMultiplyMany(bases, es);
  for (let l = 0; l < LAMBDA_C; l++) points.push(shared[2 * l]!, shared[2 * l + 1]!);
  const encoded = encodePoints(points);
  const message = new Uint8Array(BASE_OT_SENDER_BYTES);
  const keys0 = new Uint8Array(32 * LAMBDA_C);
  const keys1 = new Uint8Array(32 * LAMBDA_C);
  for (let l = 0; l < LAMBDA_C; l++) {
    const B = encoded[l]!;
    message.set(B, 33 * l);
    keys0.set(otKey(sid, l, 0, encoded[LAMBDA_C + 2 * l]!, B), 32 * l);
    keys1.set(otKey(sid, l, 1, encoded[LAMBDA_C + 2 * l + 1]!, B), 32 * l);
  }
  for (const b of encoded) b.fill(0);
  return { message, keys0, keys1 };
}

/** Receiver, step 2: the key k^l_{Δ_l} of every instance, or `undefined` if a B_l is invalid. */
export function baseOtReceiverFinish(sid: Uint8Array, secret: BaseOtReceiverSecret, senderMessage: Uint8Array): Uint8Array | undefined {
  if (!(senderMessage instanceof Uint8Array) || senderMessage.length !== BASE_OT_SENDER_BYTES) return undefined;
  const Bs: Point[] = [];
  for (let l = 0; l < LAMBDA_C; l++) {
    const B = decodePoint(senderMessage.subarray(33 * l, 33 * l + 33));
    if (!B) return undefined;
    Bs.push(B);
  }
  const encoded = encodePoints(glvMultiplyMany(Bs, secret.a)); // one inversion for all 128
  const keys = new Uint8Array(32 * LAMBDA_C);
  for (let l = 0; l < LAMBDA_C; l++) {
    const b = ((secret.choices[l >> 3]! >>> (l & 7)) & 1) as 0 | 1;
    keys.set(otKey(sid, l, b, encoded[l]!, senderMessage.slice(33 * l, 33 * l + 33)), 32 * l);
    encoded[l]!.fill(0);
  }
  return keys;
}
