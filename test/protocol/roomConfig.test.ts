// Where a wallet's room is: the creator's signaling URLs and STUN/TURN servers go into its invites
// and its sealed room record; a joiner stores the invite's and reconnects with them after a reload.
// No signaling server configured → no wallet (there is no localhost fallback).
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/core/errors.ts';
import type { IceConfig } from '../../src/net/iceConfig.ts';
import { loadWalletRoom } from '../../src/protocol/walletRoomRecord.ts';
import { createMemoryHub, makeDevice, ManualClock, until } from './helpers.ts';

const relay: IceConfig = { iceServers: [{ urls: ['turn:127.0.0.1:3578?transport=udp'], username: 'test', credential: 'test' }], iceTransportPolicy: 'relay' };
const signaling = ['wss://signal-a.example.org', 'wss://signal-b.example.org'];

describe("a wallet's signaling and ICE servers", () => {
  it('travel from the creator through the invite to the joiner, and survive in the room record', async () => {
    const hub = createMemoryHub({ seed: 3 });
    const clock = new ManualClock();
    const creator = await makeDevice(hub, clock, 'g1', { guardian: { signalingUrls: signaling, ice: relay } });
    // The joiners have no configuration of their own.
    const joiners = [
      await makeDevice(hub, clock, 'g2', { guardian: { signalingUrls: [] } }),
      await makeDevice(hub, clock, 'g3', { guardian: { signalingUrls: [] } }),
    ];
    const { walletId, invites } = await creator.guardian.createWallet({ threshold: 2, guardians: 3 });
    for (const i of invites) expect({ signalingUrls: i.signalingUrls, ice: i.ice }).toEqual({ signalingUrls: signaling, ice: relay });
    for (const [k, d] of joiners.entries()) await d.guardian.join(invites[k]!);
    for (const d of [creator, ...joiners]) expect(await loadWalletRoom(d.store, walletId)).toMatchObject({ signalingUrls: signaling, ice: relay });
    await until(hub, clock, () => [creator, ...joiners].every((d) => d.events.some((e) => e.type === 'ready')));
    // A joiner (no settings of its own) invites the next guardian with the wallet's servers.
    const next = await joiners[0]!.guardian.inviteGuardian();
    expect({ signalingUrls: next.signalingUrls, ice: next.ice }).toEqual({ signalingUrls: signaling, ice: relay });
  });

  it('creating a wallet without a signaling server is refused before anything is stored', async () => {
    const hub = createMemoryHub({ seed: 4 });
    const d = await makeDevice(hub, new ManualClock(), 'g1', { guardian: { signalingUrls: [] } });
    const err = await d.guardian.createWallet({ threshold: 2, guardians: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('BAD_PARAMETERS');
    expect((err as CairnError).shortMessage).toMatch(/signaling server/);
    expect(await d.store.getMeta('last-wallet')).toBeUndefined();
  });
});
