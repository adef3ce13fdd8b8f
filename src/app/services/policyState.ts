/**
 * What a guardian's policy remembers about requests, sealed in the share store so a reload loses
 * neither: when this device first saw each request (a time lock counts from the later of that and
 * the request's creation — forgetting it would let a reload shorten the wait) and which requests
 * the user approved while the policy held them (the device gives that approval by itself once the
 * rules pass, even after a reload).
 *
 *     v = 1 ‖ count u16 ‖ count × (requestId 32 ‖ seenAt u64 ms ‖ held u8)
 */
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../../device/byteCodec.ts';
import type { ShareStore } from '../../device/shareStore.ts';
import { recordNames } from '../../device/walletRecords.ts';

export type PolicyState = { seen: Map<string, number>; held: Set<string> };

/** Requests remembered at most (oldest first-seen dropped): the record stays small on a busy wallet. */
export const MAX_REMEMBERED = 500;

export function encodePolicyState(s: PolicyState): Uint8Array {
  const ids = [...new Set([...s.seen.keys(), ...s.held])]
    .sort((a, b) => (s.held.has(b) ? 1 : 0) - (s.held.has(a) ? 1 : 0) || (s.seen.get(b) ?? 0) - (s.seen.get(a) ?? 0))
    .slice(0, MAX_REMEMBERED);
  return new ByteWriter()
    .u8(1)
    .list(ids, (w, id) =>
      w
        .bytes(hexToBytesStrict(id, 'request id', 32))
        .u64(s.seen.get(id) ?? 0)
        .u8(s.held.has(id) ? 1 : 0),
    )
    .finish();
}

export function decodePolicyState(bytes: Uint8Array): PolicyState {
  const r = new ByteReader(bytes, 'policy state');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const out: PolicyState = { seen: new Map(), held: new Set() };
  r.list(
    (r) => {
      const id = toHex(r.bytes(32, 'request id'));
      const seenAt = r.u64('seen at');
      const held = r.u8('held');
      if (held > 1) throw r.malformed('held flag');
      if (seenAt > 0) out.seen.set(id, seenAt);
      if (held) out.held.add(id);
    },
    { max: MAX_REMEMBERED },
  );
  r.end();
  return out;
}

export async function loadPolicyState(store: ShareStore, walletId: string): Promise<PolicyState> {
  const raw = await store.getRecord(recordNames.policyState(walletId));
  if (!raw) return { seen: new Map(), held: new Set() };
  try {
    return decodePolicyState(raw);
  } catch {
    return { seen: new Map(), held: new Set() }; // unreadable (older format): start afresh
  }
}

export function savePolicyState(store: ShareStore, walletId: string, s: PolicyState): Promise<void> {
  return store.putRecord(recordNames.policyState(walletId), encodePolicyState(s));
}
