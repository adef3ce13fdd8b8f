/**
 * A 1 MB file in the family vault, stored while one guardian's app was closed: when Carol comes
 * back she has to catch up on more than a megabyte of log over WebRTC (y-webrtc sends that as one
 * message, which Chromium refuses above 256 KiB without our framing), then she helps open it, and
 * Bob saves exactly the bytes Alice stored.
 */
import { test, expect } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFamilyWallet, openTab } from './helpers/wallet.ts';

test('a 1 MB file stored while a guardian was away opens with that guardian’s approval', async ({ browser }) => {
  test.setTimeout(300_000);
  const { alice, bob, carol } = await createFamilyWallet(browser);

  // Carol closes the app (her storage and passkey stay).
  await carol.page.goto('about:blank');

  const file = randomBytes(1024 * 1024);
  await openTab(alice.page, 'Secrets');
  await alice.page.getByLabel('Secret name').fill('House deeds scan');
  await alice.page.getByText('A file (up to 1 MB)').click();
  await alice.page.getByLabel('File', { exact: true }).setInputFiles({ name: 'deeds.bin', mimeType: 'application/octet-stream', buffer: file });
  await alice.page.getByRole('button', { name: 'Encrypt and store' }).click();
  await expect(alice.page.getByTestId('vault-stored')).toBeVisible({ timeout: 60_000 });
  await openTab(bob.page, 'Secrets');
  await expect(bob.page.getByTestId('vault-item').filter({ hasText: 'House deeds scan' })).toBeVisible({ timeout: 60_000 });

  // Carol comes back: unlock, and the megabyte she missed arrives.
  await carol.page.goto('/');
  await carol.page.getByRole('button', { name: 'Unlock with your passkey' }).click();
  await openTab(carol.page, 'Secrets');
  await expect(carol.page.getByTestId('vault-item').filter({ hasText: 'House deeds scan' })).toBeVisible({ timeout: 90_000 });

  // Bob asks to open it; Carol's approval is the second one.
  await bob.page.getByTestId('vault-item').filter({ hasText: 'House deeds scan' }).getByRole('button', { name: 'Ask to open' }).click();
  const carolRequest = carol.page.getByTestId('vault-request').filter({ hasText: 'House deeds scan' });
  await expect(carolRequest).toContainText('Bob phone asks to open', { timeout: 60_000 });
  await carolRequest.getByRole('button', { name: 'Approve opening' }).click();
  const save = bob.page.getByRole('link', { name: 'Save “House deeds scan”' });
  await expect(save).toBeVisible({ timeout: 90_000 });
  const [download] = await Promise.all([bob.page.waitForEvent('download'), save.click()]);
  const saved = await readFile((await download.path())!);
  expect(saved.length).toBe(file.length);
  expect(createHash('sha256').update(saved).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
  for (const page of [alice.page, carol.page]) await expect(page.getByRole('link', { name: /Save “House deeds scan”/ })).toHaveCount(0);

  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  await Promise.all([alice, bob, carol].map((g) => g.context.close()));
});
