import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { hexToBytes, type Hex } from 'viem';
import { CairnError } from '../core/errors.ts';
import { toContractSignature, type ContractSignature } from './contractSignature.ts';
import type { FrostDigestSigner, FrostSigningRequest } from './frostDigestSigner.ts';

export type SignWithGroupParameters = { signer: FrostDigestSigner; digest: Hex; request: FrostSigningRequest };
export type SignWithGroupReturnType = ContractSignature & { signature: Uint8Array };

/**
 * Asks the group for a FROST signature over `digest` and checks it off chain before anything is
 * submitted, so a faulty ceremony fails here with a clear error instead of as a paid revert.
 */
export async function signWithGroup({ signer, digest, request }: SignWithGroupParameters): Promise<SignWithGroupReturnType> {
  const message = hexToBytes(digest);
  const signature = await signer.signDigest(message, request);
  if (!secp256k1_FROST.verify(signature, message, signer.groupKey))
    throw new CairnError('BAD_SIGNATURE', 'The group returned a signature that does not verify under its key.', {
      details: [`request: ${request.kind}`],
    });
  return { ...toContractSignature(signature), signature };
}
