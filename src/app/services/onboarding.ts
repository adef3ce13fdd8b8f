/**
 * Creating a wallet (this device becomes its first guardian and issues one invite per other
 * guardian) and joining one from an invite link. Both end with an open `WalletSession`; the DKG
 * starts by itself once every invited guardian has joined.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { toHex, utf8 } from '../../device/byteCodec.ts';
import { createInvite, encodeJoinBody, inviteFromFragment, inviteToFragment, type Invite } from '../../net/invite.ts';
import { CREATION_LOG_KIND, encodeCreation, inviteHash } from '../../protocol/walletCreation.ts';
import { saveWalletRoom, loadWalletRoom } from '../../protocol/walletRoomRecord.ts';
import { deviceIdentity, deviceStore } from './device.ts';
import { setUpOnChain } from './onChainSetup.ts';
import { loadSettings } from './settings.ts';
import { loadWalletInfo, saveWalletInfo, type WalletInfo } from './walletInfo.ts';
import { WalletSession } from './walletSession.ts';

const INVITE_DAYS = 7;
const invitesRecord = (walletId: string) => `wallet/${walletId}/invites`;

export type CreateWalletParameters = { walletName: string; guardianName: string; threshold: number; guardians: number };

export async function createWallet(p: CreateWalletParameters): Promise<WalletSession> {
  const store = deviceStore();
  const identity = await deviceIdentity();
  const walletId = toHex(randomBytes(32));
  const roomSecret = randomBytes(32);
  const { signalingUrls } = loadSettings();
  const invites: Invite[] = [];
  for (let i = 1; i < p.guardians; i++) {
    invites.push(createInvite({ walletId, roomSecret, signalingUrls, inviter: identity.publicKey, threshold: p.threshold, guardians: p.guardians, expiresAt: Date.now() + INVITE_DAYS * 86_400_000 }));
  }
  await saveWalletRoom(store, { walletId, roomSecret, creator: identity.publicKey, signalingUrls });
  await store.putRecord(invitesRecord(walletId), utf8(JSON.stringify(invites.map(inviteToFragment))));
  const info: WalletInfo = { walletId, name: p.walletName, threshold: p.threshold, guardians: p.guardians, creator: identity.publicKey, members: [], names: { [identity.publicKey]: p.guardianName } };
  await saveWalletInfo(store, info);
  const session = await WalletSession.open({ store, identity, info, room: await loadWalletRoom(store, walletId), onKeyReady: (s) => void setUpOnChain(s) });
  session.log.append(CREATION_LOG_KIND, encodeCreation({ walletId, threshold: p.threshold, guardians: p.guardians, inviteHashes: invites.map((i) => inviteHash(i.inviteId)) }));
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
  await saveWalletRoom(store, { walletId: invite.walletId, roomSecret: invite.roomSecret, creator: invite.inviter, signalingUrls: invite.signalingUrls });
  const info: WalletInfo = { walletId: invite.walletId, name: '', threshold: invite.threshold, guardians: invite.guardians, creator: invite.inviter, members: [], names: { [identity.publicKey]: guardianName } };
  await saveWalletInfo(store, info);
  const session = await WalletSession.open({ store, identity, info, room: await loadWalletRoom(store, invite.walletId) });
  session.log.append('join', encodeJoinBody(invite.inviteId));
  session.appendJson('profile', { name: guardianName });
  return session;
}

/** Reopens this device's wallet after a reload (the store must be unlocked). */
export async function reopenWallet(): Promise<WalletSession | undefined> {
  const store = deviceStore();
  const info = await loadWalletInfo(store);
  if (!info) return undefined;
  const identity = await deviceIdentity();
  const isCreator = info.creator === identity.publicKey;
  const session = await WalletSession.open({ store, identity, info, room: await loadWalletRoom(store, info.walletId), onKeyReady: isCreator ? (s) => void setUpOnChain(s) : undefined });
  return session;
}
