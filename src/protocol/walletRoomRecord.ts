/**
 * What a device needs to reconnect to a wallet after a reload: the room secret (sealed, like every
 * record), the creator's device key, the signaling URLs and the ICE servers (from the invite, or the
 * creator's settings). Stored as `wallet/<id>/room`; version 1 records (no ICE servers) still load.
 */
import { CairnError } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { ShareStore } from '../device/shareStore.ts';
import { noIceServers, readIceConfig, writeIceConfig, type IceConfig } from '../net/iceConfig.ts';

export type WalletRoom = { walletId: string; roomSecret: Uint8Array; creator: string; signalingUrls: string[]; ice: IceConfig };

const nameOf = (walletId: string) => `wallet/${walletId}/room`;

export async function saveWalletRoom(store: ShareStore, r: WalletRoom): Promise<void> {
  const w = new ByteWriter()
    .u8(2)
    .bytes(r.roomSecret)
    .bytes(hexToBytesStrict(r.creator, 'creator', 33))
    .u8(r.signalingUrls.length);
  for (const u of r.signalingUrls) w.str16(u);
  writeIceConfig(w, r.ice);
  await store.putRecord(nameOf(r.walletId), w.finish());
  await store.putMeta('last-wallet', new TextEncoder().encode(r.walletId));
}

export async function loadWalletRoom(store: ShareStore, walletId: string): Promise<WalletRoom> {
  const raw = await store.getRecord(nameOf(walletId));
  if (!raw) throw new CairnError('NOT_FOUND', 'This device has not joined that wallet');
  const r = new ByteReader(raw, 'wallet room');
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw r.malformed('unknown version');
  const roomSecret = r.bytes(32, 'room secret');
  const creator = toHex(r.bytes(33, 'creator'));
  const count = r.u8('count');
  const signalingUrls = Array.from({ length: count }, () => r.str16('signaling URL', 512));
  const ice = version === 1 ? noIceServers() : readIceConfig(r);
  r.end();
  raw.fill(0);
  return { walletId, roomSecret, creator, signalingUrls, ice };
}

/** The wallet this device used last (not secret; readable while locked). */
export async function lastWalletId(store: ShareStore): Promise<string | undefined> {
  const raw = await store.getMeta('last-wallet');
  return raw && new TextDecoder().decode(raw);
}

/** Invites must name a signaling server; there is no built-in fallback (a production build has no local one). */
export function requireSignaling(urls: readonly string[] | undefined): string[] {
  if (!urls?.length) throw new CairnError('BAD_PARAMETERS', 'No signaling server is set. Add one in Settings, then try again.');
  return [...urls];
}
