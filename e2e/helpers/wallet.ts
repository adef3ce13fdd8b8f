/**
 * Shared e2e steps (the same ones `journey.spec.ts` walks through): a guardian is its own browser
 * context with its own virtual passkey; Alice creates a 2-of-3 wallet, Bob and Carol join from the
 * invite links, and the DKG, registration and vault finish on every device.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createTestClient, http, type Address } from 'viem';
import { addVirtualAuthenticator } from './webauthn.ts';
import { collectPageErrors } from './pageErrors.ts';
import { APP_PORT } from '../../playwright.config.ts';

export type Guardian = { context: BrowserContext; page: Page; errors: ReturnType<typeof collectPageErrors> };

/**
 * A guardian's own browser context with its own virtual passkey. The dev server's hot-reload socket
 * is cut off: other work on the same checkout would otherwise reload every page mid-test (which locks
 * the devices). The wallet's own sockets (signaling) go through untouched.
 */
export async function openGuardian(browser: Browser, url: string): Promise<Guardian> {
  const context = await browser.newContext();
  await context.routeWebSocket(new RegExp(`^ws://localhost:${APP_PORT}/`), () => undefined);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  await addVirtualAuthenticator(page);
  return { context, page, errors };
}

/** A new guardian context opens an invite link and joins as `name`. */
export async function joinWithLink(browser: Browser, link: string, name: string): Promise<Guardian> {
  const g = await openGuardian(browser, link);
  await g.page.getByLabel(/Name of this device/).fill(name);
  await g.page.getByRole('button', { name: 'Join this wallet' }).click();
  return g;
}

/** The tab reloads (phone locked, tab discarded) and the person unlocks with the passkey. */
export async function reloadAndUnlock(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: 'Unlock with your passkey' }).click();
}

/** Clicks a tab of the wallet's navigation. */
export async function openTab(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${name}`) })
    .click();
}

/** Alice creates "Family savings" (2 of 3) and gets its two invite links; nobody has joined yet. */
export async function startFamilyWallet(browser: Browser): Promise<{ alice: Guardian; links: string[] }> {
  const alice = await openGuardian(browser, '/');
  await alice.page.getByRole('button', { name: 'Create a wallet' }).click();
  await alice.page.getByLabel('Wallet name').fill('Family savings');
  await alice.page.getByLabel(/Name of this device/).fill('Alice laptop');
  await alice.page.getByRole('button', { name: 'Create the wallet' }).click();
  await expect(alice.page.getByTestId('invite-link')).toHaveCount(2);
  return { alice, links: await alice.page.getByTestId('invite-link').allTextContents() };
}

/** Alice creates "Family savings" (2 of 3); Bob and Carol join; waits until every device shows the vault. */
export async function createFamilyWallet(browser: Browser): Promise<{ alice: Guardian; bob: Guardian; carol: Guardian; vault: Address }> {
  const {
    alice,
    links: [link1, link2],
  } = await startFamilyWallet(browser);
  const bob = await joinWithLink(browser, link1!, 'Bob phone');
  const carol = await joinWithLink(browser, link2!, 'Carol tablet');
  for (const g of [alice, bob, carol]) await expect(g.page.getByTestId('vault-address')).toBeVisible({ timeout: 120_000 });
  const vault = (await alice.page.getByTestId('vault-address').textContent()) as Address;
  return { alice, bob, carol, vault };
}

/** The devnet faucet (Settings → Add test funds): 10 ETH into the vault. */
export async function fundVault(g: Guardian): Promise<void> {
  await openTab(g.page, 'Settings');
  await g.page.getByRole('button', { name: 'Add test funds' }).click();
  await expect(g.page.getByTestId('faucet-done')).toBeVisible({ timeout: 30_000 });
}

/** `requester` asks to send `eth` ETH from the vault to `to`; `approver` approves the newest request; the payment is sent. */
export async function sendApprovedBy(requester: Guardian, approver: Guardian, to: Address, eth: string): Promise<void> {
  await openTab(requester.page, 'Send');
  await requester.page.getByLabel('Recipient').fill(to);
  await requester.page.getByLabel('Amount').fill(eth);
  await requester.page.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await openTab(approver.page, 'Requests');
  await approver.page.getByTestId('request').first().getByRole('button', { name: 'Approve' }).click();
  await expect(requester.page.getByTestId('send-result')).toBeVisible({ timeout: 60_000 });
}

/**
 * `approver`'s person opens the Guardians page (or the joining page), reads the newest key-change
 * proposal and approves it; returns the proposal card.
 */
export async function approveKeyChange(approver: Guardian, expectText?: string | RegExp) {
  // A guardian opens its Guardians page; a joining device (no pages yet) shows proposals where it is.
  const tab = approver.page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /^Guardians/ });
  if ((await tab.isVisible()) && (await tab.isEnabled())) await tab.click();
  const card = approver.page
    .getByTestId('key-change')
    .filter({ has: approver.page.getByRole('button', { name: 'Approve' }) })
    .first();
  await expect(card).toBeVisible({ timeout: 60_000 });
  if (expectText) await expect(card).toContainText(expectText);
  await card.getByRole('button', { name: 'Approve' }).click();
  return card;
}

/** Moves the chain (anvil) and a device's policy clock forward together. */
export async function travel(rpcUrl: string, pages: Page[], ms: number): Promise<void> {
  const anvil = createTestClient({ mode: 'anvil', transport: http(rpcUrl) });
  await anvil.increaseTime({ seconds: Math.ceil(ms / 1000) });
  await anvil.mine({ blocks: 1 });
  for (const page of pages) {
    await page.evaluate((add) => {
      const w = window as unknown as { __cairnClock?: { offsetMs?: number } };
      w.__cairnClock = { offsetMs: (w.__cairnClock?.offsetMs ?? 0) + add };
    }, ms);
  }
}
