import { hexToBytes } from 'viem';
import type { SigningRequest } from '../core/signingRequest.ts';
import type { FrostSigningRequest } from './frostDigestSigner.ts';
import { groupKeyToCoordinates } from './groupKey.ts';

/**
 * The core's typed `SigningRequest` for a chain request. The core's `signingDigest` of it is the
 * one definition of every digest the contracts verify (tested equal to their view functions).
 */
export function toCoreSigningRequest(r: FrostSigningRequest, groupKey: Uint8Array): SigningRequest {
  switch (r.kind) {
    case 'vault.execute':
      return {
        type: 'vault-execute',
        chainId: BigInt(r.chainId),
        vault: r.vault,
        to: r.to,
        value: r.value,
        data: hexToBytes(r.data),
        nonce: r.nonce,
        minGas: r.minGas,
        validUntil: r.validUntil,
      };
    case 'vault.userOperation': {
      const { kind: _, chainId, initCode, data, paymasterAndData, ...rest } = r;
      return {
        ...rest,
        type: 'vault-user-operation',
        chainId: BigInt(chainId),
        initCode: hexToBytes(initCode),
        data: hexToBytes(data),
        paymasterAndData: hexToBytes(paymasterAndData),
      };
    }
    case 'vault.message':
      return { type: 'vault-message', chainId: BigInt(r.chainId), vault: r.vault, hash: r.hash };
    case 'registry.register': {
      const { x, y } = groupKeyToCoordinates(groupKey);
      return {
        type: 'registry-register',
        chainId: BigInt(r.chainId),
        registry: r.registry,
        groupKeyX: x,
        groupKeyY: y,
        threshold: r.threshold,
        guardianSetHash: r.guardianSetHash,
      };
    }
    case 'registry.advanceEpoch':
      return {
        type: 'registry-advance-epoch',
        chainId: BigInt(r.chainId),
        registry: r.registry,
        walletId: r.walletId,
        epoch: r.epoch,
        threshold: r.threshold,
        guardianSetHash: r.guardianSetHash,
      };
  }
}
