/**
 * DKLs23 threshold ECDSA signing (Protocol 3.6, `src/core/ecdsa/`) as a descriptor: the core's three rounds among
 * the t signers (commitments + OT extension, VOLE answers + openings, (u, w) shares), then a broadcast round in which
 * the signers hand the finished signature to a requester outside the quorum (empty when the requester signs).
 * The core's round-2 message (≈ 135 KB at ξ = 1408: ã is ξ·(ℓ+ρ) scalars) exceeds one envelope body (60 KiB), so it
 * travels in ROUND2_PARTS direct message rounds (consecutive slices of its encoding), reassembled before the core sees
 * it: 4 + ROUND2_PARTS wire rounds.
 *
 * The digest is never taken from the wire: every signer recomputes it from the typed request (`signingDigest`).
 * The session id binds wallet, epoch, signer set, request and the *setup generations* of every pair in the quorum,
 * so two devices that hold different setups for a pair never run the same session. The core's sigid also binds the
 * digest. Setups destroyed by a failed check (core rule) stay destroyed; the coordinator persists that.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import {
  decodeSignRound1,
  decodeSignRound2,
  decodeSignRound3,
  ecdsaSignFinalize,
  ecdsaSignRound1,
  ecdsaSignRound2,
  ecdsaSignRound3,
  encodeSignRound1,
  encodeSignRound2,
  encodeSignRound3,
  SIGN_ROUND2_BYTES,
  type PairwiseSetup,
  type SignRound1State,
  type SignRound2State,
  type SignRound3State,
} from '../../core/ecdsa/index.ts';
import {
  CairnError,
  groupKeyOf,
  identifierOf,
  sessionId,
  signingDigest,
  toFrostPublic,
  toFrostSecret,
  type Identifier,
  type KeyPackage,
  type PublicPackage,
  type SigningRequest,
} from '../../core/index.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';
import { MAX_ENVELOPE_BODY } from '../envelope.ts';

/** Direct rounds that carry one core round-2 message (1 KiB of each envelope body is left for sealing overhead). */
export const ROUND2_PARTS = Math.ceil(SIGN_ROUND2_BYTES / (MAX_ENVELOPE_BODY - 1024));
const partOf = (b: Uint8Array, i: number): Uint8Array => {
  const size = Math.ceil(b.length / ROUND2_PARTS);
  return b.slice(i * size, (i + 1) * size);
};

export type EcdsaSignParams = {
  walletId: Uint8Array;
  pub: PublicPackage;
  /** This device's key package; omit to observe (the requester outside the quorum). */
  key?: KeyPackage;
  /** Device keys (hex) of the t signers. */
  signers: readonly string[];
  /** The device that asked (receives the signature in round 4). */
  requester: string;
  requestId: Uint8Array;
  request: SigningRequest;
  /** Setup generation of every pair of the sorted quorum, in (i < j) order; same on every device (from the log). */
  pairGenerations: readonly Uint8Array[];
  /** This device's setups by peer identifier (signers only). */
  setups?: ReadonlyMap<Identifier, PairwiseSetup>;
  /**
   * Records the session id as used (durably) before round 1; false if it already was. The core requires callers
   * to refuse a repeated sigid (e.g. the same attempt started again after a reload).
   */
  claimSession?: (session: Uint8Array) => Promise<boolean>;
};

/** `signature` = r (32) ‖ s (32, low-s) ‖ yParity (1). */
export type EcdsaSignResult = { signature: Uint8Array; digest: Uint8Array; signers: readonly string[] };

export function encodeEcdsaSignature(r: bigint, s: bigint, yParity: 0 | 1): Uint8Array {
  const out = new Uint8Array(65);
  out.set(secp256k1.Point.Fn.toBytes(r), 0);
  out.set(secp256k1.Point.Fn.toBytes(s), 32);
  out[64] = yParity;
  return out;
}

/** Accepts a signature only if it is low-s and verifies under the group key (a signer could send anything). */
function checkSignature(sig: Uint8Array, digest: Uint8Array, groupKey: Uint8Array, from?: string): Uint8Array {
  const culprits = from ? [from] : [];
  if (sig.length !== 65 || sig[64]! > 1) throw new CairnError('MALFORMED', 'Not a 65-byte ECDSA signature', { culprits });
  const compact = sig.subarray(0, 64);
  let ok = false;
  try {
    ok = secp256k1.verify(compact, digest, groupKey, { prehash: false, lowS: true, format: 'compact' });
    if (ok) {
      const recovered = secp256k1.Signature.fromBytes(compact, 'compact').addRecoveryBit(sig[64]!).recoverPublicKey(digest).toBytes(true);
      ok = recovered.every((b, i) => b === groupKey[i]);
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new CairnError('BAD_SIGNATURE', 'The ECDSA signature does not verify under the group key', { culprits });
  return sig.slice();
}

export const ecdsaSignDescriptor: ProtocolDescriptor<EcdsaSignParams, EcdsaSignResult> = {
  protocol: 'ecdsa-sign',
  rounds: ['direct', ...Array<'direct'>(ROUND2_PARTS).fill('direct'), 'direct', 'broadcast'],
  roundLabels: [
    'commitments and OT extension',
    ...Array.from({ length: ROUND2_PARTS }, (_, i) => `VOLE answers and openings, ${i + 1}/${ROUND2_PARTS}`),
    'signature shares',
    'signature',
  ],
  setup(p) {
    const signers = [...p.signers].sort();
    const bound = concatBytes(p.requestId, ...p.pairGenerations);
    const session = sessionId({
      walletId: p.walletId,
      protocol: 'ecdsa-sign',
      epoch: p.pub.epoch,
      participants: signers.map((k) => hexToBytesStrict(k, 'signer', 33)),
      requestId: sha256(bound),
    });
    const digest = signingDigest(p.request);
    const groupKey = groupKeyOf(p.pub);
    const ids = signers.map((k) => identifierOf(hexToBytesStrict(k, 'signer', 33)));
    const key = p.key && ids.includes(p.key.identifier) ? p.key : undefined;
    const me = key?.identifier;
    const peers = ids.filter((id) => id !== me);
    const observerOutside = !signers.includes(p.requester);
    let s1: SignRound1State | undefined;
    let s2: SignRound2State | undefined;
    let s3: SignRound3State | undefined;
    let mine: Uint8Array | undefined;
    let myParts: Map<Identifier, Uint8Array>[] = []; // my round-2 message to each peer, part by part
    const theirParts = new Map<Identifier, Uint8Array[]>(); // received parts, by sender
    const direct = (out: Record<string, Uint8Array>) => new Map(Object.entries(out));
    return {
      session,
      participants: signers,
      requestId: p.requestId,
      roles: [
        ...Array.from({ length: ROUND2_PARTS + 2 }, () => ({ senders: signers, recipients: signers })),
        observerOutside ? { senders: signers, recipients: [p.requester] } : { senders: [], recipients: [] },
      ],
      party: {
        async start() {
          if (!key) return {};
          if (p.claimSession && !(await p.claimSession(session)))
            throw new CairnError('WRONG_SESSION', 'This ECDSA signing session already ran on this device; a new attempt is needed');
          const r1 = ecdsaSignRound1({
            key: { public: toFrostPublic(p.pub), secret: toFrostSecret(key) },
            setups: p.setups ?? new Map(),
            signers: ids,
            digest,
            sessionId: session,
          });
          s1 = r1.state;
          return { direct: direct(Object.fromEntries(Object.entries(r1.outgoing).map(([to, m]) => [to, encodeSignRound1(m)]))) };
        },
        async receive(round, packages) {
          const sharesRound = ROUND2_PARTS + 2; // rounds: 1, then the round-2 parts, then shares, then the signature
          if (!key) {
            if (round < sharesRound + 1) return { next: {} };
            // Observer: any signer's signature that verifies will do; all of them must (else that signer is named).
            let out: Uint8Array | undefined;
            for (const [from, sig] of packages) out = checkSignature(sig, digest, groupKey, from);
            if (!out) throw new CairnError('MISSING_PACKAGE', 'No signature from the signers');
            return { result: { signature: out, digest, signers } };
          }
          if (round === 1) {
            const r2 = ecdsaSignRound2(s1!, new Map([...packages].map(([from, b]) => [from, decodeSignRound1(b, from)])));
            s1 = undefined;
            s2 = r2.state;
            const encoded = Object.entries(r2.outgoing).map(([to, m]) => [to, encodeSignRound2(m)] as const);
            myParts = Array.from({ length: ROUND2_PARTS }, (_, i) => new Map(encoded.map(([to, b]) => [to, partOf(b, i)])));
            return { next: { direct: myParts[0]! } };
          }
          if (round >= 2 && round < sharesRound) {
            for (const [from, part] of packages) theirParts.set(from, [...(theirParts.get(from) ?? []), part]);
            if (round - 1 < ROUND2_PARTS) return { next: { direct: myParts[round - 1]! } };
            myParts = [];
            const joined = [...theirParts].map(([from, parts]) => [from, concatBytes(...parts)] as const);
            theirParts.clear();
            // A sender that skipped a part yields a short message: the core's decoder rejects it naming that sender.
            const r3 = ecdsaSignRound3(s2!, new Map(joined.map(([from, b]) => [from, decodeSignRound2(b, from)])));
            s2 = undefined;
            s3 = r3.state;
            const body = encodeSignRound3(r3.outgoing);
            return { next: { direct: new Map(peers.map((id) => [id, body])) } };
          }
          if (round === sharesRound) {
            const sig = ecdsaSignFinalize(s3!, new Map([...packages].map(([from, b]) => [from, decodeSignRound3(b, from)])));
            s3 = undefined;
            mine = checkSignature(encodeEcdsaSignature(sig.r, sig.s, sig.yParity), digest, groupKey);
            return { next: observerOutside ? { broadcast: mine } : {} };
          }
          if (round === sharesRound + 1) return { result: { signature: mine!, digest, signers } };
          throw new CairnError('WRONG_ROUND', `ECDSA signing has no round ${round}`);
        },
        async abort() {
          s1 = s2 = s3 = undefined;
          myParts = [];
          theirParts.clear();
        },
      },
    };
  },
};
