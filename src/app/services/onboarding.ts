/**
 * Creating a wallet (this device becomes its first guardian and issues one invite per other
 * guardian) and joining one from an invite link. Both end with an open `WalletSession`; the DKG
 * starts by itself once every invited guardian has joined.
 */
import { CairnError } from '../../core/errors.ts';
import { inviteFromFragment, inviteToFragment, type Invite } from '../../net/invite.ts';
import { deviceIdentity, deviceStore } from './device.ts';
import { setUpOnChain } from './onChainSetup.ts';
import { loadWalletInfo, saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { WalletSession } from './walletSession.ts';

export type CreateWalletParameters = { walletName: string; guardianName: string; threshold: number; guardians: number };

export async function createWallet(p: CreateWalletParameters): Promise<WalletSession> {
  const store = deviceStore();
  const identity = await deviceIdentity();
  const info: WalletInfo = {
    walletId: '',
    name: p.walletName,
    threshold: p.threshold,
    guardians: p.guardians,
    creator: identity.publicKey,
    members: [],
    names: { [identity.publicKey]: p.guardianName },
  };
  const session = new WalletSession({ store, identity, info, onKeyReady: (s) => void setUpOnChain(s) });
  // The facade keeps the invites sealed in the share store (shown again after a reload).
  const invites = await session.create(p.threshold, p.guardians);
  const walletId = invites[0]!.walletId;
  await session.updateInfo({ walletId });
  session.appendJson('profile', { name: p.guardianName, wallet: p.walletName });
  return session;
}

/** The invite links the creator issued (also after a reload), and whether a guardian has joined with each. */
export function inviteLinks(session: WalletSession): { link: string; used: boolean }[] {
  return session.guardian.creatorInvites().map(({ invite, used }) => ({ link: `${location.origin}/${inviteToFragment(invite)}`, used }));
}

export function readInvite(link: string): Invite {
  return inviteFromFragment(link.trim(), Date.now());
}

export async function joinWallet(invite: Invite, guardianName: string): Promise<WalletSession> {
  const store = deviceStore();
  const identity = await deviceIdentity();
  const info: WalletInfo = {
    walletId: invite.walletId,
    name: '',
    threshold: invite.threshold,
    guardians: invite.guardians,
    creator: invite.inviter,
    members: [],
    names: { [identity.publicKey]: guardianName },
  };
  await saveWalletInfo(store, info);
  const session = new WalletSession({ store, identity, info });
  await session.join(invite);
  session.appendJson('profile', { name: guardianName });
  return session;
}

/**
 * Reopens this device's wallet after a reload (the store must be unlocked): as a guardian, or still
 * gathering (created or joined, key not made yet: the DKG starts when everyone has joined), or
 * joining an existing wallet.
 */
export async function reopenWallet(): Promise<WalletSession | undefined> {
  const store = deviceStore();
  const info = await loadWalletInfo(store);
  if (!info) return undefined;
  const identity = await deviceIdentity();
  // The creator puts the wallet on chain once the key is made, after a reload too.
  const creating = info.creator === identity.publicKey && !info.groupKey;
  const session = new WalletSession({ store, identity, info, onKeyReady: creating ? (s) => void setUpOnChain(s) : undefined });
  try {
    await session.open();
  } catch (err) {
    await session.destroy();
    if (err instanceof CairnError && err.code === 'UNREACHABLE')
      throw new CairnError(
        'NOT_FOUND',
        `Couldn't reach the other guardians of "${info.name || 'the wallet'}" to pick up where this device was. Check the connection and unlock again.`,
        { cause: err },
      );
    throw new CairnError(
      'NOT_FOUND',
      `This device holds no share of "${info.name || 'the wallet'}" yet: the setup was interrupted before the key was made. Ask the creator for a new invite.`,
      { cause: err },
    );
  }
  return session;
}
