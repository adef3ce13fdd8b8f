import { test, expect } from '@playwright/test';

test('the first screen says what Cairn is and offers both ways in', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Cairn' })).toBeVisible();
    await expect(page.getByText('A wallet your guardians hold together.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create a wallet' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Join with an invite' })).toBeVisible();
    await page.screenshot({ path: info.outputPath(`welcome-${width}.png`), fullPage: true });
  }
  expect(errors).toEqual([]);
});
