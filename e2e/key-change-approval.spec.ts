/**
 * No guardian alone changes the key (docs/invariants.md, invariants 4 and 9), in real Chromium over
 * real WebRTC: Alice proposes removing Carol's tablet; Bob sees the proposal decoded on his Guardians
 * page and nothing happens on any device while nobody approves it. After Bob approves, the registry's
 * epoch advances on anvil, and only then does Carol's share disappear. Logs the figure
 * `lifecycle.e2e.approveToCommittedMs` (last approval → new epoch committed on chain).
 */
import { test, expect, type Page } from '@playwright/test';
import { createPublicClient, getAddress, http } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { cairnRegistryAbi } from '../src/chain/generated/CairnRegistry.ts';
import { approveKeyChange, createFamilyWallet, openTab } from './helpers/wallet.ts';
import { ANVIL_PORT } from '../playwright.config.ts';

const chain = createPublicClient({ transport: http(`http://127.0.0.1:${Number(process.env.CAIRN_E2E_ANVIL_PORT ?? ANVIL_PORT)}`) });

/** The names of the records in the device's share store (IndexedDB), and whether it holds a current share. */
async function holdsShare(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cairn');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const req = db.transaction('records').objectStore('records').getAllKeys();
    const names = await new Promise<IDBValidKey[]>((res, rej) => ((req.onsuccess = () => res(req.result)), (req.onerror = () => rej(req.error))));
    db.close();
    return names.map(String).some((n) => n.endsWith('/current'));
  });
}

test('a second guardian must approve a removal before anything runs; the registry advances before the removed share is deleted', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const { alice, bob, carol } = await createFamilyWallet(browser);
  // The wallet's registration on chain: the WalletRegistered event whose group key is this wallet's (its plain address).
  const eoa = getAddress((await alice.page.getByTestId('eoa-address').textContent())!);
  const registered = (await chain.getContractEvents({ abi: cairnRegistryAbi, eventName: 'WalletRegistered', fromBlock: 0n })).find(
    (l) => publicKeyToAddress(`0x04${l.args.groupKeyX!.toString(16).padStart(64, '0')}${l.args.groupKeyY!.toString(16).padStart(64, '0')}`) === eoa,
  );
  expect(registered).toBeDefined();
  const registryEpoch = async () =>
    (await chain.readContract({ address: registered!.address, abi: cairnRegistryAbi, functionName: 'getWallet', args: [registered!.args.walletId!] })).epoch;

  await openTab(alice.page, 'Guardians');
  await alice.page.getByLabel('Keep Carol tablet').uncheck();
  await alice.page.getByRole('button', { name: 'Apply the change' }).click();

  // Bob sees it decoded; until someone approves, nothing changes anywhere.
  await openTab(bob.page, 'Guardians');
  const card = bob.page.getByTestId('key-change').first();
  await expect(card).toContainText('Alice laptop proposes: remove Carol tablet', { timeout: 60_000 });
  await expect(card).toContainText('any 2 of 3 → any 2 of 2');
  await expect(card.getByTestId('key-change-progress')).toHaveText('1 of 2 approvals — waiting for 1 more');
  for (const width of [390, 1280]) {
    await bob.page.setViewportSize({ width, height: 900 });
    await bob.page.screenshot({ path: info.outputPath(`key-change-proposal-${width}.png`), fullPage: true });
  }
  await bob.page.waitForTimeout(5_000); // a proposal nobody approves changes nothing, however long it waits
  for (const g of [alice, bob, carol]) {
    await openTab(g.page, 'Guardians');
    await expect(g.page.getByTestId('local-epoch')).toHaveText('0');
    expect(await holdsShare(g.page)).toBe(true);
  }
  expect(await registryEpoch()).toBe(0n);

  // Bob approves: the change runs, the registry records epoch 1, and only then is Carol's share deleted.
  const approvedAt = Date.now();
  await approveKeyChange(bob, 'remove Carol tablet');
  let committedAt = 0;
  while (Date.now() - approvedAt < 120_000) {
    const [epoch, carolHolds] = [await registryEpoch(), await holdsShare(carol.page)];
    if (epoch === 0n) expect(carolHolds).toBe(true); // never gone before the commit on chain
    if (epoch === 1n && !committedAt) committedAt = Date.now();
    if (epoch === 1n && !carolHolds) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(committedAt).toBeGreaterThan(0);
  expect(await holdsShare(carol.page)).toBe(false);
  console.log(`[figure] lifecycle.e2e.approveToCommittedMs=${committedAt - approvedAt}`);
  await expect(carol.page.getByText('The other guardians removed this device from the wallet')).toBeVisible({ timeout: 30_000 });
  for (const g of [alice, bob]) await expect(g.page.getByTestId('local-epoch')).toHaveText('1', { timeout: 30_000 });
  await expect(bob.page.getByTestId('chain-epoch')).toHaveText('1', { timeout: 30_000 });
  await bob.page.screenshot({ path: info.outputPath('key-change-committed-1280.png'), fullPage: true });
  // The history says who approved which change, and who holds the new shares.
  await openTab(alice.page, 'Activity');
  await expect(
    alice.page.getByTestId('activity-item').filter({ hasText: 'Bob phone' }).filter({ hasText: 'approved “the change of guardians”' }),
  ).toBeVisible();
  await expect(alice.page.getByTestId('activity-item').filter({ hasText: 'now holds its new share (share set 1)' }).first()).toBeVisible();
  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, carol]) await g.context.close();
});
