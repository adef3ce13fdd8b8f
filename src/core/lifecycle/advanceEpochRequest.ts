/**
 * The `registry-advance-epoch` signing request for a staged epoch: what the group key signs so
 * CairnRegistry.advanceEpoch records the new threshold and guardian set. Signing it with the
 * *staged* shares doubles as the test signature that must pass before promotion (invariant 4, docs/invariants.md).
 *
 * Core epochs and registry epochs move together: every promotion (refresh, reshare, enroll) is one
 * advanceEpoch from `previous.epoch` to `previous.epoch + 1`. A repair keeps the epoch and needs none.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { CairnError } from '../errors.ts';
import { Point } from '../curve.ts';
import { bytesToHex, equalBytes, hexToBytes } from '../encoding.ts';
import type { PublicPackage } from '../keyPackage.ts';
import type { Address, Bytes32, SigningRequest } from '../signingRequest.ts';
import { guardianSetHashOf } from './guardianSetHash.ts';

/** CairnRegistry.walletIdOf(x, y) = keccak256(abi.encode(uint256 x, uint256 y)) of the group key. */
export function registryWalletId(groupKey: Uint8Array): Bytes32 {
  const { x, y } = Point.fromBytes(groupKey).toAffine();
  return `0x${bytesToHex(keccak_256(new Uint8Array([...word(x), ...word(y)])))}`;
}

const word = (v: bigint): Uint8Array => hexToBytes(v.toString(16).padStart(64, '0'));

export function advanceEpochRequest(p: {
  chainId: bigint;
  registry: Address;
  previous: PublicPackage;
  next: PublicPackage;
}): Extract<SigningRequest, { type: 'registry-advance-epoch' }> {
  if (p.next.epoch !== p.previous.epoch + 1) throw new CairnError('WRONG_EPOCH', `Epoch ${p.next.epoch} does not follow epoch ${p.previous.epoch}`);
  if (!equalBytes(p.next.commitments[0]!, p.previous.commitments[0]!)) throw new CairnError('INCONSISTENT_COMMITMENTS', 'The new epoch has another group key');
  return {
    type: 'registry-advance-epoch',
    chainId: p.chainId,
    registry: p.registry,
    walletId: registryWalletId(p.previous.commitments[0]!),
    epoch: BigInt(p.previous.epoch),
    threshold: p.next.threshold,
    guardianSetHash: guardianSetHashOf(p.next.roster.deviceKeys),
  };
}
