import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { bytesToHex, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { signingDigest } from '../core/signingRequest.ts';
import { toContractSignature, type ContractSignature } from './contractSignature.ts';
import type { FrostDigestSigner, FrostSigningRequest } from './frostDigestSigner.ts';
import { toCoreSigningRequest } from './toCoreSigningRequest.ts';

export type SignWithGroupParameters = { signer: FrostDigestSigner; request: FrostSigningRequest };
export type SignWithGroupReturnType = ContractSignature & { digest: Hex; signature: Uint8Array };

/**
 * Asks the group to sign a typed request (the digest is derived from it, never taken on trust) and
 * checks the signature off chain before anything is submitted, so a faulty ceremony fails here with
 * a clear error instead of as a paid revert.
 */
export async function signWithGroup({ signer, request }: SignWithGroupParameters): Promise<SignWithGroupReturnType> {
  const digest = signingDigest(toCoreSigningRequest(request, signer.groupKey));
  const signature = await signer.signDigest(digest, request);
  if (!secp256k1_FROST.verify(signature, digest, signer.groupKey))
    throw new CairnError('BAD_SIGNATURE', 'The group returned a signature that does not verify under its key.', {
      details: [`request: ${request.kind}`],
    });
  return { ...toContractSignature(signature), digest: bytesToHex(digest), signature };
}
