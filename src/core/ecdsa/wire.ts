/**
 * Byte encodings of the DKLs23 messages and of the pairwise setup (for the protocol layer's transport and the device
 * layer's encrypted store). Every field has a fixed size given by params.ts, so a message is a 2-byte header
 * (version, kind) followed by its fields in order; decoders check the exact length and header and return typed
 * objects. Cryptographic validity (points on the curve, canonical scalars) is checked by the round functions.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { CairnError } from '../errors.ts';
import { BASE_OT_RECEIVER_BYTES, BASE_OT_SENDER_BYTES } from './baseOt.ts';
import { hexToBytes32, identifierToScalar } from './encoding.ts';
import { T_HAT_BYTES, U_BYTES } from './otExtension.ts';
import type { PairwiseSetup } from './pairwiseSetup.ts';
import { LAMBDA_C, RHO } from './params.ts';
import type { SetupRound1Message, SetupRound2Message } from './setup.ts';
import type { SignRound1Message, SignRound2Message, SignRound3Message } from './signTypes.ts';
import { A_TILDE_BYTES, deriveGadget } from './vole.ts';

const WIRE_VERSION = 1;
const Kind = { sign1: 1, sign2: 2, sign3: 3, setup1: 0x11, setup2: 0x12, pairwise: 0x20 } as const;

type Spec = readonly (readonly [name: string, len: number])[];
const SPECS = {
  sign1: [
    ['from', 32],
    ['to', 32],
    ['ctx', 32],
    ['commitment', 32],
    ['oteNonce', 32],
    ['voleNonce', 32],
    ['u', U_BYTES],
    ['xHat', 16],
    ['tHat', T_HAT_BYTES],
  ],
  sign2: [
    ['from', 32],
    ['to', 32],
    ['R', 33],
    ['salt', 32],
    ['aTilde', A_TILDE_BYTES],
    ['eta', 32 * RHO],
    ['mu', 32],
    ['gammaU', 33],
    ['gammaV', 33],
    ['psi', 32],
    ['pk', 33],
  ],
  sign3: [
    ['from', 32],
    ['u', 32],
    ['w', 32],
  ],
  setup1: [
    ['from', 32],
    ['to', 32],
    ['contextHash', 32],
    ['zeroCommitment', 32],
    ['otReceiver', BASE_OT_RECEIVER_BYTES],
  ],
  setup2: [
    ['from', 32],
    ['to', 32],
    ['zeroSeed', 32],
    ['zeroSalt', 32],
    ['otSender', BASE_OT_SENDER_BYTES],
  ],
} as const satisfies Record<string, Spec>;

/** Bytes of an encoded round-2 message (the protocol layer splits it over several envelopes). */
export const SIGN_ROUND2_BYTES = 2 + SPECS.sign2.reduce((a, [, l]) => a + l, 0);

function encode(kind: keyof typeof SPECS, fields: Readonly<Record<string, unknown>>): Uint8Array {
  const spec = SPECS[kind] as Spec;
  const out = new Uint8Array(2 + spec.reduce((a, [, l]) => a + l, 0));
  out[0] = WIRE_VERSION;
  out[1] = Kind[kind];
  let off = 2;
  for (const [name, len] of spec) {
    const v = fields[name];
    if (typeof v === 'string' && identifierToScalar(v) === undefined)
      throw new CairnError('MALFORMED', `cannot encode ${kind}.${name}: not a canonical identifier`);
    const b = typeof v === 'string' ? hexToBytes32(v) : v;
    if (!(b instanceof Uint8Array) || b.length !== len) throw new CairnError('MALFORMED', `cannot encode ${kind}.${name}: wrong length`);
    out.set(b, off);
    off += len;
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: a field bag whose shape SPECS fixes
type Fields = Record<string, any>;

function decode(kind: keyof typeof SPECS, bytes: Uint8Array, sender?: string): Fields {
  const spec = SPECS[kind] as Spec;
  const size = 2 + spec.reduce((a, [, l]) => a + l, 0);
  const opts = sender ? { culprits: [sender] } : {};
  if (!(bytes instanceof Uint8Array) || bytes.length !== size || bytes[0] !== WIRE_VERSION || bytes[1] !== Kind[kind])
    throw new CairnError('MALFORMED', `not a ${kind} message (length, version or kind)`, opts);
  const out: Fields = {};
  let off = 2;
  for (const [name, len] of spec) {
    const b = bytes.slice(off, off + len);
    out[name] = name === 'from' || name === 'to' ? bytesToHex(b) : b;
    off += len;
  }
  // The embedded sender must be the authenticated channel's sender (frost-rs: ids come from the channel).
  if (sender !== undefined && out.from !== sender) throw new CairnError('WRONG_SESSION', `${kind} message claims another sender`, opts);
  return out;
}

export const encodeSignRound1 = (m: SignRound1Message): Uint8Array => encode('sign1', { ...m, ...m.ote });
export function decodeSignRound1(b: Uint8Array, sender?: string): SignRound1Message {
  const x = decode('sign1', b, sender);
  return {
    from: x.from,
    to: x.to,
    ctx: x.ctx,
    commitment: x.commitment,
    oteNonce: x.oteNonce,
    voleNonce: x.voleNonce,
    ote: { u: x.u, xHat: x.xHat, tHat: x.tHat },
  };
}

export const encodeSignRound2 = (m: SignRound2Message): Uint8Array => encode('sign2', { ...m, ...m.vole });
export function decodeSignRound2(b: Uint8Array, sender?: string): SignRound2Message {
  const x = decode('sign2', b, sender);
  return {
    from: x.from,
    to: x.to,
    R: x.R,
    salt: x.salt,
    vole: { aTilde: x.aTilde, eta: x.eta, mu: x.mu },
    gammaU: x.gammaU,
    gammaV: x.gammaV,
    psi: x.psi,
    pk: x.pk,
  };
}

export const encodeSignRound3 = (m: SignRound3Message): Uint8Array => encode('sign3', m);
export function decodeSignRound3(b: Uint8Array, sender?: string): SignRound3Message {
  const x = decode('sign3', b, sender);
  return { from: x.from, u: x.u, w: x.w };
}

export const encodeSetupRound1 = (m: SetupRound1Message): Uint8Array => encode('setup1', m);
export const decodeSetupRound1 = (b: Uint8Array, sender?: string): SetupRound1Message => decode('setup1', b, sender) as SetupRound1Message;
export const encodeSetupRound2 = (m: SetupRound2Message): Uint8Array => encode('setup2', m);
export const decodeSetupRound2 = (b: Uint8Array, sender?: string): SetupRound2Message => decode('setup2', b, sender) as SetupRound2Message;

/**
 * A pairwise setup as bytes for the device's encrypted store (it holds secrets: never log or send it). A destroyed
 * setup encodes with its status and wiped fields, so a ban survives a reload. Gadget vectors are re-derived.
 */
export function encodePairwiseSetup(s: PairwiseSetup): Uint8Array {
  const ctxLen = new Uint8Array(4);
  new DataView(ctxLen.buffer).setUint32(0, s.context.length);
  const parts = [
    Uint8Array.of(WIRE_VERSION, Kind.pairwise, s.status === 'ready' ? 1 : 0),
    hexToBytes32(s.self),
    hexToBytes32(s.peer),
    ctxLen,
    s.context,
    s.asSender.setupId,
    s.asSender.delta,
    s.asSender.seeds,
    s.asReceiver.setupId,
    s.asReceiver.seeds0,
    s.asReceiver.seeds1,
    s.zeroSeed,
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, off), (off += p.length);
  return out;
}

export function decodePairwiseSetup(b: Uint8Array): PairwiseSetup {
  const bad = () => new CairnError('MALFORMED', 'not a stored pairwise ECDSA setup');
  const fixed = 3 + 32 + 32 + 4;
  if (!(b instanceof Uint8Array) || b.length < fixed || b[0] !== WIRE_VERSION || b[1] !== Kind.pairwise || b[2]! > 1) throw bad();
  const ctxLen = new DataView(b.buffer, b.byteOffset + 67, 4).getUint32(0);
  const seedBytes = 32 * LAMBDA_C;
  const total = fixed + ctxLen + 32 + 16 + seedBytes + 32 + 2 * seedBytes + 32;
  if (ctxLen > 1024 || b.length !== total) throw bad();
  let off = fixed;
  const take = (n: number) => b.slice(off, (off += n));
  const self = bytesToHex(b.slice(3, 35));
  const peer = bytesToHex(b.slice(35, 67));
  const context = take(ctxLen);
  const sId = take(32),
    delta = take(16),
    seeds = take(seedBytes);
  const rId = take(32),
    seeds0 = take(seedBytes),
    seeds1 = take(seedBytes),
    zeroSeed = take(32);
  return {
    kind: 'dkls23-pairwise-setup',
    self,
    peer,
    context,
    asSender: { setupId: sId, delta, seeds, gadget: deriveGadget(sId) },
    asReceiver: { setupId: rId, seeds0, seeds1, gadget: deriveGadget(rId) },
    zeroSeed,
    status: b[2] === 1 ? 'ready' : 'destroyed',
    ...(b[2] === 1 ? {} : { destroyedReason: 'destroyed before it was stored' }),
  };
}
