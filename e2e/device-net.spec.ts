import { test, expect, type Browser, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { addVirtualAuthenticator } from './helpers/webauthn.ts';
import { collectPageErrors } from './helpers/pageErrors.ts';
import { SIGNALING_PORT } from '../playwright.config.ts';

const HARNESS = '/e2e/harness/device.html';
const SIGNALING = `ws://localhost:${SIGNALING_PORT}`;

async function openHarness(browser: Browser, baseURL: string | undefined) {
  // Each context is a separate guardian device: own storage, own authenticator, no BroadcastChannel.
  const context = await browser.newContext({ baseURL, permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(HARNESS);
  await expect(page.locator('#status')).toHaveText('ready');
  return { context, page };
}

/** Every value in this origin's `cairn`/`records` IndexedDB store, read raw (not through our code). */
function rawRecords(page: Page): Promise<{ key: string; hex: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('cairn');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('records', 'readonly');
          const store = tx.objectStore('records');
          const keysReq = store.getAllKeys();
          const valuesReq = store.getAll();
          tx.oncomplete = () => {
            const toHex = (v: unknown) => (v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : JSON.stringify(v));
            resolve(keysReq.result.map((k, i) => ({ key: String(k), hex: toHex(valuesReq.result[i]) })));
            db.close();
          };
        };
      }),
  );
}

const hexOf = (s: string) => Buffer.from(s, 'utf8').toString('hex');

test('passkey with PRF: records rest encrypted in IndexedDB and reopen after a reload', async ({ browser, baseURL }) => {
  const { context, page } = await openHarness(browser, baseURL);
  const errors = collectPageErrors(page);
  const authenticator = await addVirtualAuthenticator(page, { prf: true });

  expect(await page.evaluate(() => window.cairn.setUpUnlock())).toEqual({ method: 'passkey-prf' });
  expect(await authenticator.credentialCount()).toBe(1);
  const secret = 'SHARE-PLAINTEXT-' + randomBytes(8).toString('hex');
  expect(await page.evaluate((s) => window.cairn.putText('wallet/w1/current', s), secret)).toBeUndefined();
  const publicKey = await page.evaluate(() => window.cairn.createIdentity());

  // The request log persists through y-indexeddb, authored by the sealed device identity.
  expect(await page.evaluate(() => window.cairn.openPersistentLog('w1'))).toEqual([]);
  await page.evaluate(() => window.cairn.appendPersistent('request', 'survives reloads'));
  await page.evaluate(() => window.cairn.closePersistentLog());

  const raw = await rawRecords(page);
  expect(raw.map((r) => r.key)).toEqual(expect.arrayContaining(['meta/unlock', 'rec/wallet/w1/current', 'rec/device/identity']));
  for (const r of raw) expect(r.hex).not.toContain(hexOf(secret));

  await page.reload();
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await page.evaluate(() => window.cairn.isLocked())).toBe(true);
  expect(await page.evaluate(() => window.cairn.getText('wallet/w1/current'))).toMatchObject({ error: { code: 'LOCKED' } });
  expect(await page.evaluate(() => window.cairn.unlock())).toEqual({ method: 'passkey-prf' });
  expect(await page.evaluate(() => window.cairn.getText('wallet/w1/current'))).toBe(secret);
  expect(await page.evaluate(() => window.cairn.loadIdentity())).toBe(publicKey);
  expect(await page.evaluate(() => window.cairn.openPersistentLog('w1'))).toEqual([{ kind: 'request', body: 'survives reloads', author: publicKey }]);

  await page.evaluate(() => window.cairn.lock());
  expect(await page.evaluate(() => window.cairn.getText('wallet/w1/current'))).toMatchObject({ error: { code: 'LOCKED' } });
  expect(errors.unexpected()).toEqual([]);
  await context.close();
});

test('no PRF: falls back to a passphrase; a wrong one gets a clear message', async ({ browser, baseURL }) => {
  const { context, page } = await openHarness(browser, baseURL);
  const errors = collectPageErrors(page);
  const authenticator = await addVirtualAuthenticator(page, { prf: false });

  expect(await page.evaluate(() => window.cairn.setUpUnlock())).toMatchObject({ error: { code: 'UNSUPPORTED' } });
  // The UI then asks for a passphrase and sets up without creating a second passkey.
  const setup = await page.evaluate(() => window.cairn.setUpUnlock('river stone quiet lantern', true));
  expect(setup).toMatchObject({ method: 'passphrase' });
  expect(await authenticator.credentialCount()).toBe(1); // one passkey per device, even on fallback
  test.info().annotations.push({ type: 'scrypt N=2^17 setup in Chromium (ms)', description: String(Math.round((setup as { setupMs: number }).setupMs)) });
  const secret = 'PASSPHRASE-PROTECTED-' + randomBytes(8).toString('hex');
  await page.evaluate((s) => window.cairn.putText('wallet/w1/current', s), secret);
  for (const r of await rawRecords(page)) expect(r.hex).not.toContain(hexOf(secret));

  await page.reload();
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await page.evaluate(() => window.cairn.unlock('river stone quiet lanterns'))).toEqual({
    error: { code: 'WRONG_UNLOCK', message: "That passphrase doesn't unlock this device" },
  });
  expect(await page.evaluate(() => window.cairn.unlock('river stone quiet lantern'))).toEqual({ method: 'passphrase' });
  expect(await page.evaluate(() => window.cairn.getText('wallet/w1/current'))).toBe(secret);
  expect(errors.unexpected()).toEqual([]);
  await context.close();
});

test('three guardians share the request log over real WebRTC; an outsider without the secret sees nothing', async ({ browser, baseURL }) => {
  const walletId = 'wallet-' + randomBytes(4).toString('hex');
  const secretHex = randomBytes(32).toString('hex');
  const guardians = await Promise.all([0, 1, 2].map(() => openHarness(browser, baseURL)));
  // The outsider's failed handshakes make y-webrtc reject a decrypt promise it never handles.
  const errors = guardians.map(({ page }) => collectPageErrors(page, [/OperationError/]));

  expect(await guardians[0]!.page.evaluate(() => window.cairn.signalingUrls())).toBe(SIGNALING);
  // The signaling operator's view, from before anyone joins (invariant 7).
  const outsider = await openHarness(browser, baseURL);
  const outsiderErrors = collectPageErrors(outsider.page, [/OperationError/]);
  const roomName = await outsider.page.evaluate(([w, s]) => window.cairn.roomNameFor(w!, s!), [walletId, secretHex]);
  await outsider.page.evaluate(([u, r]) => window.cairn.tapSignaling(u!, r!), [SIGNALING, roomName]);

  const keys: string[] = [];
  for (const { page } of guardians) {
    // Each device: its own authenticator and passkey with PRF, its identity sealed under it.
    await addVirtualAuthenticator(page, { prf: true });
    expect(await page.evaluate(() => window.cairn.setUpUnlock())).toEqual({ method: 'passkey-prf' });
    const publicKey = await page.evaluate(() => window.cairn.createIdentity());
    const joined = await page.evaluate(([w, s]) => window.cairn.joinRoom(w!, s!), [walletId, secretHex]);
    expect(joined).toMatchObject({ publicKey });
    keys.push(publicKey as string);
  }
  expect(new Set(keys).size).toBe(3);
  for (const { page } of guardians) await page.evaluate((k) => window.cairn.setMembers(k), keys);

  // A remount (close + reopen of the same room) must not collide with y-webrtc's global room map.
  await guardians[2]!.page.evaluate(([w, s]) => window.cairn.remount(w!, s!), [walletId, secretHex]);

  await outsider.page.evaluate(([r, u]) => window.cairn.joinAsOutsider(r!, u!), [roomName, SIGNALING]);

  for (const [k, { page }] of guardians.entries()) {
    expect(await page.evaluate((b) => window.cairn.append('request', b), `hello from guardian ${k}`)).toMatch(/^[0-9a-f]{64}$/);
  }
  for (const { page } of guardians) {
    await expect.poll(() => page.evaluate(() => window.cairn.entries().length), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => page.evaluate(() => window.cairn.webrtcConnCount())).toBeGreaterThan(0);
    const entries = await page.evaluate(() => window.cairn.entries());
    expect(entries.map((e) => e.body).sort()).toEqual(['hello from guardian 0', 'hello from guardian 1', 'hello from guardian 2']);
    expect(new Set(entries.map((e) => e.author))).toEqual(new Set(keys));
  }
  // Same order everywhere (Yjs order, not arrival order).
  const orders = await Promise.all(guardians.map(({ page }) => page.evaluate(() => window.cairn.entries().map((e) => e.id))));
  expect(orders[1]).toEqual(orders[0]);
  expect(orders[2]).toEqual(orders[0]);

  // One more round trip after everyone is connected, then the outsider must still have nothing.
  await guardians[0]!.page.evaluate(() => window.cairn.append('approval', 'last'));
  for (const { page } of guardians) await expect.poll(() => page.evaluate(() => window.cairn.entries().length)).toBe(4);
  expect(await outsider.page.evaluate(() => window.cairn.outsiderItemCount())).toBe(0);

  // The signaling server relayed the WebRTC handshakes, but only as ciphertext: no SDP, no ICE
  // candidates, no device keys, no log content, no wallet id.
  const seen = await outsider.page.evaluate(() => window.cairn.tapped());
  const publishes = seen.map((m) => JSON.parse(m) as { type: string; topic: string; data: unknown }).filter((m) => m.type === 'publish');
  expect(publishes.length).toBeGreaterThan(0);
  for (const m of publishes) {
    expect(m.topic).toBe(roomName);
    expect(typeof m.data).toBe('string'); // y-webrtc sends plaintext JSON objects when there's no password
    const decoded = Buffer.from(m.data as string, 'base64');
    expect(decoded.toString('base64').replace(/=+$/, '')).toBe((m.data as string).replace(/=+$/, ''));
    const asText = decoded.toString('latin1');
    for (const needle of ['sdp', 'candidate', 'offer', 'hello from guardian', walletId, ...keys]) expect(asText).not.toContain(needle);
  }

  // The outsider really was in the room: its undecryptable signaling reached the guardians.
  await expect.poll(() => errors.reduce((n, e) => n + e.allowed().length, 0)).toBeGreaterThan(0);
  for (const e of errors) expect(e.unexpected()).toEqual([]);
  expect(outsiderErrors.unexpected()).toEqual([]);
  await Promise.all([...guardians, outsider].map(({ context }) => context.close()));
});

test('a guardian that was offline while the log grew past 256 KiB catches up over WebRTC', async ({ browser, baseURL }) => {
  // y-webrtc answers a returning peer with everything it lacks in one message; Chromium refuses
  // data-channel messages above 256 KiB. Our framing (src/net/framedDataChannel.ts) splits them.
  const walletId = 'wallet-' + randomBytes(4).toString('hex');
  const secretHex = randomBytes(32).toString('hex');
  const alice = await openHarness(browser, baseURL);
  const bob = await openHarness(browser, baseURL);
  const errors = [alice, bob].map(({ page }) => collectPageErrors(page));
  const keys: string[] = [];
  for (const { page } of [alice, bob]) {
    const joined = await page.evaluate(([w, s]) => window.cairn.joinRoom(w!, s!), [walletId, secretHex]);
    keys.push((joined as { publicKey: string }).publicKey);
  }
  for (const { page } of [alice, bob]) await page.evaluate((k) => window.cairn.setMembers(k), keys);
  await alice.page.evaluate(() => window.cairn.append('request', 'before bob left'));
  await expect.poll(() => bob.page.evaluate(() => window.cairn.entries().length), { timeout: 30_000 }).toBe(1);
  expect(await bob.page.evaluate(() => window.cairn.webrtcConnCount())).toBeGreaterThan(0);

  await bob.page.evaluate(() => window.cairn.leaveRoom());
  expect(await bob.page.evaluate(() => window.cairn.webrtcConnCount())).toBe(0);
  // 14 entries of 24 KiB of randomness (48 KiB hex each): about 670 KiB Bob lacks.
  const logBytes = await alice.page.evaluate(() => window.cairn.appendFiller(14, 24 * 1024));
  expect(logBytes).toBeGreaterThan(600 * 1024);
  await alice.page.evaluate(() => window.cairn.append('request', 'the last one'));
  await bob.page.waitForTimeout(2_000);
  expect(await bob.page.evaluate(() => window.cairn.entries().length)).toBe(1); // really offline

  await bob.page.evaluate(([w, s]) => window.cairn.rejoinRoom(w!, s!), [walletId, secretHex]);
  await expect.poll(() => bob.page.evaluate(() => window.cairn.entries().length), { timeout: 60_000 }).toBe(16);
  expect(await bob.page.evaluate(() => window.cairn.webrtcConnCount())).toBeGreaterThan(0);
  const ids = await Promise.all([alice, bob].map(({ page }) => page.evaluate(() => window.cairn.entries().map((e) => e.id))));
  expect(ids[1]).toEqual(ids[0]);
  expect((await bob.page.evaluate(() => window.cairn.entries()))[15]!.body).toBe('the last one');

  // And the other way round, while both are online.
  await bob.page.evaluate(() => window.cairn.append('approval', 'bob is back'));
  await expect.poll(() => alice.page.evaluate(() => window.cairn.entries().length), { timeout: 30_000 }).toBe(17);
  for (const e of errors) expect(e.unexpected()).toEqual([]);
  await Promise.all([alice, bob].map(({ context }) => context.close()));
});
