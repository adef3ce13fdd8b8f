/**
 * Reshare, new-holder side: check every dealer's broadcast (exactly t′ commitments), combine
 * s′ = Σ g_i(self) and C′ = Σ C_i, check that C′ keeps the group key (batched: only if it doesn't is
 * each constant term compared with λ_i·VerifyingShare_i, to name the dealer) and that s′ matches its
 * new verifying share (batched; individual Feldman checks only to name culprits), and stage the next
 * epoch. Dealers' echoes are compared when the confirmations arrive (checkConfirmations), so a
 * dealer who showed different commitments to different holders is named there and nobody promotes.
 *
 * A lone cheating dealer can't pass the batch: with every other constant term honest, its own must
 * be exactly λ_i·VerifyingShare_i. Colluding dealers could shift constant terms between themselves,
 * which still yields a correct sharing of the same key.
 */
import { CairnError } from '../errors.ts';
import { Fn, Point } from '../curve.ts';
import { identifierOf, type DeviceKey, type Identifier } from '../identifier.ts';
import { makePublicPackage, type KeyPackage } from '../keyPackage.ts';
import { addCommitments, shareMatchesCommitment } from '../polynomial.ts';
import { assertFullCommitment, broadcastDigest, checkSenders } from './lifecycleSession.ts';
import { reshareContext, type ReshareParams } from './reshareParams.ts';
import { decodeReshareRound1, decodeReshareRound2 } from './resharePackages.ts';
import { makeStagedEpoch, type StagedEpoch } from './stagedEpoch.ts';

export type ReshareReceiveResult = { staged: StagedEpoch };

/**
 * @param round1 dealer → its broadcast; @param round2 dealer → the share it sent this device. Both
 *   hold exactly one package per dealer (this device's own, when it also deals).
 */
export function reshareReceive(
  params: ReshareParams,
  self: DeviceKey,
  round1: ReadonlyMap<Identifier, Uint8Array>,
  round2: ReadonlyMap<Identifier, Uint8Array>,
): ReshareReceiveResult {
  const ctx = reshareContext(params);
  const me = identifierOf(self);
  if (!ctx.newRoster.identifiers.includes(me)) throw new CairnError('BAD_PARAMETERS', 'This device is not a new holder of this reshare');
  const dealers = ctx.dealers.identifiers;
  checkSenders(round1, dealers, 'Reshare commitment');
  checkSenders(round2, dealers, 'Reshare share');
  const t2 = ctx.newThreshold;
  const commitments = new Map<Identifier, Point[]>();
  const shares = new Map<Identifier, bigint>();
  for (const from of dealers) {
    const commitment = decodeReshareRound1(round1.get(from)!, ctx.session, from);
    if (commitment.length !== t2)
      throw new CairnError('BAD_COMMITMENT_LENGTH', `Reshare commitment has ${commitment.length} entries, expected t′ = ${t2}`, { culprits: [from] });
    const { recipient, share } = decodeReshareRound2(round2.get(from)!, ctx.session, from);
    if (recipient !== me) throw new CairnError('WRONG_SESSION', 'Reshare share addressed to another guardian', { culprits: [from] });
    commitments.set(from, commitment);
    shares.set(from, share);
  }
  const commitment = addCommitments(dealers.map((id) => commitments.get(id)!));
  if (!commitment[0]!.equals(Point.fromBytes(ctx.previous.commitments[0]!))) {
    // Some dealer did not share exactly its Lagrange part λ_i·s_i of the key.
    const culprits = dealers.filter(
      (id) => !commitments.get(id)![0]!.equals(Point.fromBytes(ctx.previous.verifyingShares[id]!).multiply(ctx.lambdas.get(id)!)),
    );
    throw new CairnError('INCONSISTENT_COMMITMENTS', 'Reshare constant terms do not add up to the group key', { culprits });
  }
  assertFullCommitment(commitment);
  const publicPackage = makePublicPackage({
    walletId: ctx.previous.walletId,
    epoch: ctx.previous.epoch + 1,
    threshold: t2,
    deviceKeys: ctx.newRoster.deviceKeys,
    commitment,
  });
  const share = dealers.reduce((acc, id) => Fn.add(acc, shares.get(id)!), 0n);
  if (share === 0n || !Point.BASE.multiply(share).equals(Point.fromBytes(publicPackage.verifyingShares[me]!))) {
    const culprits = dealers.filter((from) => !shareMatchesCommitment(shares.get(from)!, commitments.get(from)!, me));
    throw new CairnError('BAD_SHARE', 'Reshare share does not match the dealer’s commitments (Feldman check)', { culprits });
  }
  const key: KeyPackage = { identifier: me, signingShare: Fn.toBytes(share), public: publicPackage };
  const echo = dealers.map((id) => [id, broadcastDigest(round1.get(id)!)] as const);
  return { staged: makeStagedEpoch({ protocol: 'reshare', session: ctx.session, key, previous: ctx.previous, echo }) };
}
