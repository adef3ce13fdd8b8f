/**
 * DKLs23 pairwise setup between two guardians as a two-round direct descriptor (base OTs + zero-sharing seed,
 * `src/core/ecdsa/setup.ts`). One session per pair: a failure blames only the counterparty, and a pair can be set
 * up again (after an abort, after a promotion) without touching the others. Both rounds are encrypted: round 2
 * opens the zero-sharing seed.
 *
 * The context binds wallet and the log entry that asked for this setup (its *generation*), so two setups of the
 * same pair never share OT ids. Result: this device's `PairwiseSetup` with the peer (the caller seals it).
 */
import {
  decodeSetupRound1,
  decodeSetupRound2,
  ecdsaSetupRound1,
  ecdsaSetupRound2,
  ecdsaSetupRound3,
  encodeSetupRound1,
  encodeSetupRound2,
  type PairwiseSetup,
  type SetupRound1State,
  type SetupRound2State,
} from '../../core/ecdsa/index.ts';
import { CairnError, identifierOf, sessionId } from '../../core/index.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';

export type EcdsaSetupParams = {
  walletId: Uint8Array;
  /** This device's key and the peer's (hex device keys). */
  self: string;
  peer: string;
  /** Id of the `ecdsa-setup` log entry that asked for this generation (32 bytes). */
  generation: Uint8Array;
};

export const ecdsaSetupDescriptor: ProtocolDescriptor<EcdsaSetupParams, PairwiseSetup> = {
  protocol: 'ecdsa-setup',
  rounds: ['direct', 'direct'],
  roundLabels: ['pairwise setup (base OTs)', 'pairwise setup (openings)'],
  setup(p) {
    const pair = [p.self, p.peer].sort();
    const deviceKeys = pair.map((k) => hexToBytesStrict(k, 'guardian', 33));
    const session = sessionId({ walletId: p.walletId, protocol: 'ecdsa-setup', epoch: 0, participants: deviceKeys, requestId: p.generation });
    const self = identifierOf(hexToBytesStrict(p.self, 'guardian', 33));
    const peer = identifierOf(hexToBytesStrict(p.peer, 'guardian', 33));
    let s1: SetupRound1State | undefined;
    let s2: SetupRound2State | undefined;
    return {
      session,
      participants: pair,
      requestId: p.generation,
      party: {
        async start() {
          const r1 = ecdsaSetupRound1({ self, peer, context: session });
          s1 = r1.state;
          return { direct: new Map([[peer, encodeSetupRound1(r1.message)]]) };
        },
        async receive(round, packages) {
          const body = packages.get(peer);
          if (!body) throw new CairnError('MISSING_PACKAGE', `No setup round-${round} package`, { culprits: [peer] });
          if (round === 1) {
            const r2 = ecdsaSetupRound2(s1!, decodeSetupRound1(body, peer));
            s2 = r2.state;
            return { next: { direct: new Map([[peer, encodeSetupRound2(r2.message)]]) } };
          }
          if (round === 2) return { result: ecdsaSetupRound3(s2!, decodeSetupRound2(body, peer)) };
          throw new CairnError('WRONG_ROUND', `ECDSA setup has no round ${round}`);
        },
        async abort() {
          // Round states hold base-OT secrets and the zero seed: wipe what we can.
          s1?.seed.fill(0);
          s2?.seed.fill(0);
          s1 = s2 = undefined;
        },
      },
    };
  },
};
