/**
 * The chain layer's `FrostDigestSigner`, backed by the guardians: each signature becomes a request
 * in the log that the guardians approve, and resolves once t of them have signed. The typed chain
 * request is translated into the core's `SigningRequest`, and its digest must equal the digest the
 * chain helper asked for — the guardians sign what they are shown, never bare bytes.
 */
import { bytesToHex } from 'viem';
import { CairnError, signingDigest } from '../../core/index.ts';
import type { FrostDigestSigner } from '../../chain/frostDigestSigner.ts';
import { toCoreSigningRequest } from '../../chain/toCoreSigningRequest.ts';
import type { Guardian } from '../../protocol/guardian.ts';

export function guardianSigner(p: {
  guardian: Guardian;
  groupKey: Uint8Array;
  /** Told the log request id as soon as the request is in the log (for progress and receipts). */
  onRequest?: (requestId: string) => void;
}): FrostDigestSigner {
  return {
    groupKey: p.groupKey,
    async signDigest(digest, request) {
      if (!request) throw new CairnError('BAD_PARAMETERS', 'Guardians sign typed requests only, not bare digests');
      const core = toCoreSigningRequest(request, p.groupKey);
      if (bytesToHex(signingDigest(core)) !== bytesToHex(digest)) throw new CairnError('BAD_PARAMETERS', 'The request does not match the digest to sign');
      const { requestId, signature } = await p.guardian.requestSignature(core);
      p.onRequest?.(requestId);
      return (await signature).signature;
    },
  };
}
