/**
 * Send from the plain address (EOA): the guardians sign an EIP-1559 transaction with threshold
 * ECDSA (DKLs23) — no contract involved. Two guardians (2 of 2) in separate Chromium contexts,
 * real WebRTC, real anvil.
 */
import { test, expect } from '@playwright/test';
import { createPublicClient, http, parseEther, type Address } from 'viem';
import { fundVault, openGuardian } from './helpers/wallet.ts';
import { ANVIL_PORT } from '../playwright.config.ts';

const RECIPIENT = '0x3333333333333333333333333333333333333333' as Address;
const chain = createPublicClient({ transport: http(`http://127.0.0.1:${Number(process.env.CAIRN_E2E_ANVIL_PORT ?? ANVIL_PORT)}`) });

test('send ETH from the plain address with threshold ECDSA', async ({ browser }) => {
  test.setTimeout(240_000);
  const alice = await openGuardian(browser, '/');
  await alice.page.getByRole('button', { name: 'Create a wallet' }).click();
  await alice.page.getByLabel('Number of guardians').selectOption('2');
  await alice.page.getByRole('button', { name: 'Create the wallet' }).click();
  const link = (await alice.page.getByTestId('invite-link').textContent())!;
  const bob = await openGuardian(browser, link);
  await bob.page.getByRole('button', { name: 'Join this wallet' }).click();
  for (const g of [alice, bob]) await expect(g.page.getByTestId('eoa-address')).toBeVisible({ timeout: 120_000 });
  const eoa = (await alice.page.getByTestId('eoa-address').textContent()) as Address;

  await fundVault(alice); // the devnet faucet funds the plain address too
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(0n);

  await alice.page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Send' }).click();
  await alice.page.getByLabel('The plain address').check();
  await alice.page.getByLabel('Recipient').fill(RECIPIENT);
  await alice.page.getByLabel('Amount').fill('2');
  // Every text the request's progress line shows, as it changes (the signing rounds pass quickly).
  await alice.page.evaluate(() => {
    const seen: string[] = ((window as unknown as { __progress: string[] }).__progress = []);
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="request-status"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await bob.page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /^Requests/ })
    .click();
  const card = bob.page.getByTestId('request').first();
  await expect(card).toContainText('Send 2 ETH from the plain address');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(alice.page.getByTestId('send-result')).toBeVisible({ timeout: 150_000 });
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(parseEther('2'));
  // The pair's one-time setup, then the six signing rounds, each said as it happens.
  const progress = await alice.page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(progress).toContainEqual(expect.stringMatching(/^ *Setting up these guardians to sign for the plain address, step 1 of 2/));
  expect(progress).toContainEqual(expect.stringMatching(/^ *Signing, round [1-6] of 6/)); // round 2 of the core travels in 3 envelopes
  expect(progress.filter((t) => /of 3\b/.test(t))).toEqual([]);
  expect(await chain.getBalance({ address: eoa })).toBeLessThan(parseEther('8')); // 10 − 2 − gas

  // Home: fund the vault from the plain address (it pays its own gas; the vault then pays its own).
  await alice.page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Home' }).click();
  const vault = (await alice.page.getByTestId('vault-address').textContent()) as Address;
  const vaultBefore = await chain.getBalance({ address: vault });
  await alice.page.getByLabel('Amount for the vault').fill('0,5');
  await alice.page.getByRole('button', { name: 'Fund the vault' }).click();
  await bob.page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /^Requests/ })
    .click();
  const fund = bob.page.getByTestId('request').filter({ hasText: 'Send 0.5 ETH from the plain address' });
  await expect(fund).toContainText(vault);
  await fund.getByRole('button', { name: 'Approve' }).click();
  await expect(alice.page.getByTestId('fund-vault-done')).toBeVisible({ timeout: 150_000 });
  expect(await chain.getBalance({ address: vault })).toBe(vaultBefore + parseEther('0.5'));
  for (const g of [alice, bob]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob]) await g.context.close();
});
