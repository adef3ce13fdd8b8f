/**
 * Creating a wallet (this device becomes its first guardian and issues one invite per other
 * guardian) and joining one from an invite link. Both end with an open `WalletSession`; the DKG
 * starts by itself once every invited guardian has joined.
 */
import { CairnError } from '../../core/errors.ts';
import { utf8 } from '../../device/byteCodec.ts';
import { inviteFromFragment, inviteToFragment, type Invite } from '../../net/invite.ts';
import { deviceIdentity, deviceStore } from './device.ts';
import { setUpOnChain } from './onChainSetup.ts';
import { loadWalletInfo, saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { WalletSession } from './walletSession.ts';

const invitesRecord = (walletId: string) => `wallet/${walletId}/invites`;

export type CreateWalletParameters = { walletName: string; guardianName: string; threshold: number; guardians: number };

export async function createWallet(p: CreateWalletParameters): Promise<WalletSession> {
  const store = deviceStore();
  const identity = await deviceIdentity();
  const info: WalletInfo = { walletId: '', name: p.walletName, threshold: p.threshold, guardians: p.guardians, creator: identity.publicKey, members: [], names: { [identity.publicKey]: p.guardianName } };
  const session = new WalletSession({ store, identity, info, onKeyReady: (s) => void setUpOnChain(s) });
  const invites = await session.create(p.threshold, p.guardians);
  const walletId = invites[0]!.walletId;
  await store.putRecord(invitesRecord(walletId), utf8(JSON.stringify(invites.map(inviteToFragment))));
  await session.updateInfo({ walletId });
  session.appendJson('profile', { name: p.guardianName, wallet: p.walletName });
  return session;
}

/** The invite links the creator issued (to show again after a reload). */
export async function inviteLinks(walletId: string): Promise<string[]> {
  const raw = await deviceStore().getRecord(invitesRecord(walletId));
  if (!raw) return [];
  const fragments = JSON.parse(new TextDecoder().decode(raw)) as string[];
  return fragments.map((f) => `${location.origin}/${f}`);
}

export function readInvite(link: string): Invite {
  return inviteFromFragment(link.trim(), Date.now());
}

export async function joinWallet(invite: Invite, guardianName: string): Promise<WalletSession> {
  const store = deviceStore();
  const identity = await deviceIdentity();
  const info: WalletInfo = { walletId: invite.walletId, name: '', threshold: invite.threshold, guardians: invite.guardians, creator: invite.inviter, members: [], names: { [identity.publicKey]: guardianName } };
  await saveWalletInfo(store, info);
  const session = new WalletSession({ store, identity, info });
  await session.join(invite);
  session.appendJson('profile', { name: guardianName });
  return session;
}

/** Reopens this device's wallet after a reload (the store must be unlocked). */
export async function reopenWallet(): Promise<WalletSession | undefined> {
  const store = deviceStore();
  const info = await loadWalletInfo(store);
  if (!info) return undefined;
  const identity = await deviceIdentity();
  const session = new WalletSession({ store, identity, info });
  try {
    await session.open();
  } catch (err) {
    await session.destroy();
    throw new CairnError('NOT_FOUND', `This device holds no share of "${info.name || 'the wallet'}" yet: the setup was interrupted before the key was made. Ask the creator for a new invite.`, { cause: err });
  }
  return session;
}
