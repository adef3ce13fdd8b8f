/**
 * A lost device is replaced: Carol's browser is gone (context closed, its storage with it); a new
 * browser (Dave) joins with an invite from the Guardians page (its tab is reloaded before the change, and
 * comes back joining after the passkey unlock); Alice reshares to {Alice, Bob, Dave}
 * with only the devices that still exist dealing; the wallet keeps its addresses, the registry
 * moves to epoch 1, and Dave co-signs a payment with his new share.
 */
import { test, expect } from '@playwright/test';
import { createPublicClient, http, parseEther, type Address } from 'viem';
import { approveKeyChange, createFamilyWallet, fundVault, joinWithLink, openTab, reloadAndUnlock, sendApprovedBy } from './helpers/wallet.ts';
import { ANVIL_PORT } from '../playwright.config.ts';

const RECIPIENT = '0x4444444444444444444444444444444444444444' as Address;
const chain = createPublicClient({ transport: http(`http://127.0.0.1:${Number(process.env.CAIRN_E2E_ANVIL_PORT ?? ANVIL_PORT)}`) });

test('a lost guardian device is replaced by a new one, which then co-signs', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const { alice, bob, carol, vault } = await createFamilyWallet(browser);
  const eoa = (await alice.page.getByTestId('eoa-address').textContent()) as Address;

  // Carol's tablet is lost: the browser and everything in it are gone.
  await carol.context.close();

  // A new device joins with an invite from a guardian.
  await openTab(alice.page, 'Guardians');
  await alice.page.getByRole('button', { name: 'Invite a new device' }).click();
  const newLink = (await alice.page.getByTestId('invite-link').textContent())!;
  const dave = await joinWithLink(browser, newLink, 'Dave phone');
  await expect(alice.page.getByLabel('Keep Dave phone')).toBeChecked({ timeout: 60_000 });

  // Dave's tab is reloaded before the change: after the passkey unlock it is still joining (its invite is spent).
  await expect(dave.page.getByText('This device has joined, but it is not a guardian yet.')).toBeVisible();
  await reloadAndUnlock(dave.page);
  await expect(dave.page.getByText('This device has joined, but it is not a guardian yet.')).toBeVisible({ timeout: 60_000 });

  // Alice replaces Carol by Dave; Carol is lost, so only Alice and Bob deal.
  await alice.page.getByLabel('Keep Carol tablet').uncheck();
  await alice.page.getByLabel('Carol tablet is lost').check();
  await alice.page.getByRole('button', { name: 'Apply the change' }).click();
  await approveKeyChange(bob, 'Alice laptop proposes: add Dave phone (invited by Alice laptop), remove Carol tablet');
  await expect(alice.page.getByTestId('reshare-done')).toContainText('on chain 1', { timeout: 90_000 });
  await expect(dave.page.getByTestId('vault-address')).toHaveText(vault, { timeout: 30_000 });
  await expect(dave.page.getByTestId('eoa-address')).toHaveText(eoa);

  // The history says what Alice asked for: a change of guardians, not a refresh.
  await openTab(alice.page, 'Activity');
  const announcement = alice.page.getByTestId('activity-item').filter({ hasText: 'asked to change the guardians' });
  await expect(announcement).toContainText('asked to change the guardians: 2 of 3 — ');
  for (const n of ['Alice laptop (you)', 'Bob phone', 'Dave phone']) await expect(announcement).toContainText(n);
  await expect(alice.page.getByTestId('activity-item').filter({ hasText: 'invited a new device' })).toHaveCount(1);
  await expect(alice.page.getByTestId('activity-item').filter({ hasText: 'created the wallet' })).toHaveCount(1);
  await alice.page.screenshot({ path: info.outputPath('activity-reshare.png'), fullPage: true });

  // Dave's new share co-signs a payment.
  await fundVault(alice);
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(0n);
  await sendApprovedBy(alice, dave, RECIPIENT, '1');
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(parseEther('1'));
  for (const g of [alice, bob, dave]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, dave]) await g.context.close();
});
