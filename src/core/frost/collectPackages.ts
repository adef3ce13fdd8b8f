/** Decodes one package per signer, refusing strangers and gaps, naming whoever sent bad bytes. */
import type { Identifier } from '../identifier.ts';
import { checkSenders } from '../dkg/dkgParams.ts';

export function collectPackages<T>(
  received: ReadonlyMap<Identifier, Uint8Array>,
  signers: readonly Identifier[],
  what: string,
  decode: (bytes: Uint8Array, from: Identifier) => T,
): Map<Identifier, T> {
  checkSenders(received, signers, what);
  return new Map(signers.map((id) => [id, decode(received.get(id)!, id)]));
}
