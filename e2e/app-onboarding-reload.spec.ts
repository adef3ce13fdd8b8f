/**
 * Creating a wallet survives reloads before the key exists: Alice creates a 2-of-3, Bob joins, then
 * Bob's tab and Alice's tab are reloaded (phone locked, tab discarded) and unlocked with the passkey.
 * Both come back to the gathering page — Alice with her remaining invite link, Bob without joining
 * again — and Carol joins with the second link: the key is made and the vault deployed as usual.
 * Bob's link opened once more on another phone is refused there in plain words; it changes nothing.
 */
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { joinWithLink, reloadAndUnlock, startFamilyWallet } from './helpers/wallet.ts';

async function screenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.setViewportSize({ width: 375, height: 812 });
  const path = info.outputPath(`${name}-375.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(`${name}-375`, { path, contentType: 'image/png' });
}

test('creator and a joiner reload before the key exists: both reopen gathering, the last join makes the key and the vault', async ({ browser }, info) => {
  test.setTimeout(240_000);
  const {
    alice,
    links: [link1, link2],
  } = await startFamilyWallet(browser);

  const bob = await joinWithLink(browser, link1!, 'Bob phone');
  for (const g of [alice, bob]) await expect(g.page.getByTestId('joined-count')).toHaveText('2 of 3 guardians have joined', { timeout: 60_000 });

  // Bob's phone locks and the tab is discarded: after the passkey he is back, still one of the two who joined.
  await reloadAndUnlock(bob.page);
  await expect(bob.page.getByRole('heading', { name: 'Setting up Family savings' })).toBeVisible({ timeout: 60_000 });
  await expect(bob.page.getByTestId('joined-count')).toHaveText('2 of 3 guardians have joined');

  // Alice's tab too: her invite for the third guardian is still there (the one Bob used is shown as joined).
  await reloadAndUnlock(alice.page);
  await expect(alice.page.getByTestId('joined-count')).toHaveText('2 of 3 guardians have joined', { timeout: 60_000 });
  await expect(alice.page.getByTestId('invite-link')).toHaveCount(1);
  await expect(alice.page.getByTestId('invite-link')).toHaveText(link2!);
  await expect(alice.page.getByText('Guardian 2 — joined')).toBeVisible();
  await screenshot(alice.page, info, 'gathering-after-reload');
  await screenshot(bob.page, info, 'gathering-after-reload-joiner');

  // What brought the invites back is sealed in the share store: nothing of them in localStorage.
  // (base64url characters 92–131 of the link's payload encode bytes 69–98: inside its room secret.)
  const roomSecretPart = link2!.slice(link2!.indexOf('invite=') + 'invite='.length).slice(92, 132);
  for (const g of [alice, bob]) expect(await g.page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(roomSecretPart);

  // Bob opens his link on his tablet too: that device is told the invite is used; Bob keeps his place.
  const bobTablet = await joinWithLink(browser, link1!, 'Bob tablet');
  await expect(
    bobTablet.page.getByText(
      "Another device has already joined with this invite link, so this device can't use it. Ask the guardian who sent it for a new invite.",
    ),
  ).toBeVisible({ timeout: 60_000 });
  // It shows nothing of the wallet (no name, no pages, no history) and can leave and forget it.
  await expect(bobTablet.page.getByTestId('not-a-guardian')).toBeVisible();
  await expect(bobTablet.page.getByText('Family savings')).toHaveCount(0);
  await expect(bobTablet.page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
  await screenshot(bobTablet.page, info, 'invite-already-used');
  await expect(alice.page.getByTestId('joined-count')).toHaveText('2 of 3 guardians have joined');
  await bobTablet.page.getByRole('button', { name: 'Leave and forget this wallet' }).click();
  await expect(bobTablet.page.getByRole('button', { name: 'Create a wallet' })).toBeVisible();
  await bobTablet.page.reload();
  await expect(bobTablet.page.getByRole('button', { name: 'Create a wallet' })).toBeVisible();
  // Nothing of the wallet stays in this browser: no stored log, no records of it.
  const left = await bobTablet.page.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    keys: await new Promise<string[]>((resolve) => {
      const open = indexedDB.open('cairn');
      open.onsuccess = () => {
        const req = open.result.transaction('records').objectStore('records').getAllKeys();
        req.onsuccess = () => resolve((req.result as string[]).map(String));
      };
    }),
  }));
  expect(left.dbs.filter((n) => n?.startsWith('cairn-wallet-'))).toEqual([]);
  expect(left.keys.filter((k) => k.includes('wallet/'))).toEqual([]);
  await bobTablet.context.close();

  const carol = await joinWithLink(browser, link2!, 'Carol tablet');
  for (const g of [alice, bob, carol]) await expect(g.page.getByTestId('vault-address')).toBeVisible({ timeout: 150_000 });
  const vault = await alice.page.getByTestId('vault-address').textContent();
  for (const g of [bob, carol]) await expect(g.page.getByTestId('vault-address')).toHaveText(vault!);
  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
});
