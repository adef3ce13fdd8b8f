/**
 * What the app remembers about the wallet on this device. Public facts (name, roster, addresses)
 * are plaintext metadata, readable while locked, so the lock screen can say which wallet it is;
 * the room secret is a sealed record (`src/protocol/walletRoomRecord.ts`).
 */
import type { ShareStore } from '../../device/shareStore.ts';

export type WalletInfo = {
  walletId: string;
  name: string;
  threshold: number;
  guardians: number;
  /** Inviter/creator device key: the first roster member. */
  creator: string;
  /** Roster once complete (device keys, creator first). */
  members: string[];
  /** Guardians removed by a reshare: their old log entries stay visible in the history. */
  formerMembers?: string[];
  /** Guardian names by device key, as each guardian announced itself. */
  names: Record<string, string>;
  /** Group key (33-byte hex) after the DKG. */
  groupKey?: string;
  vault?: `0x${string}`;
  eoa?: `0x${string}`;
  chainId?: number;
  registered?: boolean;
};

const INFO_META = 'app-wallet';

export async function loadWalletInfo(store: ShareStore): Promise<WalletInfo | undefined> {
  const raw = await store.getMeta(INFO_META);
  if (!raw || raw.length === 0) return undefined;
  return JSON.parse(new TextDecoder().decode(raw)) as WalletInfo;
}

export async function saveWalletInfo(store: ShareStore, info: WalletInfo): Promise<void> {
  await store.putMeta(INFO_META, new TextEncoder().encode(JSON.stringify(info)));
}

export async function forgetWalletInfo(store: ShareStore): Promise<void> {
  await store.putMeta(INFO_META, new Uint8Array());
}
