/**
 * Every page of the app, for people (issue 16): from the welcome page through creating and joining a
 * wallet to each of the wallet's tabs, the page of a device whose invite was already used, and the
 * unlock page after a reload — axe-core finds no serious
 * or critical violation at 390 px and 1280 px, no protocol names outside `<details>`, and every form
 * field's accessible name is its visible label (`helpers/pageChecks.ts`). After a tab change, focus
 * is on the new page's heading. Screenshots of each page at both widths go to the test's output.
 */
import { test, expect, type Page } from '@playwright/test';
import { joinWithLink, openGuardian, openTab } from './helpers/wallet.ts';
import { pageProblems, WIDTHS } from './helpers/pageChecks.ts';

const TABS = ['Home', 'Send', 'Requests', 'Secrets', 'Rules', 'Guardians', 'Activity', 'Settings'];

test('every page: accessible, in plain words, labels that are names, focus on the heading after a tab change', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const found: string[] = [];
  const check = async (page: Page, where: string) => {
    found.push(...(await pageProblems(page, where)));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: info.outputPath(`${where.toLowerCase().replace(/\W+/g, '-')}-${width}.png`), fullPage: true });
    }
  };

  const alice = await openGuardian(browser, '/');
  await expect(alice.page.getByRole('button', { name: 'Create a wallet' })).toBeVisible();
  await check(alice.page, 'Welcome');
  // Joining by pasting a link: a garbled one is called damaged, with what to do.
  await alice.page.getByRole('button', { name: 'Join with an invite' }).click();
  await alice.page.getByLabel('Invite link').fill('http://localhost/#invite=AgBANG!!garbled');
  await expect(alice.page.getByRole('alert')).toHaveText('This invite link is damaged — ask the guardian who sent it for a new one.');
  await check(alice.page, 'Join by link');
  await alice.page.getByRole('button', { name: 'Back' }).click();
  await alice.page.getByRole('button', { name: 'Create a wallet' }).click();
  await expect(alice.page.getByLabel('Wallet name')).toBeVisible();
  await check(alice.page, 'Create');
  await alice.page.getByLabel('Wallet name').fill('Family savings');
  await alice.page.getByLabel(/Name of this device/).fill('Alice laptop');
  await alice.page.getByLabel('Number of guardians').selectOption('3');
  await alice.page.getByRole('button', { name: 'Create the wallet' }).click();
  await expect(alice.page.getByTestId('invite-link')).toHaveCount(2);
  await check(alice.page, 'Setting up');
  const [link1, link2] = await alice.page.getByTestId('invite-link').allTextContents();

  const bob = await openGuardian(browser, link1!);
  await expect(bob.page.getByRole('button', { name: 'Join this wallet' })).toBeVisible();
  await check(bob.page, 'Join');
  await bob.page.getByLabel(/Name of this device/).fill('Bob phone');
  await bob.page.getByRole('button', { name: 'Join this wallet' }).click();
  await expect(alice.page.getByTestId('joined-count')).toHaveText('2 of 3 guardians have joined', { timeout: 60_000 });
  // A device that opens an invite another device already used (while the others gather): the "not a guardian" page.
  const late = await joinWithLink(browser, link1!, 'Bob tablet');
  await expect(late.page.getByTestId('not-a-guardian')).toBeVisible({ timeout: 60_000 });
  await check(late.page, 'Not a guardian');
  await late.context.close();
  const carol = await joinWithLink(browser, link2!, 'Carol tablet');
  for (const g of [alice, bob, carol]) await expect(g.page.getByTestId('vault-address')).toBeVisible({ timeout: 120_000 });

  for (const tab of TABS) {
    await openTab(alice.page, tab);
    // Focus moved to the new page's heading (a screen reader announces it; Tab continues from there).
    await expect
      .poll(() => alice.page.evaluate(() => (document.activeElement?.matches('main h1, main h2') ? document.activeElement.textContent : null)))
      .toBeTruthy();
    await check(alice.page, tab);
  }

  await alice.page.reload();
  await expect(alice.page.getByRole('button', { name: 'Unlock with your passkey' })).toBeVisible();
  await check(alice.page, 'Unlock');
  await alice.page.getByRole('button', { name: 'Unlock with your passkey' }).click();
  await expect(alice.page.getByTestId('vault-address')).toBeVisible({ timeout: 60_000 });

  expect(found).toEqual([]);
  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, carol]) await g.context.close();
});
