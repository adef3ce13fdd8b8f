// Guardians on real networks.
//
// Relay only — three guardians who can only reach each other through a TURN relay: the creator's ICE config
// (relay-only, the test coturn started by the webServer fixture on 127.0.0.1) travels in its invites,
// the joiners configure nothing, and the wallet is created and signs over relayed WebRTC. Proof
// from getStats(): every live connection's selected candidate pair is relay ↔ relay.
import { test, expect } from '@playwright/test';
import { createServer } from 'node:net';
import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { collectPageErrors } from './helpers/pageErrors.ts';
import { openTab, reloadAndUnlock, startFamilyWallet } from './helpers/wallet.ts';
import { createWalletAcross, openGuardianPage, signAcross, type GuardianPage } from './harness/guardian.driver.ts';
import { testRelayIce } from '../scripts/turn.mjs';
import { SIGNALING_PORT, TURN_PORT } from '../playwright.config.ts';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

test('relay only: three guardians create a wallet and sign through a TURN relay', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const creator = await openGuardianPage(browser, baseURL!, { ice: testRelayIce(TURN_PORT) });
  const guardians: GuardianPage[] = [creator, await openGuardianPage(browser, baseURL!), await openGuardianPage(browser, baseURL!)];
  const errors = guardians.map((g) => collectPageErrors(g.page));
  for (const g of guardians) await g.call('setUp');
  const wallet = await createWalletAcross(guardians, 2);
  const signed = await signAcross(creator, [guardians[2]!], 'paid through the relay');
  expect(secp256k1_FROST.verify(hex(signed.signature), hex(signed.digest), hex(wallet.groupKey))).toBe(true);

  // Each guardian talks to both others, and every one of those connections runs through the relay.
  // (The answering side may still show the pair as in-progress right after it opened: poll.)
  for (const g of guardians) {
    await expect
      .poll(async () => {
        const pairs = Object.values(await g.call<Record<string, { local: string; remote: string; state: string } | undefined>>('candidatePairs'));
        return pairs.map((p) => p && `${p.local}-${p.remote}-${p.state}`);
      })
      .toEqual(['relay-relay-succeeded', 'relay-relay-succeeded']);
  }
  for (const e of errors) expect(e.unexpected()).toEqual([]);
});

/** A loopback port nobody listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// Several signaling servers: the creator lists one that is down first; its invites carry both, and
// the guardians still meet (and sign) through the one that is up.
test('several signaling servers: guardians meet through the one that is up', async ({ browser, baseURL }) => {
  const signaling = [`ws://localhost:${await closedPort()}`, `ws://localhost:${SIGNALING_PORT}`];
  const creator = await openGuardianPage(browser, baseURL!, { signaling });
  const guardians: GuardianPage[] = [creator, await openGuardianPage(browser, baseURL!), await openGuardianPage(browser, baseURL!)];
  for (const g of guardians) await g.call('setUp');
  const wallet = await createWalletAcross(guardians, 2);
  const signed = await signAcross(creator, [guardians[1]!], 'found each other');
  expect(secp256k1_FROST.verify(hex(signed.signature), hex(signed.digest), hex(wallet.groupKey))).toBe(true);
  for (const g of guardians) expect(await g.call<number>('webrtcConnCount')).toBe(2);
});

// Settings: a person types relay servers (checked before saving) and chooses relay-only; both are
// kept across a reload (and used for this device's connections and its wallets' new invites).
test('Settings: relay servers are checked, saved and shown again after a reload', async ({ browser }) => {
  const { alice } = await startFamilyWallet(browser);
  await openTab(alice.page, 'Settings');
  const servers = alice.page.getByLabel('Relay servers');
  await servers.fill('turn:no-json');
  await alice.page.getByRole('button', { name: 'Save' }).click();
  await expect(alice.page.getByText('ICE servers: not valid JSON')).toBeVisible();
  await servers.fill('[{"urls":"turn:127.0.0.1:3478"}]');
  await alice.page.getByRole('button', { name: 'Save' }).click();
  await expect(alice.page.getByText('ICE servers: a TURN server needs a username and a credential')).toBeVisible();
  const relay = testRelayIce(TURN_PORT);
  await servers.fill(JSON.stringify(relay.iceServers));
  await alice.page.getByLabel(/Always go through a TURN relay/).check();
  await alice.page.getByRole('button', { name: 'Save' }).click();
  await expect(alice.page.getByText('Saved. Reload the app to reconnect.')).toBeVisible();
  await alice.page.screenshot({ path: test.info().outputPath('settings-relay.png'), fullPage: true });
  await reloadAndUnlock(alice.page);
  await openTab(alice.page, 'Settings');
  expect(JSON.parse(await alice.page.getByLabel('Relay servers').inputValue())).toEqual(relay.iceServers);
  await expect(alice.page.getByLabel(/Always go through a TURN relay/)).toBeChecked();
  expect(alice.errors.unexpected()).toEqual([]);
});

// Room membership follows the lineup: a reshare removes the third guardian; the other two move to a
// new room secret (sealed to them in the log) and sign there. The removed device is left alone in
// the old room: none of their new entries reaches it.
test('after a reshare removes a guardian, its device receives no new log entries', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const guardians: GuardianPage[] = [
    await openGuardianPage(browser, baseURL!),
    await openGuardianPage(browser, baseURL!),
    await openGuardianPage(browser, baseURL!),
  ];
  const [g1, g2, g3] = guardians as [GuardianPage, GuardianPage, GuardianPage];
  const errors = guardians.map((g) => collectPageErrors(g.page));
  for (const g of guardians) await g.call('setUp');
  const { links } = await createWalletAcross(guardians, 2);
  const inviteRoom = await g1.call<string>('inviteRoomName', links[0]);
  // Once the key is made, all three leave the room the invite links named, for one of their own.
  for (const g of guardians) await expect.poll(() => g.call<string>('roomName')).not.toBe(inviteRoom);
  const oldRoom = await g1.call<string>('roomName');
  for (const g of [g2, g3]) expect(await g.call<string>('roomName')).toBe(oldRoom);
  await expect.poll(() => g3.call<number>('webrtcConnCount')).toBe(2);
  const keys = [await g1.call<string>('publicKey'), await g2.call<string>('publicKey')];
  await g1.call('reshare', keys, 2);
  expect(await g2.call<number>('approveKeyChanges')).toBe(1); // a second guardian approves the removal
  await expect.poll(() => g3.call<boolean>('left')).toBe(true);
  // The two guardians move to a new room; the removed device stays in the old one.
  for (const g of [g1, g2]) await expect.poll(() => g.call<string>('roomName')).not.toBe(oldRoom);
  expect(await g2.call<string>('roomName')).toBe(await g1.call<string>('roomName'));
  expect(await g3.call<string>('roomName')).toBe(oldRoom);
  await expect.poll(() => g1.call<number>('webrtcConnCount')).toBe(1);
  const seenByRemoved = await g3.call<string[]>('logEntryIds');
  const signed = await signAcross(g1, [g2], 'after the removal');
  expect(await g2.call<string[]>('logEntryIds')).toContain(signed.requestId);
  expect(await g3.call<string[]>('logEntryIds')).toEqual(seenByRemoved);
  // Someone opening an already-used invite link now lands in the room the links named: nobody is there.
  const late = await openGuardianPage(browser, baseURL!);
  await late.call('setUp');
  await late.call('join', links[0]);
  expect(await late.call<string>('roomName')).toBe(inviteRoom);
  expect(await late.call<string[]>('logEntryIds')).toEqual([]);
  for (const e of errors) expect(e.unexpected()).toEqual([]);
});
