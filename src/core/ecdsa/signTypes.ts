/** Messages and states of DKLs23 signing (Protocol 3.6), shared by the round files. */
import type { EcdsaKey } from './frostKey.ts';
import type { OteExtendMessage } from './otExtension.ts';
import type { PairwiseSetup } from './pairwiseSetup.ts';
import type { Point, Rng } from './encoding.ts';
import type { VoleMessage } from './vole.ts';

/** Round 1, i → j: commitment to R_i, the OTE extend message for (Bob = i, Alice = j), the context hash. */
export type SignRound1Message = {
  from: string;
  to: string;
  /** H_ctx(sigid ‖ signers ‖ digest): compared first, a mismatch never bans (TOB-SILA-8/9). */
  ctx: Uint8Array;
  commitment: Uint8Array;
  /** Bob's fresh 32-byte nonce, bound into the instance sid (Bob = sender of this message). */
  oteNonce: Uint8Array;
  /**
   * Alice's fresh 32-byte nonce for the other instance (Bob = recipient, Alice = sender of this message), bound into
   * the VOLE sid so her masks never repeat, even if she answers one session id twice (signCommon `voleSid`).
   */
  voleNonce: Uint8Array;
  ote: OteExtendMessage;
};

/** Round 2, i → j: opening of R_i, VOLE answer for (Bob = j, Alice = i), Γ^u, Γ^v, ψ_ij, pk_i. */
export type SignRound2Message = {
  from: string;
  to: string;
  R: Uint8Array;
  salt: Uint8Array;
  vole: VoleMessage;
  gammaU: Uint8Array;
  gammaV: Uint8Array;
  psi: Uint8Array;
  pk: Uint8Array;
};

/** Round 3, i → everyone: (u_i, w_i). */
export type SignRound3Message = { from: string; u: Uint8Array; w: Uint8Array };

export type EcdsaSignature = {
  r: bigint;
  /** Low-s (≤ n/2). */
  s: bigint;
  /** Parity of R's y after low-s normalisation: Ethereum's yParity / recovery id. */
  yParity: 0 | 1;
  /** 64-byte compact r ‖ s. */
  compact: Uint8Array;
};

/** Everything fixed at round 1 and read by later rounds. */
export type SignSession = {
  readonly key: EcdsaKey;
  readonly self: string;
  readonly signers: readonly string[];
  readonly peers: readonly string[];
  readonly signersBytes: Uint8Array;
  readonly sigid: Uint8Array;
  readonly ctx: Uint8Array;
  readonly digest: Uint8Array;
  readonly z: bigint;
  readonly lambda: bigint;
  readonly setups: ReadonlyMap<string, PairwiseSetup>;
  readonly rng: Rng;
};

/** My Bob-side state of the VOLE instance (Bob = me, Alice = peer). */
export type BobInstance = { sid: Uint8Array; beta: Uint8Array; T: Uint8Array; chi: bigint; oteHash: Uint8Array };

export type SignRound1State = {
  readonly kind: 'dkls23-sign-1';
  consumed: boolean;
  readonly session: SignSession;
  readonly k: bigint;
  readonly phi: bigint;
  readonly R: Point;
  readonly salt: Uint8Array;
  readonly bob: ReadonlyMap<string, BobInstance>;
  /** My fresh nonce as Alice toward each peer (sent in round 1, bound into the VOLE sid of round 2). */
  readonly aliceNonces: ReadonlyMap<string, Uint8Array>;
};

export type SignRound2State = Omit<SignRound1State, 'kind'> & {
  readonly kind: 'dkls23-sign-2';
  readonly sk: bigint;
  readonly pkShare: Point;
  /** Commitments received in round 1, by sender. */
  readonly commitments: ReadonlyMap<string, Uint8Array>;
  /** VOLE sid of my Bob-side instance with each peer (its OTE sid bound to the peer's round-1 Alice nonce). */
  readonly bobVoleSids: ReadonlyMap<string, Uint8Array>;
  /** My Alice-side shares (c^u, c^v) per peer. */
  readonly c: ReadonlyMap<string, readonly [bigint, bigint]>;
};

export type SignRound3State = {
  readonly kind: 'dkls23-sign-3';
  consumed: boolean;
  readonly session: SignSession;
  readonly R: Point;
  readonly u: bigint;
  readonly w: bigint;
};
