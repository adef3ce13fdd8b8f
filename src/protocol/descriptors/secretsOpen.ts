/**
 * Opening a family-vault item (core `src/core/secrets`, TDH2 threshold decryption) as a one-round
 * descriptor. Participants: the t approving guardians of the quorum plus the requester.
 *
 * Round 1 is point-to-point (encrypted per recipient, envelope header as associated data), with
 * roles: the quorum guardians (other than the requester) send, the requester alone receives. Each
 * sends the requester its partial decryption `D_i = x_i·U` with its DLEQ proof. The partial would
 * open the item in any session (it depends only on U), so it must never travel in clear: only the
 * requester can read it. Before computing it, the guardian checks the ciphertext is well formed
 * (TDH2) and belongs to this wallet (`createPartialDecryption`). Each proof binds the ciphertext
 * digest and the session, so a guardian that worked on another item is named like a cheater.
 *
 * The requester verifies every partial against the public verifying shares, names every cheater
 * (`BAD_PROOF` → blame, the coordinator tries another quorum) and combines t of them on its own
 * device; nobody else ever holds the plaintext.
 */
import {
  CairnError,
  identifierOf,
  sessionId,
  toFrostPublic,
  toFrostSecret,
  type Identifier,
  type KeyPackage,
  type PublicPackage,
  type Rng,
} from '../../core/index.ts';
import { createPartialDecryption, encodePartialDecryption, openVaultItem, verifyVaultCiphertext, type VaultCiphertext } from '../../core/secrets/index.ts';
import { hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import type { ProtocolDescriptor } from '../descriptor.ts';

export type SecretsOpenParams = {
  pub: PublicPackage;
  /** This device's key package (needed when it is in the quorum). */
  key?: KeyPackage;
  /** Device keys (hex) of the t guardians releasing partial decryptions. */
  quorum: readonly string[];
  /** Device key (hex) of the guardian who asked to open the item: the only one who learns it. */
  requester: string;
  /** This device's key (hex). */
  self: string;
  /** The `vault-request` log entry id (32 bytes). */
  requestId: Uint8Array;
  ciphertext: VaultCiphertext;
  rng?: Rng;
};

/** `plaintext` only on the requester's device. */
export type SecretsOpenResult = { plaintext?: Uint8Array; quorum: readonly string[] };

export const secretsOpenDescriptor: ProtocolDescriptor<SecretsOpenParams, SecretsOpenResult> = {
  protocol: 'vault-open',
  rounds: ['direct'],
  roundLabels: ['partial decryptions'],
  setup(p) {
    if (p.quorum.length !== p.pub.threshold) throw new CairnError('BAD_PARAMETERS', `A vault opening needs exactly ${p.pub.threshold} guardians`);
    if (new Set(p.quorum).size !== p.quorum.length) throw new CairnError('BAD_PARAMETERS', 'A guardian appears twice in the quorum');
    const members = new Set(p.pub.roster.deviceKeys.map(toHex));
    for (const k of [...p.quorum, p.requester])
      if (!members.has(k)) throw new CairnError('UNKNOWN_SENDER', 'A vault opening with someone outside the guardian set', { culprits: [k] });
    const participants = [...new Set([...p.quorum, p.requester])];
    const walletIdHex = toHex(p.pub.walletId);
    const session = sessionId({
      walletId: p.pub.walletId,
      protocol: 'vault-open',
      epoch: p.pub.epoch,
      participants: participants.map((k) => hexToBytesStrict(k, 'participant', 33)),
      requestId: p.requestId,
    });
    const idOf = (k: string): Identifier => identifierOf(hexToBytesStrict(k, 'participant', 33));
    const quorumIds = p.quorum.map(idOf);
    const requesterId = idOf(p.requester);
    const isRequester = p.self === p.requester;
    const inQuorum = p.quorum.includes(p.self);
    if (inQuorum && !p.key) throw new CairnError('BAD_PARAMETERS', 'A quorum guardian needs its key package');
    let ownPartial: Uint8Array | undefined;
    const senders = p.quorum.filter((k) => k !== p.requester);
    return {
      session,
      participants,
      roles: [{ senders, recipients: [p.requester] }],
      requestId: p.requestId,
      party: {
        async start() {
          if (p.ciphertext.context.walletId !== walletIdHex) throw new CairnError('WRONG_WALLET', 'This vault item belongs to another wallet');
          verifyVaultCiphertext(p.ciphertext); // TDH2 check before anything is released (again inside createPartialDecryption)
          const direct = new Map<Identifier, Uint8Array>();
          if (inQuorum) {
            const partial = createPartialDecryption({
              key: { public: toFrostPublic(p.pub, [p.key!.identifier]), secret: toFrostSecret(p.key!) },
              ciphertext: p.ciphertext,
              walletId: walletIdHex,
              session,
              rng: p.rng,
            });
            const encoded = encodePartialDecryption(partial);
            if (isRequester) ownPartial = encoded;
            else direct.set(requesterId, encoded);
          }
          return { direct };
        },
        async receive(round, packages) {
          if (round !== 1) throw new CairnError('WRONG_ROUND', `Opening a vault item has no round ${round}`);
          if (!isRequester) return { result: { quorum: p.quorum } }; // released: this device never sees the item
          const partials: Record<string, Uint8Array> = {};
          for (const [id, bytes] of packages) partials[id] = bytes;
          if (ownPartial) partials[p.key!.identifier] = ownPartial;
          const plaintext = openVaultItem({
            publicKey: toFrostPublic(p.pub, quorumIds),
            ciphertext: p.ciphertext,
            session,
            partials,
            expected: { walletId: walletIdHex, itemId: p.ciphertext.context.itemId },
          });
          return { result: { plaintext, quorum: p.quorum } };
        },
      },
    };
  },
};
