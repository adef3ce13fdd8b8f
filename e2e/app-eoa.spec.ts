/**
 * Send from the plain address (EOA): the guardians sign an EIP-1559 transaction with threshold
 * ECDSA (DKLs23) — no contract involved. Two guardians (2 of 2) in separate Chromium contexts,
 * real WebRTC, real anvil. A token payment that reverts on chain fails for both with its cause and is
 * retried (issue 16).
 */
import { test, expect } from '@playwright/test';
import { createPublicClient, erc20Abi, http, parseEther, type Address } from 'viem';
import { setTokenBalance } from './helpers/devnet.ts';
import { fundVault, openGuardian } from './helpers/wallet.ts';
import { ANVIL_PORT } from '../playwright.config.ts';

const RECIPIENT = '0x3333333333333333333333333333333333333333' as Address;
const TOKEN_RECIPIENT = '0x3434343434343434343434343434343434343434' as Address;
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

  // A token payment from the plain address whose transaction reverts on chain (its tokens were spent
  // elsewhere between the request and the approval): failed for both, with its cause; retried, it goes.
  await alice.page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Send' }).click();
  await alice.page.getByLabel('The plain address').check();
  await alice.page.getByLabel('Asset').selectOption('CTT');
  await alice.page.getByLabel('Recipient').fill(TOKEN_RECIPIENT);
  await alice.page.getByLabel('Amount').fill('1000');
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  const bobTokens = bob.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' });
  await expect(bobTokens.getByRole('button', { name: 'Approve' })).toBeVisible({ timeout: 30_000 });
  const token = (await bobTokens.locator('dt:text-is("Token") + dd').textContent()) as Address;
  await setTokenBalance(token, eoa, 0n);
  await bobTokens.getByRole('button', { name: 'Approve' }).click();
  for (const g of [alice, bob]) {
    await g.page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('button', { name: /^Requests/ })
      .click();
    const card = g.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' });
    const status = card.getByTestId('request-status');
    await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 150_000 });
    await expect(status).toContainText('The guardians signed it, but sending it failed: the contract it calls refused it (the call reverted)');
    await expect(card.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  }
  await setTokenBalance(token, eoa, parseEther('1000'));
  await alice.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' }).getByRole('button', { name: 'Retry (ask the guardians again)' }).click();
  await expect(bob.page.getByTestId('closed-by')).toContainText('Asked again as a new request by');
  await bob.page
    .getByTestId('request')
    .filter({ hasText: 'Send 1000 CTT' })
    .filter({ has: bob.page.getByRole('button', { name: 'Approve' }) })
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(
    alice.page
      .getByTestId('request')
      .filter({ has: alice.page.locator('[data-state="sent"]') })
      .filter({ hasText: 'Send 1000 CTT' }),
  ).toHaveCount(1, {
    timeout: 150_000,
  });
  const balanceOf = () => chain.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [TOKEN_RECIPIENT] });
  expect(await balanceOf()).toBe(parseEther('1000'));

  for (const g of [alice, bob]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob]) await g.context.close();
});
