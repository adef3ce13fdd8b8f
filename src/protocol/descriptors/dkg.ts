/**
 * Wallet creation: FROST DKG (PedPoP) as a three-round descriptor. Round 1 broadcasts commitments
 * and proofs of knowledge; round 2 sends each guardian its share, encrypted (direct), with the echo
 * of every round-1 digest; round 3 broadcasts the hash of the resulting public package, and the
 * wallet exists only when every guardian confirmed the same hash (no "forget-and-forgive").
 */
import {
  CairnError,
  dkgPart1,
  dkgPart2,
  dkgPart3,
  publicPackageHash,
  sessionId,
  type DkgRound1State,
  type DkgRound2State,
  type KeyPackage,
  type PublicPackage,
  type Rng,
} from '../../core/index.ts';
import { equalBytes, hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';

export type DkgRunParams = {
  walletId: Uint8Array;
  /** Every guardian's device key (hex). */
  deviceKeys: readonly string[];
  /** This device's key (hex). */
  self: string;
  threshold: number;
  /** The log entry that started the creation (roster entry id). */
  requestId: Uint8Array;
  rng?: Rng;
};

export type DkgRunResult = { keyPackage: KeyPackage; publicPackage: PublicPackage };

export const dkgDescriptor: ProtocolDescriptor<DkgRunParams, DkgRunResult> = {
  protocol: 'dkg',
  rounds: ['broadcast', 'direct', 'broadcast'],
  roundLabels: ['commitments', 'shares', 'confirmations'],
  setup(p) {
    const deviceKeys = p.deviceKeys.map((k) => hexToBytesStrict(k, 'guardian', 33));
    const params = { walletId: p.walletId, deviceKeys, self: hexToBytesStrict(p.self, 'self', 33), threshold: p.threshold, requestId: p.requestId };
    const session = sessionId({ walletId: p.walletId, protocol: 'dkg', epoch: 0, participants: deviceKeys, requestId: p.requestId });
    let r1: DkgRound1State | undefined;
    let r2: DkgRound2State | undefined;
    let out: DkgRunResult | undefined;
    let ownHash: Uint8Array | undefined;
    return {
      session,
      participants: [...p.deviceKeys],
      requestId: p.requestId,
      party: {
        async start() {
          const { state, broadcast } = dkgPart1(params, p.rng);
          r1 = state;
          return { broadcast };
        },
        async receive(round, packages) {
          if (round === 1) {
            const { state, outgoing } = dkgPart2(r1!, packages);
            r2 = state;
            return { next: { direct: outgoing } };
          }
          if (round === 2) {
            out = dkgPart3(r2!, packages);
            ownHash = publicPackageHash(out.publicPackage);
            return { next: { broadcast: ownHash } };
          }
          if (round === 3) {
            const differing = [...packages].filter(([, h]) => !equalBytes(h, ownHash!)).map(([id]) => id);
            if (differing.length) throw new CairnError('INCONSISTENT_COMMITMENTS', 'Guardians computed different public packages', { culprits: differing });
            return { result: out! };
          }
          throw new CairnError('WRONG_ROUND', `DKG has no round ${round}`);
        },
      },
    };
  },
};
