/**
 * The whole journey, as three people on three devices would do it: three separate Chromium
 * contexts (own IndexedDB, own virtual passkey with PRF), real WebRTC through the local signaling
 * server, a real anvil devnet behind an RPC front that, like a public RPC, has no accounts, and a real
 * ERC-4337 bundler (alto). Create a 2-of-3 wallet, the others join by invite link, the DKG runs, the
 * vault's first user operation registers the wallet and deploys the vault; fund it; send ETH with two
 * approvals, as a user operation through the bundler;
 * a second payment denied by one guardian still completes with the other two; one guardian's
 * passkey lacks PRF (passphrase fallback); refresh and reshare (epoch 1 and 2 on chain); screenshots of every
 * page at 375 and 1280 px; reload offline — the service worker serves the app and the log.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createPublicClient, http, parseEther, type Address } from 'viem';
import { entryPoint08Abi, entryPoint08Address } from 'viem/account-abstraction';
import { addVirtualAuthenticator } from './helpers/webauthn.ts';
import { collectPageErrors } from './helpers/pageErrors.ts';
import { approveKeyChange } from './helpers/wallet.ts';
import { pageProblems } from './helpers/pageChecks.ts';
import { ANVIL_PORT } from '../playwright.config.ts';

const RECIPIENT = '0x1111111111111111111111111111111111111111' as Address;
const RECIPIENT_2 = '0x2222222222222222222222222222222222222222' as Address;
/** EIP-55's own example address with the case of its last letter flipped: a wrong checksum. */
const BAD_CHECKSUM = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD';
const anvilPort = Number(process.env.CAIRN_E2E_ANVIL_PORT ?? ANVIL_PORT); // a private run may use other ports
const chain = createPublicClient({ transport: http(`http://127.0.0.1:${anvilPort}`) });
const PAGES = ['Home', 'Send', 'Requests', 'Secrets', 'Rules', 'Guardians', 'Activity', 'Settings'] as const;

/** The vault's ETH plus its deposit in the EntryPoint (what pays its user operations' gas). */
async function vaultFunds(vault: Address): Promise<bigint> {
  const deposit = await chain.readContract({ address: entryPoint08Address, abi: entryPoint08Abi, functionName: 'balanceOf', args: [vault] });
  return (await chain.getBalance({ address: vault })) + deposit;
}

async function guardian(browser: Browser, url: string, { prf = true } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await addVirtualAuthenticator(page, { prf });
  return { context, page, errors };
}

/** Full-page screenshots at phone and desktop width (the page is left at 1280 px). */
async function shoot(page: Page, dir: string, name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
}

async function openPage(page: Page, name: (typeof PAGES)[number]) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
}

/** The share store's record names and the sealed bytes of the current epoch's record (IndexedDB). */
async function shareRecords(page: Page): Promise<{ names: string[]; current: number[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cairn');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const store = db.transaction('records').objectStore('records');
    const all = <T>(req: IDBRequest<T>) => new Promise<T>((res, rej) => ((req.onsuccess = () => res(req.result)), (req.onerror = () => rej(req.error))));
    const names = (await all(store.getAllKeys())).map(String);
    const currentName = names.find((n) => n.endsWith('/current'));
    const current = currentName ? Array.from((await all(store.get(currentName))) as Uint8Array) : [];
    db.close();
    return { names, current };
  });
}

async function approveLatest(page: Page) {
  await openPage(page, 'Requests');
  const card = page.getByTestId('request').first();
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card.getByText(/Approved by .*you/)).toBeVisible();
}

test('create a 2-of-3 wallet, join by invite, DKG, fund, send, deny, offline', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const started = Date.now();
  const shots = info.outputPath('screens');
  mkdirSync(shots, { recursive: true });
  const lap = (what: string) => console.log(`[journey] ${what} at ${Date.now() - started} ms`);

  // ——— Alice creates the wallet ———
  const alice = await guardian(browser, '/');
  await alice.page.getByRole('button', { name: 'Create a wallet' }).click();
  await alice.page.getByLabel('Wallet name').fill('Family savings');
  await alice.page.getByLabel(/Name of this device/).fill('Alice laptop');
  await expect(alice.page.getByText('Any 2 of your 3 guardians can approve a payment; one lost device loses nothing.')).toBeVisible();
  await shoot(alice.page, shots, 'create');
  await alice.page.getByRole('button', { name: 'Create the wallet' }).click();
  const links = alice.page.getByTestId('invite-link');
  await expect(links).toHaveCount(2);
  const [link1, link2] = await links.allTextContents();
  await expect(alice.page.getByRole('img', { name: /QR code of the invite/ }).first()).toBeVisible();
  await shoot(alice.page, shots, 'onboarding-invites');

  // ——— Bob and Carol join from the links ———
  const bob = await guardian(browser, link1!);
  await bob.page.getByLabel(/Name of this device/).fill('Bob phone');
  await shoot(bob.page, shots, 'join');
  await bob.page.getByRole('button', { name: 'Join this wallet' }).click();
  // Carol's passkey has no PRF: the app asks for a passphrase instead.
  const carol = await guardian(browser, link2!, { prf: false });
  await carol.page.getByLabel(/Name of this device/).fill('Carol tablet');
  await carol.page.getByRole('button', { name: 'Join this wallet' }).click();
  await expect(carol.page.getByLabel('Passphrase')).toBeVisible();
  // The passphrase page too: accessible, in plain words (the passkey's missing feature is in a disclosure).
  expect(await pageProblems(carol.page, 'Join with a passphrase')).toEqual([]);
  await shoot(carol.page, shots, 'join-passphrase');
  await carol.page.getByLabel('Passphrase').fill('carol tablet passphrase');
  await carol.page.getByRole('button', { name: 'Join this wallet' }).click();

  // DKG, registration (co-signed by the others) and the vault, on every device.
  for (const g of [alice, bob, carol]) {
    await expect(g.page.getByTestId('vault-address'))
      .toBeVisible({ timeout: 120_000 })
      .catch(async (e) => {
        for (const h of [alice, bob, carol]) {
          await openPage(h.page, 'Activity');
          console.log('[page]', await h.page.locator('main').innerText(), h.errors.unexpected());
        }
        throw e;
      });
  }
  lap('wallet ready on all three devices');
  const vault = (await alice.page.getByTestId('vault-address').textContent()) as Address;
  const eoa = (await alice.page.getByTestId('eoa-address').textContent()) as Address;
  for (const g of [bob, carol]) {
    await expect(g.page.getByTestId('vault-address')).toHaveText(vault);
    await expect(g.page.getByTestId('eoa-address')).toHaveText(eoa);
  }
  await expect(alice.page.getByTestId('registry-epoch'))
    .toHaveText('0', { timeout: 30_000 })
    .catch(async (e) => {
      console.log(await alice.page.locator('main').innerText());
      throw e;
    });
  await expect(bob.page.getByText('Bob phone (this device)')).toBeVisible();
  await expect(bob.page.getByText('Alice laptop')).toBeVisible();
  // Presence (signed Awareness states in the room, nothing in the log): Bob sees all three online.
  const guardianRow = (g: typeof bob, name: string) => g.page.getByTestId('guardian').filter({ hasText: name });
  for (const name of ['Bob phone', 'Alice laptop', 'Carol tablet']) await expect(guardianRow(bob, name)).toHaveText(/online$/);

  // ——— Fund on anvil (the devnet faucet) ———
  await openPage(alice.page, 'Settings');
  await alice.page.getByRole('button', { name: 'Add test funds' }).click();
  await expect(alice.page.getByTestId('faucet-done')).toBeVisible({ timeout: 30_000 });
  // The devnet faucet gave the vault 10 ETH before its registration (its first user operation, which
  // also deployed it, paid its own gas), and 10 more now.
  const funded = await vaultFunds(vault);
  expect(funded).toBeGreaterThan(parseEther('19.9'));
  expect(funded).toBeLessThan(parseEther('20'));
  expect(await chain.getCode({ address: vault })).toMatch(/^0x[0-9a-f]{10,}/);

  lap('funded');
  // ——— Refused before anything reaches the guardians: more than the vault holds, a mistyped address ———
  await openPage(alice.page, 'Send');
  await alice.page.getByLabel('Recipient').fill(RECIPIENT);
  await alice.page.getByLabel('Amount').fill('1000');
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(alice.page.getByRole('alert')).toContainText('The vault holds only');
  await alice.page.getByLabel('Recipient').fill(BAD_CHECKSUM);
  await alice.page.getByLabel('Amount').fill('0.1');
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(alice.page.getByRole('alert')).toContainText('wrong checksum');
  await openPage(bob.page, 'Requests');
  await expect(bob.page.getByTestId('request')).toHaveCount(0);

  // ——— Alice sends 1 ETH; Bob approves; 2 of 2 → signed and sent ———
  await openPage(alice.page, 'Send');
  await alice.page.getByLabel('Recipient').fill(RECIPIENT);
  await alice.page.getByLabel('Amount').fill('1');
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(alice.page.getByTestId('request-status')).toContainText('1 of 2 approvals');
  await openPage(bob.page, 'Requests');
  await expect(bob.page.getByTestId('request').first()).toContainText('Send 1 ETH');
  await expect(bob.page.getByTestId('request').first()).toContainText(RECIPIENT);
  await approveLatest(bob.page);
  await expect(alice.page.getByTestId('send-result')).toBeVisible({ timeout: 60_000 });
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(parseEther('1'));
  const afterPayment = await vaultFunds(vault);
  expect(afterPayment).toBeLessThan(funded - parseEther('1')); // 1 ETH and the gas, through the bundler
  expect(afterPayment).toBeGreaterThan(funded - parseEther('1.01'));
  await openPage(carol.page, 'Requests');
  await expect(carol.page.getByTestId('request').first().getByTestId('request-status')).toHaveText('Sent');

  lap('first payment sent');
  // ——— A denial by one guardian doesn't stop the other two ———
  await openPage(alice.page, 'Send');
  await alice.page.getByLabel('Recipient').fill(RECIPIENT_2);
  await alice.page.getByLabel('Amount').fill('0,5'); // a decimal comma is read as 0.5
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await openPage(carol.page, 'Requests');
  const carolCard = carol.page.getByTestId('request').first();
  await expect(carolCard).toContainText('Send 0.5 ETH');
  await carolCard.getByRole('button', { name: 'Deny' }).click();
  await carol.page.getByLabel('Why are you denying it?').fill('I do not know this address');
  await carol.page.getByRole('button', { name: 'Deny the request' }).click();
  await expect(alice.page.getByText('Denied by Carol tablet: “I do not know this address”')).toBeHidden(); // Alice is on Send
  await approveLatest(bob.page);
  await expect(alice.page.getByTestId('send-result')).toBeVisible({ timeout: 60_000 });
  expect(await chain.getBalance({ address: RECIPIENT_2 })).toBe(parseEther('0.5'));
  await openPage(alice.page, 'Requests');
  await expect(alice.page.getByTestId('denial').first()).toHaveText('Denied by Carol tablet: “I do not know this address”');
  lap('second payment sent');

  // ——— Refresh: new shares everywhere, epoch 1 on chain, same addresses, old shares gone ———
  const before = await Promise.all([alice, bob, carol].map((g) => shareRecords(g.page)));
  await openPage(bob.page, 'Guardians');
  await bob.page.getByRole('button', { name: 'Refresh shares' }).click();
  // Nothing runs until a second guardian approves the proposal (one guardian alone never changes the key).
  await approveKeyChange(alice, 'Bob phone proposes new shares for every guardian');
  await expect(bob.page.getByTestId('refresh-done')).toContainText('recorded on chain as share set 1', { timeout: 60_000 });
  for (const g of [alice, carol]) {
    await openPage(g.page, 'Guardians');
    await expect(g.page.getByTestId('local-epoch')).toHaveText('1');
  }
  await openPage(alice.page, 'Home');
  await expect(alice.page.getByTestId('registry-epoch')).toHaveText('1', { timeout: 30_000 });
  await expect(alice.page.getByTestId('vault-address')).toHaveText(vault);
  await expect(alice.page.getByTestId('eoa-address')).toHaveText(eoa);
  const after = await Promise.all([alice, bob, carol].map((g) => shareRecords(g.page)));
  for (const [i, a] of after.entries()) {
    expect(a.names.filter((n) => n.includes('/staged/'))).toEqual([]); // nothing half-promoted left
    expect(a.current).not.toEqual(before[i]!.current); // the epoch-0 share record was replaced
  }
  lap('refreshed');

  // ——— Reshare: Carol's device is retired; Alice and Bob keep the same key, 2 of 2 ———
  await openPage(alice.page, 'Guardians');
  await alice.page.getByLabel('Keep Carol tablet').uncheck();
  await expect(alice.page.getByText('Any 2 of your 2 guardians can approve a payment; every guardian is needed, so keep all devices safe.')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Apply the change' }).click();
  await approveKeyChange(bob, 'Alice laptop proposes: remove Carol tablet');
  const outcome = alice.page.getByTestId('reshare-done').or(alice.page.getByRole('alert').filter({ hasText: 'Nothing changed' }));
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  if (!(await alice.page.getByTestId('reshare-done').isVisible())) {
    // A guardian missed a round (the error says so and that nothing changed): a person would try again.
    console.log('[journey] reshare retried:', await outcome.textContent());
    await alice.page.getByRole('button', { name: 'Apply the change' }).click();
    await approveKeyChange(bob, 'Alice laptop proposes: remove Carol tablet');
  }
  await expect(alice.page.getByTestId('reshare-done')).toContainText('on chain 2', { timeout: 60_000 });
  await expect(carol.page.getByText('The other guardians removed this device from the wallet')).toBeVisible({ timeout: 30_000 });
  expect((await shareRecords(carol.page)).names.filter((n) => n.includes('/current'))).toEqual([]); // its share is gone
  await openPage(bob.page, 'Guardians');
  await expect(bob.page.getByTestId('local-epoch')).toHaveText('2');
  await expect(bob.page.getByTestId('guardian')).toHaveCount(2);
  const journeyMs = Date.now() - started;
  lap('reshared');

  // ——— Screenshots of every page at phone and desktop widths ———
  for (const width of [375, 1280]) {
    await alice.page.setViewportSize({ width, height: 900 });
    for (const name of PAGES) {
      await openPage(alice.page, name);
      await alice.page.waitForTimeout(300); // let balances/events render
      await alice.page.screenshot({ path: `${shots}/${name.toLowerCase()}-${width}.png`, fullPage: true });
    }
    await bob.page.setViewportSize({ width, height: 900 });
    await openPage(bob.page, 'Requests');
    await bob.page.screenshot({ path: `${shots}/requests-bob-${width}.png`, fullPage: true });
  }

  lap('screenshots taken');
  // ——— Offline: the service worker serves the app; the wallet and log come from IndexedDB ———
  const workerVersion = await alice.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (reg.active?.state !== 'activated') await new Promise<void>((r) => reg.active?.addEventListener('statechange', () => r()));
    return new Promise<string>((resolve) => {
      navigator.serviceWorker.addEventListener('message', (e) => e.data?.type === 'version' && resolve(String(e.data.version)));
      reg.active!.postMessage({ type: 'version' });
    });
  });
  // The production build's worker (the dev server's says "dev"): what `npm start` serves.
  expect(workerVersion).toMatch(/^[0-9a-f]{12}$/);
  // Installable: manifest (name, icons 192/512, standalone) and a service worker with a fetch handler.
  const cdp = await alice.context.newCDPSession(alice.page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
  // Playwright's contexts are off-the-record, which alone blocks installing; nothing else may.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const failed: string[] = [];
  alice.page.on('requestfailed', (r) => failed.push(r.url()));
  await alice.context.setOffline(true);
  const response = await alice.page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(alice.page.getByRole('button', { name: 'Unlock with your passkey' }))
    .toBeVisible({ timeout: 30_000 })
    .catch((e) => {
      console.log(
        '[offline] requests that failed:',
        failed.filter((u) => !u.includes(':8745') && !u.startsWith('ws')),
      );
      throw e;
    });
  await shoot(alice.page, shots, 'unlock-offline');
  await alice.page.getByRole('button', { name: 'Unlock with your passkey' }).click();
  await openPage(alice.page, 'Activity');
  await expect(alice.page.getByTestId('activity-item').filter({ hasText: 'denied “Send 0.5 ETH”: “I do not know this address”' })).toBeVisible();
  await expect(alice.page.getByTestId('activity-item').filter({ hasText: 'created the wallet' })).toBeVisible();
  await openPage(alice.page, 'Home');
  await expect(alice.page.getByTestId('vault-address')).toHaveText(vault);
  // Offline, this device says so too (not only the others).
  for (const name of ['Alice laptop', 'Bob phone']) await expect(guardianRow(alice, name)).toHaveText(/offline$/);
  await alice.page.screenshot({ path: `${shots}/offline-home-1280.png`, fullPage: true });
  await alice.context.setOffline(false);

  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/journey-metrics.json', JSON.stringify({ 'e2e.journey.totalMs': journeyMs }) + '\n');
  for (const g of [alice, bob, carol]) await g.context.close();
});
