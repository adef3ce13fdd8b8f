/**
 * `app.firstScreenMs`: a new visitor (fresh browser context: no cache, no service worker) opens the
 * app; the time from navigation start to the first interactive screen — the welcome page's
 * "Create a wallet" button in the DOM and enabled. Read in the page (a MutationObserver installed
 * before any script runs), so Playwright's polling adds nothing.
 */
import type { Browser } from '@playwright/test';

export async function firstScreenMs(browser: Browser, baseURL: string): Promise<number> {
  const context = await browser.newContext({ baseURL });
  try {
    // Plain text, not a function: tsx would wrap a function's inner names in a helper the page lacks.
    await context.addInitScript({
      content: `
      new MutationObserver((_, obs) => {
        const ready = [...document.querySelectorAll('button')].some((b) => b.textContent === 'Create a wallet' && !b.disabled);
        if (ready && window.__firstScreenAt === undefined) {
          window.__firstScreenAt = performance.now(); // ms since this navigation started
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true });
    `,
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.waitForFunction(() => (window as unknown as { __firstScreenAt?: number }).__firstScreenAt !== undefined, null, { timeout: 30_000 });
    return await page.evaluate(() => (window as unknown as { __firstScreenAt: number }).__firstScreenAt);
  } finally {
    await context.close();
  }
}
