/**
 * Typed data (EIP-712) as a person pastes it and as the policy reads it. Pasted JSON is checked with
 * viem (`validateTypedData`) and then put in the core's canonical form (src/core/typedData.ts), which is
 * what the request carries: every device parses those bytes and recomputes the hash itself.
 */
import { getAddress, validateTypedData, type Address, type TypedDataDefinition } from 'viem';
import { encodeTypedData, normalizeTypedData, type TypedDataDocument } from '../../core/index.ts';

/** Pasted EIP-712 JSON → the canonical bytes a request carries, with errors in words. */
export function typedDataFromJson(text: string): { doc: TypedDataDocument; bytes: Uint8Array } {
  if (text.length > 64 * 1024) throw new Error('This typed data is too long (more than 64 KiB).');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('This is not valid JSON. Paste the whole typed-data object: domain, types, primaryType and message.');
  }
  const doc = normalizeTypedData(json); // the core's checks, with the field that failed named
  try {
    validateTypedData(doc as unknown as TypedDataDefinition); // and viem's, the library every dapp uses
  } catch (err) {
    throw new Error(`The typed data is not valid: ${(err as { shortMessage?: string }).shortMessage ?? String(err)}`);
  }
  return { doc, bytes: encodeTypedData(doc) };
}

export type Permit = { token: Address; spender: Address; value: bigint; deadline: bigint };

/** An EIP-2612 Permit (owner, spender, value, nonce, deadline for the token in `verifyingContract`), or undefined. */
export function permitOf(doc: TypedDataDocument): Permit | undefined {
  const fields = doc.types[doc.primaryType]?.map((f) => `${f.type}:${f.name}`).join(',');
  if (doc.primaryType !== 'Permit' || fields !== 'address:owner,address:spender,uint256:value,uint256:nonce,uint256:deadline') return undefined;
  const token = doc.domain.verifyingContract;
  if (typeof token !== 'string') return undefined;
  const m = doc.message as Record<string, string>;
  return { token: getAddress(token), spender: getAddress(m.spender!), value: BigInt(m.value!), deadline: BigInt(m.deadline!) };
}
