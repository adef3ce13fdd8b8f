import * as Y from 'yjs';
import { createDeviceIdentity, type DeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { createMemoryHub, type HubPeer, type MemoryHubOptions } from '../../src/net/memoryHub.ts';
import { openRequestLog, type LogRejection, type RequestLog } from '../../src/net/requestLog.ts';

export type Guardian = { identity: DeviceIdentity; doc: Y.Doc; peer: HubPeer; log: RequestLog; rejections: LogRejection[] };

/** n guardians, each with its own doc and request log, connected through one memory hub. */
export function guardiansOnHub(n: number, opts: MemoryHubOptions = {}, scope = 'wallet-1') {
  const hub = createMemoryHub(opts);
  const identities = Array.from({ length: n }, () => createDeviceIdentity());
  const members = identities.map((i) => i.publicKey);
  let clock = 1_700_000_000_000;
  const guardians: Guardian[] = identities.map((identity, k) => {
    const doc = new Y.Doc();
    const peer = hub.join(doc, `g${k}`);
    const log = openRequestLog({ doc, identity, members, scope, now: () => clock++ });
    const rejections: LogRejection[] = [];
    log.onRejected((r) => rejections.push(r));
    return { identity, doc, peer, log, rejections };
  });
  return { hub, guardians, members };
}

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
