/**
 * A paper backup saves a 2-of-3 wallet that lost two devices: Carol writes down her backup words;
 * Carol's and Bob's browsers are then gone for good. Alice invites a new device (Dave), Dave types
 * Carol's words (a wrong word is refused first, with a hint), Dave's tab is reloaded (it comes
 * back, after the passkey unlock, still joining with the backup), and Alice moves the wallet to
 * {Alice, Dave} — Dave deals in Carol's place. Same vault and EOA addresses; Dave co-signs a payment
 * that lands on chain.
 */
import { test, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { createPublicClient, http, parseEther, type Address } from 'viem';
import { ANVIL_PORT } from '../playwright.config.ts';
import { approveKeyChange, createFamilyWallet, fundVault, joinWithLink, openTab, reloadAndUnlock, sendApprovedBy } from './helpers/wallet.ts';

const RECIPIENT = '0x7777777777777777777777777777777777777777' as Address;
const chain = createPublicClient({ transport: http(`http://127.0.0.1:${Number(process.env.CAIRN_E2E_ANVIL_PORT ?? ANVIL_PORT)}`) });

/** What a person sees around `focus`, on a phone and on a laptop. */
async function screenshots(page: Page, info: TestInfo, name: string, focus: Locator): Promise<void> {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await focus.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const path = info.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path });
    await info.attach(`${name}-${width}`, { path, contentType: 'image/png' });
  }
}

test('two devices lost: the last guardian and a restored paper backup move the wallet to a new device', async ({ browser }, info) => {
  test.setTimeout(360_000);
  const { alice, bob, carol, vault } = await createFamilyWallet(browser);
  const eoa = (await alice.page.getByTestId('eoa-address').textContent()) as Address;

  // Carol writes down her paper backup.
  await openTab(carol.page, 'Guardians');
  await carol.page.getByRole('button', { name: 'Show my backup words' }).click();
  await expect(carol.page.getByTestId('backup-words').locator('li')).toHaveCount(34); // shown after the passkey check
  const words = await carol.page.getByTestId('backup-words').locator('li').allTextContents();
  expect(words).toHaveLength(34);

  // Both Carol's tablet and Bob's phone are lost: browsers and storage gone.
  await carol.context.close();
  await bob.context.close();

  // Alice invites a new device.
  await openTab(alice.page, 'Guardians');
  await alice.page.getByRole('button', { name: 'Invite a new device' }).click();
  const link = (await alice.page.getByTestId('invite-link').textContent())!;
  const dave = await joinWithLink(browser, link, 'Dave phone');

  // Dave types Carol's words; one wrong word first.
  const restore = dave.page.getByTestId('restore-backup');
  await expect(restore).toBeVisible({ timeout: 60_000 });
  const typo = words.map((w, i) => (i === 20 ? (w === 'zoo' ? 'zone' : 'zoo') : w));
  await dave.page.getByLabel('Backup words to restore').fill(typo.join(' '));
  await dave.page.getByRole('button', { name: 'Restore the backup' }).click();
  await expect(restore.getByRole('alert')).toHaveText(`Word 21 is wrong: did you mean "${words[20]}"?`);
  await screenshots(dave.page, info, 'restore-wrong-word', restore.getByRole('button', { name: 'Restore the backup' }));
  await dave.page.getByLabel('Backup words to restore').fill(words.join('\n'));
  await dave.page.getByRole('button', { name: 'Restore the backup' }).click();
  await expect(restore.getByTestId('restore-result')).toContainText("This is Carol tablet's backup");
  await expect(dave.page.getByLabel('Backup words to restore')).toHaveValue('');
  await screenshots(dave.page, info, 'restore-done', restore.getByTestId('restore-result'));

  // Dave's tab is reloaded before Alice applies the change (phone slept, tab discarded): after the
  // passkey unlock it is still joining, with Carol's backup, and no new invite is needed.
  await reloadAndUnlock(dave.page);
  await expect(dave.page.getByText('This device has joined, but it is not a guardian yet.')).toBeVisible({ timeout: 60_000 });
  await expect(dave.page.getByTestId('restore-result')).toContainText("This is Carol tablet's backup", { timeout: 60_000 });
  await screenshots(dave.page, info, 'joining-after-reload', dave.page.getByTestId('restore-result'));

  // Alice: Carol and Bob are lost; Carol's backup on Dave deals in her place.
  await expect(alice.page.getByLabel('Keep Dave phone')).toBeChecked({ timeout: 60_000 });
  for (const lost of ['Carol tablet', 'Bob phone']) {
    await alice.page.getByLabel(`Keep ${lost}`).uncheck();
    await alice.page.getByLabel(`${lost} is lost`).check();
  }
  await expect(alice.page.getByTestId('backup-stand-in')).toHaveText('backup restored on Dave phone — it can stand in for Carol tablet in this change', {
    timeout: 30_000,
  });
  await screenshots(alice.page, info, 'change-guardians-stand-in', alice.page.getByTestId('backup-stand-in'));
  await alice.page.setViewportSize({ width: 1280, height: 900 });
  await alice.page.getByRole('button', { name: 'Apply the change' }).click();
  // Dave, standing in for Carol from her paper backup, approves as Carol: the second of the two approvals.
  await approveKeyChange(
    dave,
    /add this device \(invited by Alice laptop\), remove (Bob phone|Carol tablet), remove (Bob phone|Carol tablet), this device stands in for Carol tablet from a paper backup/,
  );
  await expect(alice.page.getByTestId('reshare-done')).toContainText('on chain 1', { timeout: 120_000 });
  await expect(dave.page.getByTestId('vault-address')).toHaveText(vault, { timeout: 30_000 });
  await expect(dave.page.getByTestId('eoa-address')).toHaveText(eoa);
  await openTab(alice.page, 'Activity');
  const announcement = alice.page.getByTestId('activity-item').filter({ hasText: 'asked to change the guardians' });
  await expect(announcement).toContainText('asked to change the guardians: 2 of 2 — ');
  await expect(announcement).toContainText('Dave phone stands in for Carol tablet (restored backup)');
  await screenshots(alice.page, info, 'activity-change-of-guardians', announcement);

  // Dave's new share co-signs a payment from the vault.
  await fundVault(alice);
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(0n);
  await sendApprovedBy(alice, dave, RECIPIENT, '1');
  expect(await chain.getBalance({ address: RECIPIENT })).toBe(parseEther('1'));
  for (const g of [alice, dave]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, dave]) await g.context.close();
});
