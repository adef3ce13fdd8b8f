/** Runs the real core DKG in-process for tests and benchmarks (every message delivered honestly). */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { dkgPart1, dkgPart2, dkgPart3, identifierOf, type DeviceKey, type Identifier, type KeyPackage, type PublicPackage } from '../../src/core/index.ts';

export function randomDeviceKeys(n: number): DeviceKey[] {
  return Array.from({ length: n }, () => secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
}

export type Wallet = {
  walletId: Uint8Array;
  deviceKeys: DeviceKey[];
  ids: Identifier[];
  keys: Map<Identifier, KeyPackage>;
  pub: PublicPackage;
  deviceOf: (id: Identifier) => DeviceKey;
};

/** `deviceKeys`: the guardians' identity keys, if made beforehand (they exist before any DKG). */
export function runDkg(t: number, n: number, opts: { walletId?: Uint8Array; requestId?: Uint8Array; deviceKeys?: DeviceKey[] } = {}): Wallet {
  const walletId = opts.walletId ?? crypto.getRandomValues(new Uint8Array(32));
  const requestId = opts.requestId ?? new Uint8Array([1]);
  const deviceKeys = opts.deviceKeys ?? randomDeviceKeys(n);
  if (deviceKeys.length !== n) throw new Error(`runDkg: ${deviceKeys.length} device keys for n = ${n}`);
  const ids = deviceKeys.map(identifierOf);
  const r1 = deviceKeys.map((self) => dkgPart1({ walletId, deviceKeys, self, threshold: t, requestId }));
  const r2 = r1.map((p, i) => dkgPart2(p.state, new Map(r1.flatMap((q, j) => (j === i ? [] : [[ids[j]!, q.broadcast] as const])))));
  const out = r2.map((p, i) => dkgPart3(p.state, new Map(r2.flatMap((q, j) => (j === i ? [] : [[ids[j]!, q.outgoing.get(ids[i]!)!] as const])))));
  const keys = new Map(out.map((o, i) => [ids[i]!, o.keyPackage]));
  const byId = new Map(ids.map((id, i) => [id, deviceKeys[i]!]));
  return { walletId, deviceKeys, ids, keys, pub: out[0]!.publicPackage, deviceOf: (id) => byId.get(id)! };
}
