/**
 * Invariant 3 of docs/invariants.md through the real runner and the real (sealed) share store: a signer's nonces
 * are on disk when its commitment leaves, gone when its signature share leaves, and never on disk in
 * plaintext.
 */
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decodeSigningNonces } from '../../src/core/index.ts';
import type { RequestLog } from '../../src/net/requestLog.ts';
import { putNonces } from '../../src/device/walletRecords.ts';
import { decodeEnvelope, decodeEnvelopeBatch } from '../../src/protocol/index.ts';
import { createMemoryHub, createWalletAmong, makeDevice, ManualClock, until, type Device } from './helpers.ts';

const nonceKeys = (d: Device) => [...d.backend.raw.keys()].filter((k) => k.includes('/nonce/'));

function includes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('FROST nonces in the store', () => {
  it('are sealed on disk before the commitment is sent and deleted before the share is sent', async () => {
    const hub = createMemoryHub({ delayMs: 5, seed: 5 });
    const clock = new ManualClock();
    const steps: string[] = [];
    const checks: Promise<void>[] = [];
    const watch = (log: RequestLog, d: Device): RequestLog => ({
      ...log,
      append(kind, body) {
        if (kind === 'envelope') {
          const env = decodeEnvelope(decodeEnvelopeBatch(body)[0]!);
          if (env.protocol === 'frost-sign') {
            const onDisk = nonceKeys(d);
            steps.push(`round ${env.round} sent; nonce records on disk: ${onDisk.length}`);
            if (env.round === 1) {
              const [name] = onDisk;
              const sealed = d.backend.raw.get(name!)!;
              checks.push(
                d.store.getRecord(name!.slice('rec/'.length)).then((plain) => {
                  const n = decodeSigningNonces(plain!);
                  expect(includes(sealed, n.nonces.hiding)).toBe(false);
                  expect(includes(sealed, n.nonces.binding)).toBe(false);
                  steps.push('stored nonces are sealed');
                }),
              );
            }
          }
        }
        return log.append(kind, body);
      },
    });
    const devices = [await makeDevice(hub, clock, 'a', { wrapLog: watch }), await makeDevice(hub, clock, 'b'), await makeDevice(hub, clock, 'c')];
    await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 3, 0);
    const [a, b] = devices as [Device, Device];

    const { requestId, signature } = await b.guardian.requestSignature({ type: 'test-message', message: utf8ToBytes('n') });
    await hub.settle();
    expect(nonceKeys(a)).toEqual([]);
    await a.guardian.approve(requestId);
    // A's approval completes the quorum; B (the requester) announces it and A commits. At the
    // moment A's commitment leaves, its nonces are sealed on disk (recorded by the log wrapper).
    for (let i = 0; i < 2000 && checks.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
    await Promise.all(checks);
    expect(steps.slice(0, 2)).toEqual(['round 1 sent; nonce records on disk: 1', 'stored nonces are sealed']);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    expect(steps).toEqual(['round 1 sent; nonce records on disk: 1', 'stored nonces are sealed', 'round 2 sent; nonce records on disk: 0']);
    for (const d of devices) expect(nonceKeys(d)).toEqual([]);

    // Nonces left by a session a reload cut short are deleted when the wallet is opened again.
    const walletId = a.guardian.wallet()!.walletId;
    await putNonces(a.store, walletId, 'ab'.repeat(32), new Uint8Array(97));
    expect(nonceKeys(a)).toHaveLength(1);
    await a.guardian.close();
    await a.guardian.open(walletId);
    expect(nonceKeys(a)).toEqual([]);
  });
});
