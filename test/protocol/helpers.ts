/** Test rig for the protocol layer: real devices (identity, sealed share store), memory hub, manual clock. */
import * as Y from 'yjs';
import { randomBytes } from '@noble/hashes/utils.js';
import { createDeviceIdentity, type DeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { openShareStore, type ShareStore } from '../../src/device/shareStore.ts';
import { createMemoryBackend } from '../../src/device/storageBackend.ts';
import { createMemoryHub, type HubPeer, type MemoryHub } from '../../src/net/memoryHub.ts';
import { openRequestLog, type RequestLog } from '../../src/net/requestLog.ts';
import type { Clock } from '../../src/protocol/clock.ts';
import { createGuardian, type CreateGuardianParameters, type Guardian, type GuardianEvent } from '../../src/protocol/guardian.ts';

/** A clock whose timers fire only when the test advances it. */
export class ManualClock implements Clock {
  private t = 1_700_000_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.t || !this.timers.has(id)) continue;
      this.timers.delete(id);
      timer.fn();
    }
  }
}

export const ROUND_TIMEOUT = 10_000;
const FAST_SCRYPT = { N: 2, r: 1, p: 1 };

export type Device = {
  name: string;
  identity: DeviceIdentity;
  store: ShareStore;
  backend: ReturnType<typeof createMemoryBackend>;
  guardian: Guardian;
  peer?: HubPeer;
  events: GuardianEvent[];
};

/** Guardian parameters a test may add (ECDSA setup timing, a cheating descriptor, …); the rig owns the rest. */
export type ExtraGuardianParameters = Omit<Partial<CreateGuardianParameters>, 'identity' | 'store' | 'clock' | 'connect' | 'wrapLog'>;

export async function makeDevice(
  hub: MemoryHub,
  clock: Clock,
  name: string,
  opts: {
    wrapLog?: (log: RequestLog, d: Device) => RequestLog;
    guardian?: ExtraGuardianParameters;
    /** Fixes the Yjs client id (it decides the order of concurrent inserts: lowest first). */
    yjsClientId?: number;
    /**
     * The person behind this device approves every key-change proposal it is shown (default: yes —
     * tests of other things; the approval tests turn it off and approve by hand).
     */
    approvesKeyChanges?: boolean;
  } = {},
): Promise<Device> {
  const identity = createDeviceIdentity();
  const backend = createMemoryBackend();
  const store = openShareStore({ backend, autoLockMs: Infinity });
  await store.initialize({ kind: 'passphrase', scrypt: FAST_SCRYPT, salt: randomBytes(16) }, randomBytes(32));
  const d = { name, identity, store, backend, events: [] as GuardianEvent[] } as Device;
  d.guardian = createGuardian({
    identity,
    store,
    clock,
    roundTimeoutMs: ROUND_TIMEOUT,
    signalingUrls: ['ws://localhost:4544'],
    ...opts.guardian,
    wrapLog: opts.wrapLog && ((log) => opts.wrapLog!(log, d)),
    connect: async () => {
      const doc = new Y.Doc();
      if (opts.yjsClientId !== undefined) doc.clientID = opts.yjsClientId;
      d.peer = hub.join(doc, name);
      return { doc, close: async () => d.peer?.leave() };
    },
  });
  d.guardian.on((e) => d.events.push(e));
  if (opts.approvesKeyChanges ?? true) approvesKeyChanges(d.guardian);
  return d;
}

/** The person behind `guardian` approves every open key change it is shown (tests of other things). */
export function approvesKeyChanges(guardian: Guardian): void {
  guardian.on((e) => e.type === 'key-change' && queueMicrotask(() => approveIfOpen(guardian, e.id)));
}

/** Approves a key change unless it is closed or already approved by this device (a person clicking Approve). */
export function approveIfOpen(guardian: Guardian, id: string): void {
  const status = guardian.keyChanges().find((s) => s.id === id);
  if (status && (status.state === 'waiting' || status.state === 'approved') && !status.approvers.includes(guardian.publicKey)) guardian.approveKeyChange(id);
}

/** n devices, a t-of-n wallet created by the first and joined by the others. Does not wait for the DKG. */
export async function createWalletAmong(devices: Device[], threshold: number): Promise<string> {
  const [creator, ...others] = devices;
  const { walletId, invites } = await creator!.guardian.createWallet({ threshold, guardians: devices.length });
  for (const [i, d] of others.entries()) await d.guardian.join(invites[i]!);
  return walletId;
}

export async function makeDevices(hub: MemoryHub, clock: Clock, n: number): Promise<Device[]> {
  const out: Device[] = [];
  for (let i = 0; i < n; i++) out.push(await makeDevice(hub, clock, `g${i + 1}`));
  return out;
}

/** Lets the hub and every pending microtask settle; advances the clock by `ms` between rounds if asked. */
export async function settle(hub: MemoryHub, clock?: ManualClock, advanceMs = 0): Promise<void> {
  await hub.settle();
  if (clock && advanceMs) {
    clock.advance(advanceMs);
    await hub.settle();
  }
}

/** Settles until `cond` holds, advancing the manual clock past a round timeout whenever things go quiet. */
export async function until(hub: MemoryHub, clock: ManualClock, cond: () => boolean, maxTimeouts = 12): Promise<void> {
  for (let i = 0; i <= maxTimeouts; i++) {
    await hub.settle();
    for (let k = 0; k < 5 && !cond(); k++) await hub.settle();
    if (cond()) return;
    clock.advance(ROUND_TIMEOUT + 1);
  }
  await hub.settle();
  if (!cond()) throw new Error('condition not reached');
}

/** Two device identities writing one Yjs doc's request log (no hub, no guardian): for the router and runner alone. */
export function twoLogsOnOneDoc(): { identities: [DeviceIdentity, DeviceIdentity]; logs: [RequestLog, RequestLog] } {
  const doc = new Y.Doc();
  const identities: [DeviceIdentity, DeviceIdentity] = [createDeviceIdentity(), createDeviceIdentity()];
  const members = identities.map((i) => i.publicKey);
  const logs = identities.map((identity) => openRequestLog({ doc, identity, members, scope: 'w' })) as [RequestLog, RequestLog];
  return { identities, logs };
}

export { createMemoryHub };
