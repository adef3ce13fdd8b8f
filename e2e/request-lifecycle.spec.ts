/**
 * Issue 16 end to end, three guardians in three Chromium contexts over real WebRTC and a real anvil:
 * - Carol's own daily limit warns her before she approves a 2 ETH payment, then holds her approval;
 *   Alice (who asked) and Bob see why, in plain words;
 * - Alice withdraws it: it ends as withdrawn on every device, and Approve / Deny are gone;
 * - a second payment denied by Bob and Carol (n − t + 1 = 2 of 3) ends as denied for everyone;
 * - axe-core finds no serious or critical violation on any page of the app, at 390 px and 1280 px.
 */
import { test, expect, type Page } from '@playwright/test';
import type { Address } from 'viem';
import { createFamilyWallet, fundVault, openTab } from './helpers/wallet.ts';
import { seriousViolations } from './helpers/pageChecks.ts';

// Recipients no other spec uses: all specs of a run share one devnet chain.
const TO_1 = '0x7777777777777777777777777777777777777777' as Address;
const TO_2 = '0x8888888888888888888888888888888888888888' as Address;

async function ask(page: Page, to: Address, amount: string): Promise<void> {
  await openTab(page, 'Send');
  await page.getByLabel('Recipient').fill(to);
  await page.getByLabel('Amount').fill(amount);
  await page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(page.getByTestId('request-status')).toContainText('1 of 2 approvals');
}

test('requests end the same way for everyone; holds are explained; the requester can withdraw', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const { alice, bob, carol } = await createFamilyWallet(browser);
  await openTab(carol.page, 'Rules');
  await carol.page.getByLabel('Daily limit (ETH)').fill('1');
  await carol.page.getByRole('button', { name: 'Publish my rules' }).click();
  await expect(carol.page.getByTestId('policy-saved')).toBeVisible();
  await fundVault(alice);

  // ——— 2 ETH: Carol is warned, then held; everyone sees why ———
  await ask(alice.page, TO_1, '2');
  await openTab(carol.page, 'Requests');
  const carolCard = carol.page.getByTestId('request').filter({ hasText: 'Send 2 ETH' });
  await expect(carolCard.getByTestId('policy-warning')).toContainText('Before you approve: Held by your daily limit');
  for (const [width, name] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    await carol.page.setViewportSize({ width, height: 900 });
    await carol.page.screenshot({ path: info.outputPath(`requests-warning-carol-${name}.png`), fullPage: true });
  }
  await carolCard.getByRole('button', { name: 'Approve' }).click();
  await expect(carolCard.getByTestId('policy-hold')).toContainText('Held by your daily limit');
  await openTab(alice.page, 'Requests');
  const aliceCard = alice.page.getByTestId('request').filter({ hasText: 'Send 2 ETH' });
  await expect(aliceCard.getByTestId('held-by')).toContainText("Carol tablet's daily limit holds their approval");
  await openTab(bob.page, 'Requests');
  const bobCard = bob.page.getByTestId('request').filter({ hasText: 'Send 2 ETH' });
  await expect(bobCard.getByTestId('held-by')).toContainText("Carol tablet's daily limit holds their approval");
  for (const [width, name] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    await alice.page.setViewportSize({ width, height: 900 });
    await alice.page.screenshot({ path: info.outputPath(`requests-held-alice-${name}.png`), fullPage: true });
    expect(await seriousViolations(alice.page)).toEqual([]);
  }

  // ——— Alice withdraws it: ended for everyone, no buttons left ———
  await aliceCard.getByRole('button', { name: 'Withdraw this request' }).click();
  for (const card of [aliceCard, bobCard, carolCard]) {
    await expect(card.getByTestId('request-status')).toHaveText('Withdrawn by the person who asked');
    await expect(card.getByTestId('held-by')).toHaveCount(0); // a hold on an ended request is past
    await expect(card.getByTestId('policy-hold')).toHaveCount(0, { timeout: 10_000 }); // Carol's own hold is released too
    await expect(card.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(card.getByRole('button', { name: 'Deny' })).toHaveCount(0);
  }

  // ——— 0.1 ETH: Bob and Carol deny it — denied for everyone ———
  await ask(alice.page, TO_2, '0.1');
  for (const g of [bob, carol]) {
    await openTab(g.page, 'Requests');
    const card = g.page.getByTestId('request').filter({ hasText: 'Send 0.1 ETH' });
    await card.getByRole('button', { name: 'Deny' }).click();
    await card.getByLabel('Why are you denying it?').fill(`${g === bob ? 'Bob' : 'Carol'} says no`);
    await card.getByRole('button', { name: 'Deny the request' }).click();
  }
  await openTab(alice.page, 'Requests');
  const denied = alice.page.getByTestId('request').filter({ hasText: 'Send 0.1 ETH' });
  await expect(denied.getByTestId('request-status')).toContainText('Denied: 2 of 3 guardians denied it');
  await expect(denied.getByRole('button', { name: 'Withdraw this request' })).toHaveCount(0);
  for (const [width, name] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    await alice.page.setViewportSize({ width, height: 900 });
    await alice.page.screenshot({ path: info.outputPath(`requests-ended-alice-${name}.png`), fullPage: true });
    expect(await seriousViolations(alice.page)).toEqual([]);
  }

  // Every page of the app, at both widths: no serious or critical accessibility violation.
  const found: string[] = [];
  for (const tab of ['Home', 'Send', 'Requests', 'Secrets', 'Rules', 'Guardians', 'Activity', 'Settings']) {
    await openTab(alice.page, tab);
    for (const width of [390, 1280]) {
      await alice.page.setViewportSize({ width, height: 900 });
      for (const v of await seriousViolations(alice.page)) found.push(`${tab} @${width}px — ${v}`);
    }
  }
  expect(found).toEqual([]);

  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, carol]) await g.context.close();
});
