/**
 * Family vault figures:
 * - vault.3of5.openMs: all parties in-process — 3 guardians each check the ciphertext (TDH2) and
 *   make a partial decryption with its BIP-374 proof, the requester decodes and verifies the three
 *   proofs, combines by Lagrange and opens the AEAD (a short note).
 * - vault.encrypt1MBMs: encrypting a 1 MiB file to the group key (KEM + proof + XChaCha20-Poly1305).
 */
import { runDkg } from '../test/core/secrets/helpers.ts';
import {
  createPartialDecryption,
  decodeVaultCiphertext,
  encodePartialDecryption,
  encodeVaultCiphertext,
  encryptVaultItem,
  openVaultItem,
  MAX_PLAINTEXT_BYTES,
} from '../src/core/secrets/index.ts';
import { medianMs } from './util.ts';

export async function run(): Promise<Record<string, number>> {
  const keys = runDkg(3, 5);
  const publicKey = keys[0]!.public;
  const context = { walletId: 'bench-wallet', itemId: 'note-1', kind: 'note' as const, label: 'Safe combination' };
  const session = new Uint8Array(32).fill(1);
  const note = new TextEncoder().encode('The safe combination is 12-34-56. Spare key under the blue pot.');
  const ctBytes = encodeVaultCiphertext(encryptVaultItem({ publicKey, context, plaintext: note }));
  const quorum = keys.slice(1, 4);

  const openMs = await medianMs(() => {
    const partials: Record<string, Uint8Array> = {};
    for (const key of quorum) {
      const ciphertext = decodeVaultCiphertext(ctBytes);
      partials[key.secret.identifier] = encodePartialDecryption(createPartialDecryption({ key, ciphertext, walletId: context.walletId, session }));
    }
    const opened = openVaultItem({ publicKey, ciphertext: decodeVaultCiphertext(ctBytes), session, partials, expected: context });
    if (opened.length !== note.length) throw new Error('vault bench: wrong plaintext');
  });

  const file = new Uint8Array(MAX_PLAINTEXT_BYTES).map((_, i) => i & 0xff);
  const encryptMs = await medianMs(() => encryptVaultItem({ publicKey, context: { ...context, kind: 'file' }, plaintext: file }), { runs: 15 });

  return { 'vault.3of5.openMs': openMs, 'vault.encrypt1MBMs': encryptMs };
}
