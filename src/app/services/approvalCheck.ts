/**
 * This device's check before it co-signs (the coordinator's policy hook). Onboarding requests are
 * co-signed without a click, so they are checked field by field against what this device knows:
 * its own group key, the roster it took part in, the configured chain and registry. Payments are
 * approved by a person who has seen them decoded (Requests page); the check here makes sure they
 * come from a guardian and go through this wallet's own vault (or plain address) on the chain this device is set up for.
 */
import { getAddress } from 'viem';
import { entryPoint08Address } from 'viem/account-abstraction';
import { groupKeyOf, type SigningRequest } from '../../core/index.ts';
import { getVaultAddress } from '../../chain/getVaultAddress.ts';
import { guardianSetHash } from '../../chain/guardianSetHash.ts';
import { groupKeyToCoordinates } from '../../chain/groupKey.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { PolicyVerdict } from '../../protocol/signingCoordinator.ts';
import { isBoundedBookkeeping, registryCallOf } from './registryCall.ts';
import { loadSettings } from './settings.ts';
import type { WalletSession } from './walletSession.ts';

export function approvalCheck(session: WalletSession, request: SigningRequest, requester: string): PolicyVerdict {
  const pub = session.publicPackage();
  if (!pub) return { allow: false, reason: 'This device holds no share yet' };
  const members = pub.roster.deviceKeys.map((k) => Array.from(k, (b) => b.toString(16).padStart(2, '0')).join(''));
  if (!members.includes(requester)) return { allow: false, reason: 'The requester is not a guardian of this wallet' };
  const chain = loadSettings().chain;
  switch (request.type) {
    case 'registry-register': {
      const { x, y } = groupKeyToCoordinates(groupKeyOf(pub));
      if (!chain?.registry || BigInt(chain.chainId) !== request.chainId || getAddress(chain.registry) !== getAddress(request.registry))
        return { allow: false, reason: 'Registration on a chain or registry this device is not set up for' };
      if (request.groupKeyX !== x || request.groupKeyY !== y) return { allow: false, reason: 'Registration of another key' };
      if (request.threshold !== pub.threshold) return { allow: false, reason: 'Registration with another threshold' };
      const setHash = guardianSetHash(members.map((k) => hexToBytesStrict(k, 'guardian', 33)));
      if (request.guardianSetHash !== setHash) return { allow: false, reason: 'Registration with another guardian set' };
      return { allow: true };
    }
    case 'registry-advance-epoch': {
      // Only after this device itself moved to the new epoch, and only with the same t and guardians.
      if (!chain?.registry || getAddress(chain.registry) !== getAddress(request.registry))
        return { allow: false, reason: 'A change of the shares on a registry this device is not set up for' };
      if (request.epoch + 1n !== BigInt(pub.epoch)) return { allow: false, reason: `This device holds share set ${pub.epoch}, not ${request.epoch + 1n}` };
      if (request.threshold !== pub.threshold) return { allow: false, reason: 'A change of the shares with another number of approvals' };
      if (request.guardianSetHash !== guardianSetHash(members.map((k) => hexToBytesStrict(k, 'guardian', 33))))
        return { allow: false, reason: 'A change of the shares with other guardians' };
      return { allow: true };
    }
    case 'vault-execute': {
      if (!chain || BigInt(chain.chainId) !== request.chainId) return { allow: false, reason: 'A payment on a chain this device is not set up for' };
      const vault = session.walletInfo().vault;
      if (!vault || getAddress(vault) !== getAddress(request.vault)) return { allow: false, reason: "Not this wallet's vault" };
      return { allow: true };
    }
    case 'vault-user-operation': {
      // The vault's address is the same on every chain with the same factory: the operation names its chain.
      if (!chain || BigInt(chain.chainId) !== request.chainId) return { allow: false, reason: 'A payment on a chain this device is not set up for' };
      // The vault's address follows from the key (its first operation, the registration, deploys it).
      const vault = chain?.vaultFactory ? getVaultAddress({ factory: chain.vaultFactory, groupKey: groupKeyOf(pub) }) : session.walletInfo().vault;
      if (!vault || getAddress(vault) !== getAddress(request.vault)) return { allow: false, reason: "Not this wallet's vault" };
      // The vault trusts only the canonical EntryPoint v0.8; an operation for another one could never run.
      if (getAddress(request.entryPoint) !== entryPoint08Address) return { allow: false, reason: 'User operation for an unknown EntryPoint' };
      // Registration and epoch advances ride on the vault's user operations: the same checks apply.
      const carried = registryCallOf(request, chain?.registry);
      if (carried && !isBoundedBookkeeping(request))
        return { allow: false, reason: 'A registry operation that sends ETH, uses a paymaster or asks for too much gas or too high a fee' };
      return carried ? approvalCheck(session, carried, requester) : { allow: true };
    }
    case 'eoa-transaction':
      // The plain address is an ordinary account on every chain: a transaction for another one would spend there.
      if (!chain || BigInt(chain.chainId) !== request.chainId) return { allow: false, reason: 'A payment on a chain this device is not set up for' };
      return { allow: true };
    case 'vault-message':
    case 'vault-typed-data': {
      // Signed in the vault's own EIP-712 domain (chain id, vault address), which the approvers are not shown:
      // the same key's vault on another chain, or another vault, must not get a signature under this one's name.
      if (!chain || BigInt(chain.chainId) !== request.chainId) return { allow: false, reason: 'A signature for a chain this device is not set up for' };
      const vault = chain.vaultFactory ? getVaultAddress({ factory: chain.vaultFactory, groupKey: groupKeyOf(pub) }) : session.walletInfo().vault;
      if (!vault || getAddress(vault) !== getAddress(request.vault)) return { allow: false, reason: "Not this wallet's vault" };
      return { allow: true };
    }
    default:
      return { allow: true };
  }
}
