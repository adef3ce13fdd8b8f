/**
 * FROST signing (RFC 9591 §5) as a two-round descriptor: round 1 broadcasts nonce commitments,
 * round 2 broadcasts signature shares; every signer (and an observing requester) aggregates with
 * cheater detection, so a bad share names its signer.
 * Nonces: sealed into the nonce store before the commitment is returned (and so sent), taken out —
 * deleted from storage — before the share is computed (invariant 3); the in-memory copy is zeroed.
 */
import {
  frostAggregate,
  frostSigningSession,
  CairnError,
  type Identifier,
  type KeyPackage,
  type PublicPackage,
  type SigningRequest,
} from '../../core/index.ts';
import { hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';
import { commitWithStoredNonces, signShareWithStoredNonces, type NonceStore } from '../nonceStore.ts';

export type FrostSignParams = {
  pub: PublicPackage;
  /** This device's key package; omit to observe (aggregate without signing). */
  key?: KeyPackage;
  /** Device keys (hex) of the t chosen signers. */
  signers: readonly string[];
  requestId: Uint8Array;
  request: SigningRequest;
  nonces: NonceStore;
};

export type FrostSignResult = { signature: Uint8Array; digest: Uint8Array; signers: readonly string[] };

export const frostSignDescriptor: ProtocolDescriptor<FrostSignParams, FrostSignResult> = {
  protocol: 'frost-sign',
  rounds: ['broadcast', 'broadcast'],
  roundLabels: ['nonce commitments', 'signature shares'],
  setup(p) {
    const s = frostSigningSession(p.pub, { signers: p.signers.map((k) => hexToBytesStrict(k, 'signer', 33)), requestId: p.requestId, request: p.request });
    const sessionHex = toHex(s.session);
    const key = p.key && s.signers.includes(p.key.identifier) ? p.key : undefined;
    let commitments = new Map<Identifier, Uint8Array>();
    let ownShare: [Identifier, Uint8Array] | undefined;
    let noncesStored = false;
    return {
      session: s.session,
      participants: [...p.signers],
      requestId: p.requestId,
      party: {
        async start() {
          if (!key) return {};
          const commitment = await commitWithStoredNonces(p.nonces, sessionHex, key, s);
          noncesStored = true;
          commitments.set(key.identifier, commitment);
          return { broadcast: commitment };
        },
        async receive(round, packages) {
          if (round === 1) {
            commitments = new Map([...commitments, ...packages]);
            if (!key) return { next: {} };
            const share = await signShareWithStoredNonces(p.nonces, sessionHex, key, s, commitments);
            noncesStored = false; // taken out of storage (if signing throws, abort's discard finds nothing)
            ownShare = [key.identifier, share];
            return { next: { broadcast: share } };
          }
          if (round === 2) {
            const shares = new Map(packages);
            if (ownShare) shares.set(...ownShare);
            const signature = frostAggregate(p.pub, s, commitments, shares);
            return { result: { signature, digest: s.digest, signers: [...p.signers] } };
          }
          throw new CairnError('WRONG_ROUND', `FROST signing has no round ${round}`);
        },
        async abort() {
          if (noncesStored) await p.nonces.discard(sessionHex);
          noncesStored = false;
        },
      },
    };
  },
};
