/**
 * Runs DKLs23 setup and signing with every party in this process, passing messages directly (tests, bench, soak).
 * No shortcut: each party runs the same sans-I/O round functions a networked guardian would.
 */
import type { Key } from '@noble/curves/abstract/frost.js';
import { randomBytes } from '@noble/hashes/utils.js';
import {
  ecdsaSetupRound1,
  ecdsaSetupRound2,
  ecdsaSetupRound3,
  ecdsaSignFinalize,
  ecdsaSignRound1,
  ecdsaSignRound2,
  ecdsaSignRound3,
  type EcdsaSignature,
  type PairwiseSetup,
  type SignRound1Message,
  type SignRound2Message,
  type SignRound3Message,
} from '../../../src/core/ecdsa/index.ts';

/** setups[a][b] = a's PairwiseSetup with b. */
export type SetupTable = Record<string, Record<string, PairwiseSetup>>;

/** Runs the three-step setup between a and b. */
export function setupPair(a: string, b: string, context: Uint8Array): [PairwiseSetup, PairwiseSetup] {
  const a1 = ecdsaSetupRound1({ self: a, peer: b, context });
  const b1 = ecdsaSetupRound1({ self: b, peer: a, context });
  const a2 = ecdsaSetupRound2(a1.state, b1.message);
  const b2 = ecdsaSetupRound2(b1.state, a1.message);
  return [ecdsaSetupRound3(a2.state, b2.message), ecdsaSetupRound3(b2.state, a2.message)];
}

/** Pairwise setups among all `ids` (n(n−1)/2 pair runs). */
export function setupAll(ids: readonly string[], context = new Uint8Array(32), into: SetupTable = {}): SetupTable {
  for (const id of ids) into[id] ??= {};
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = [ids[i]!, ids[j]!];
      if (into[a]![b]?.status === 'ready') continue;
      const [sa, sb] = setupPair(a, b, context);
      into[a]![b] = sa;
      into[b]![a] = sb;
    }
  return into;
}

/** Optional hooks to tamper with or drop messages in flight (adversarial tests). */
export type Tamper = {
  round1?: (from: string, to: string, m: SignRound1Message) => SignRound1Message | undefined;
  round2?: (from: string, to: string, m: SignRound2Message) => SignRound2Message | undefined;
  round3?: (from: string, to: string, m: SignRound3Message) => SignRound3Message | undefined;
};

/** Signs `digest` with `signers`; every party's finalize output must agree, and the first is returned. */
export function signInProcess(p: {
  keys: Record<string, Key>;
  setups: SetupTable;
  signers: readonly string[];
  digest: Uint8Array;
  tamper?: Tamper;
  /** Fixed session id and per-signer RNGs (determinism tests); random by default. */
  sessionId?: Uint8Array;
  rngs?: Record<string, (len: number) => Uint8Array>;
}): EcdsaSignature {
  const { keys, setups, signers, digest, tamper = {} } = p;
  const sessionId = p.sessionId ?? randomBytes(32);
  const inbox = <M>(out: Map<string, Record<string, M>>, f?: (from: string, to: string, m: M) => M | undefined) => {
    const boxes = new Map<string, Record<string, M>>(signers.map((s) => [s, {}]));
    for (const [from, msgs] of out)
      for (const [to, m] of Object.entries(msgs)) {
        const mm = f ? f(from, to, m) : m;
        if (mm) boxes.get(to)![from] = mm;
      }
    return boxes;
  };
  const r1 = new Map(signers.map((s) => [s, ecdsaSignRound1({ key: keys[s]!, setups: setups[s]!, signers, digest, sessionId, rng: p.rngs?.[s] })]));
  const in1 = inbox(new Map([...r1].map(([s, r]) => [s, r.outgoing])), tamper.round1);
  const r2 = new Map(signers.map((s) => [s, ecdsaSignRound2(r1.get(s)!.state, in1.get(s)!)]));
  const in2 = inbox(new Map([...r2].map(([s, r]) => [s, r.outgoing])), tamper.round2);
  const r3 = new Map(signers.map((s) => [s, ecdsaSignRound3(r2.get(s)!.state, in2.get(s)!)]));
  const bcast = new Map([...r3].map(([s, r]) => [s, Object.fromEntries(signers.filter((x) => x !== s).map((to) => [to, r.outgoing]))]));
  const in3 = inbox(bcast, tamper.round3);
  const sigs = signers.map((s) => ecdsaSignFinalize(r3.get(s)!.state, in3.get(s)!));
  for (const sig of sigs)
    if (sig.r !== sigs[0]!.r || sig.s !== sigs[0]!.s || sig.yParity !== sigs[0]!.yParity) throw new Error('signers disagree on the signature');
  return sigs[0]!;
}
