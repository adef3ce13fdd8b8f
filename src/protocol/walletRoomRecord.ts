/**
 * What a device needs to reconnect to a wallet after a reload: the room secret (sealed, like every
 * record), the creator's device key and the signaling URLs. Stored as `wallet/<id>/room`.
 */
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { ShareStore } from '../device/shareStore.ts';

export type WalletRoom = { walletId: string; roomSecret: Uint8Array; creator: string; signalingUrls: string[] };

const nameOf = (walletId: string) => `wallet/${walletId}/room`;

export async function saveWalletRoom(store: ShareStore, r: WalletRoom): Promise<void> {
  const w = new ByteWriter().u8(1).bytes(r.roomSecret).bytes(hexToBytesStrict(r.creator, 'creator', 33)).u8(r.signalingUrls.length);
  for (const u of r.signalingUrls) w.str16(u);
  await store.putRecord(nameOf(r.walletId), w.finish());
  await store.putMeta('last-wallet', new TextEncoder().encode(r.walletId));
}

export async function loadWalletRoom(store: ShareStore, walletId: string): Promise<WalletRoom> {
  const raw = await store.getRecord(nameOf(walletId));
  if (!raw) throw new CairnError('NOT_FOUND', 'This device has not joined that wallet');
  const r = new ByteReader(raw, 'wallet room');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const roomSecret = r.bytes(32, 'room secret');
  const creator = toHex(r.bytes(33, 'creator'));
  const count = r.u8('count');
  const signalingUrls = Array.from({ length: count }, () => r.str16('signaling URL', 512));
  r.end();
  raw.fill(0);
  return { walletId, roomSecret, creator, signalingUrls };
}

/** The wallet this device used last (not secret; readable while locked). */
export async function lastWalletId(store: ShareStore): Promise<string | undefined> {
  const raw = await store.getMeta('last-wallet');
  return raw && new TextDecoder().decode(raw);
}
