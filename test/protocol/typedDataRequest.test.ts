/**
 * Typed data through the log: a `vault-typed-data` request is decoded on every device, approved and
 * signed (FROST) over the digest each device recomputed from the carried JSON — the same digest the
 * vault's ERC-1271 check uses; a member's request with garbled or non-canonical typed data is rejected
 * naming its author, and no device knows it as a request.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, hashTypedData, type TypedDataDefinition } from 'viem';
import { encodeTypedData, frostVerify, normalizeTypedData, signingDigest, type SigningRequest } from '../../src/core/index.ts';
import { getVaultMessageDigest } from '../../src/chain/vaultDigests.ts';
import { encodeLogEntry } from '../../src/net/logEntryCodec.ts';
import type { ProtocolEvent } from '../../src/protocol/index.ts';
import { encodeRequestBody } from '../../src/protocol/signingRequestCodec.ts';
import { permit, VAULT } from '../helpers/permit.ts';
import { createMemoryHub, createWalletAmong, makeDevices, ManualClock, until } from './helpers.ts';

describe('typed data requests in the log', () => {
  it('are signed over the recomputed digest; garbled ones are rejected naming their author, with no state change', async () => {
    const hub = createMemoryHub({ delayMs: () => 1, seed: 16 });
    const clock = new ManualClock();
    const devices = await makeDevices(hub, clock, 3);
    const [alice, bob, mallory] = devices as [(typeof devices)[0], (typeof devices)[0], (typeof devices)[0]];
    const walletId = await createWalletAmong(devices, 2);
    let ready = 0;
    devices.forEach((d) => void d.guardian.whenReady().then(() => ready++));
    await until(hub, clock, () => ready === 3, 0);

    // A member writes a request whose typed data is valid JSON but not canonical (an upper-case address).
    const typedData = encodeTypedData(normalizeTypedData(permit));
    const request: SigningRequest = { type: 'vault-typed-data', chainId: 31337n, vault: VAULT, typedData };
    const body = encodeRequestBody({ epoch: 0, request });
    const at = Buffer.from(body).indexOf(Buffer.from('"0x1111'));
    const garbled = body.slice();
    garbled[at + 3] = 'A'.charCodeAt(0); // 0x1111… → 0xA111…: another spelling, or another owner
    const broken = body.slice();
    broken[body.length - 1] = 0x20; // the closing brace gone
    const hostile = hub.addHostilePeer();
    const entries = [garbled, broken].map((b) => encodeLogEntry({ identity: mallory.identity, scope: walletId, kind: 'request', at: clock.now(), body: b }));
    hostile.inject(...entries.map((e) => e.bytes));
    await hub.settle();
    for (const d of [alice, bob]) {
      const rejected = d.events.filter(
        (e): e is Extract<ProtocolEvent, { type: 'rejected' }> => e.type === 'rejected' && e.from === mallory.identity.publicKey,
      );
      expect(rejected.filter((r) => r.code === 'MALFORMED')).toHaveLength(2);
      expect(d.guardian.requests()).toEqual([]);
    }

    // The real one: every device shows and signs the Permit; the signature is over the ERC-1271 digest.
    const { requestId, signature } = await alice.guardian.requestSignature(request);
    await hub.settle();
    expect(bob.guardian.requests().map((r) => r.requestId)).toEqual([requestId]);
    await bob.guardian.approve(requestId);
    let done = false;
    void signature.then(() => (done = true));
    await until(hub, clock, () => done, 0);
    const res = await signature;
    const expected = getVaultMessageDigest({ chainId: 31337, vault: VAULT, hash: hashTypedData(permit as unknown as TypedDataDefinition) });
    expect(bytesToHex(res.digest)).toBe(expected);
    expect(bytesToHex(signingDigest(request))).toBe(expected);
    expect(frostVerify(alice.guardian.wallet()!.pub, res.digest, res.signature)).toBe(true);
  });
});
