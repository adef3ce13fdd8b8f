/**
 * A signed vault payment whose sending fails (issue 16), three guardians in three Chromium contexts
 * over real WebRTC, a real anvil and bundler:
 * - Alice asks to send the vault's whole 1000 test tokens; before Bob approves, the vault's token
 *   balance is emptied on chain (as if another payment had spent it), so the signed operation's call
 *   reverts. Every device shows the request failed, with the cause in plain words, and Retry / Close;
 * - the tokens come back and Alice retries: a new request, approved again, is sent; the old one shows
 *   it was asked again, for everyone;
 * - a second failed payment is closed by Carol: closed for everyone, no buttons left;
 * - the sent payment links to the block explorer set in Settings (issue 14), and so does the vault.
 */
import { test, expect } from '@playwright/test';
import { parseEther, type Address } from 'viem';
import { setTokenBalance } from './helpers/devnet.ts';
import { screenshotBothWidths } from './helpers/pageChecks.ts';
import { createFamilyWallet, fundVault, openTab } from './helpers/wallet.ts';

// A recipient no other spec uses: all specs of a run share one devnet chain.
const TO = '0x9999999999999999999999999999999999999999' as Address;
const EXPLORER = 'https://explorer.example.org';

test('a signed payment that reverts is failed for everyone with its cause; retried, it goes through; explorer links', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const { alice, bob, carol, vault } = await createFamilyWallet(browser);
  await fundVault(alice);
  // Alice's block explorer (issue 14's setting).
  await openTab(alice.page, 'Settings');
  await alice.page.getByLabel('Block explorer URL').fill(`${EXPLORER}/`);
  await alice.page.getByRole('button', { name: 'Save' }).click();

  await openTab(alice.page, 'Send');
  // The visible labels are the fields' accessible names.
  await alice.page.getByLabel('The vault').check();
  await alice.page.getByLabel('Asset').selectOption('CTT');
  await alice.page.getByLabel('Recipient').fill(TO);
  await alice.page.getByLabel('Amount').fill('1000');
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(alice.page.getByTestId('request-status')).toContainText('1 of 2 approvals');

  await openTab(bob.page, 'Requests');
  const bobCard = bob.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' });
  const token = (await bobCard.locator('dt:text-is("Token") + dd').textContent()) as Address;
  await setTokenBalance(token, vault, 0n); // spent elsewhere meanwhile
  await bobCard.getByRole('button', { name: 'Approve' }).click();

  // Alice, still on Send, is told once, with where to go.
  await expect(alice.page.getByTestId('request-status')).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  await expect(alice.page.getByTestId('retry-hint')).toHaveText('Any guardian can retry it or close it on the Requests page.');
  await expect(alice.page.getByRole('alert')).toHaveCount(0);
  await screenshotBothWidths(alice.page, (n) => info.outputPath(n), 'send-failed-alice');
  for (const g of [alice, bob, carol]) {
    await openTab(g.page, 'Requests');
    const card = g.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' });
    const status = card.getByTestId('request-status');
    await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
    await expect(status).toContainText('The guardians signed it, but sending it failed: the token contract refused the transfer');
    await expect(card.getByRole('button', { name: 'Retry (ask the guardians again)' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Close it' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  }
  await screenshotBothWidths(alice.page, (n) => info.outputPath(n), 'request-failed-alice');

  // The tokens are back; Alice retries. The old request is closed as asked again, for everyone.
  await setTokenBalance(token, vault, parseEther('1000'));
  const aliceOld = alice.page.getByTestId('request').filter({ hasText: 'Send 1000 CTT' }).last();
  await aliceOld.getByRole('button', { name: 'Retry (ask the guardians again)' }).click();
  for (const g of [alice, bob, carol]) {
    const old = g.page.getByTestId('request').filter({ has: g.page.locator('[data-state="failed"]') });
    await expect(old.getByTestId('closed-by')).toHaveText(g === alice ? 'Asked again as a new request by you' : 'Asked again as a new request by Alice laptop');
    await expect(old.getByRole('button', { name: 'Close it' })).toHaveCount(0);
  }
  const bobNew = bob.page
    .getByTestId('request')
    .filter({ hasText: 'Send 1000 CTT' })
    .filter({ has: bob.page.getByRole('button', { name: 'Approve' }) });
  await bobNew.getByRole('button', { name: 'Approve' }).click();
  const sent = alice.page.getByTestId('request').filter({ has: alice.page.locator('[data-state="sent"]') });
  await expect(sent).toHaveCount(1, { timeout: 90_000 });
  const txHash = (await sent.locator('code').last().textContent()) as string;
  expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
  await expect(sent.getByTestId('explorer-tx')).toHaveAttribute('href', `${EXPLORER}/tx/${txHash}`);
  await screenshotBothWidths(alice.page, (n) => info.outputPath(n), 'request-retried-alice');

  // A second failure, and Carol closes it: closed for everyone, nothing left to press.
  await openTab(alice.page, 'Send');
  await alice.page.getByLabel('Asset').selectOption('CTT');
  await alice.page.getByLabel('Recipient').fill(TO);
  await alice.page.getByLabel('Amount').fill('5');
  await setTokenBalance(token, vault, parseEther('5'));
  await alice.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  const bobFive = bob.page.getByTestId('request').filter({ hasText: 'Send 5 CTT' });
  await expect(bobFive.getByRole('button', { name: 'Approve' })).toBeVisible();
  await setTokenBalance(token, vault, 0n);
  await bobFive.getByRole('button', { name: 'Approve' }).click();
  const carolFive = carol.page.getByTestId('request').filter({ hasText: 'Send 5 CTT' });
  await expect(carolFive.getByTestId('request-status')).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  await carolFive.getByRole('button', { name: 'Close it' }).click();
  for (const g of [alice, bob, carol]) {
    await openTab(g.page, 'Requests');
    const card = g.page.getByTestId('request').filter({ hasText: 'Send 5 CTT' });
    await expect(card.getByTestId('closed-by')).toHaveText(g === carol ? 'Closed by you' : 'Closed by Carol tablet');
    await expect(card.getByRole('button')).toHaveCount(0);
  }

  await openTab(alice.page, 'Home');
  await expect(alice.page.getByTestId('explorer-address')).toHaveAttribute('href', `${EXPLORER}/address/${vault}`);

  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, carol]) await g.context.close();
});
