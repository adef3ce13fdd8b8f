/**
 * Issue 16's contract calls and typed data, three guardians in three Chromium contexts over real
 * WebRTC and a real anvil:
 * - Alice asks the vault to `approve` an unlimited amount of the test token: Bob sees the call decoded
 *   with the unlimited-approval warning before approving, and after his approval the allowance is on chain;
 * - a call made with a pasted ABI reaches Bob as Alice's description, held as unknown data until he
 *   chooses "Sign unknown data"; an `approve` from the plain address is a transaction with data;
 * - an EIP-2612-shaped Permit, pasted as typed data, is signed by the vault (its `isValidSignature`
 *   returns the ERC-1271 magic value on chain) and by the plain address (`recoverTypedDataAddress`).
 * Screenshots of the new forms and of the approver's view at 390 and 1280 px, each checked with axe-core.
 */
import { test, expect } from '@playwright/test';
import {
  createPublicClient,
  getAddress,
  hashTypedData,
  http,
  maxUint256,
  parseAbiItem,
  recoverTypedDataAddress,
  type Address,
  type Hex,
  type TypedDataDefinition,
} from 'viem';
import { cairnTestTokenAbi } from '../src/chain/generated/CairnTestToken.ts';
import { cairnVaultAbi } from '../src/chain/generated/CairnVault.ts';
import { permitFor } from '../test/helpers/permit.ts';
import { screenshotBothWidths } from './helpers/pageChecks.ts';
import { ANVIL_PORT } from '../playwright.config.ts';
import { createFamilyWallet, fundVault, openTab } from './helpers/wallet.ts';

// A spender no other spec uses: all specs of a run share one devnet chain.
const SPENDER = '0x5e4de40000000000000000000000000000000016' as Address;
const chain = createPublicClient({ transport: http(`http://127.0.0.1:${ANVIL_PORT}`) });

test('a contract call and typed data, decoded for the approver, signed by the vault and the plain address', async ({ browser }, info) => {
  test.setTimeout(480_000);
  const { alice, bob, carol, vault } = await createFamilyWallet(browser);
  await expect(alice.page.getByTestId('eoa-address')).toBeVisible({ timeout: 120_000 });
  const eoa = getAddress((await alice.page.getByTestId('eoa-address').textContent())!);
  await fundVault(alice);
  // The test token is the contract whose tokens the faucet just minted to the vault.
  const [minted] = await chain.getLogs({
    event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
    args: { to: vault },
    fromBlock: 0n,
  });
  const token = getAddress(minted!.address);
  const shots = (name: string) => info.outputPath(name);

  // ——— An unlimited ERC-20 approve from the vault ———
  await openTab(alice.page, 'Send');
  await alice.page.getByLabel('A contract call').check();
  const form = alice.page.getByTestId('contract-call-form');
  await form.getByLabel('Contract address').fill(token);
  await form.getByLabel('Kind of contract').selectOption({ label: 'Token (ERC-20)' });
  await form.getByLabel('Function').selectOption({ label: 'approve(spender, amount)' });
  await form.getByLabel(/^spender/).fill(SPENDER);
  await form.getByLabel(/^amount/).fill('1.5');
  await form.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  await expect(form.getByRole('alert')).toContainText('amount (uint256): type a whole number');
  await form.getByLabel(/^amount/).fill('max');
  await expect(form.getByRole('alert')).toHaveCount(0); // an edit clears the error about the text before it
  // The asker sees the call as the others will, warning included, before sending it.
  await expect(form.getByTestId('call-preview')).toContainText('Allow 0x5e4d…0016 to spend unlimited CTT');
  await expect(form.getByTestId('call-preview').getByTestId('request-warning')).toContainText('Unlimited approval');
  await screenshotBothWidths(alice.page, shots, 'contract-call-form', { axe: true });
  await form.getByRole('button', { name: 'Ask the guardians to approve' }).click();

  await openTab(bob.page, 'Requests');
  const card = bob.page.getByTestId('request').filter({ hasText: 'to spend unlimited CTT' });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId('request-warning').first()).toContainText(`Unlimited approval: ${SPENDER} could take all of this token from the vault`);
  await expect(card.getByTestId('request-warning').nth(1)).toContainText(`never paid or called ${SPENDER}`);
  await expect(card.locator('summary', { hasText: 'Technical details' })).toBeVisible();
  await expect(card.locator('details')).toContainText('approve(address,uint256)');
  await card.locator('summary', { hasText: 'Technical details' }).click();
  await screenshotBothWidths(bob.page, shots, 'approve-approver-bob', { axe: true });
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(alice.page.getByTestId('call-result')).toBeVisible({ timeout: 120_000 });
  expect(await chain.readContract({ address: token, abi: cairnTestTokenAbi, functionName: 'allowance', args: [vault, SPENDER] })).toBe(maxUint256);

  // ——— A call with a pasted ABI: the approver reads it as the asker's word and must choose to sign unknown data ———
  const GOVERNOR = '0x5e4de40000000000000000000000000000000017' as Address;
  const castVote = [
    {
      type: 'function',
      name: 'castVote',
      stateMutability: 'nonpayable',
      inputs: [
        { name: 'proposalId', type: 'uint256' },
        { name: 'support', type: 'uint8' },
      ],
      outputs: [],
    },
  ];
  await form.getByLabel('Contract address').fill(GOVERNOR);
  await form.getByLabel('Kind of contract').selectOption({ label: 'Another contract: paste its ABI (JSON)' });
  await form.getByLabel('Contract ABI (JSON)').fill(JSON.stringify(castVote));
  await form.getByLabel(/^proposalId/).fill('42');
  await form.getByLabel(/^support/).fill('1');
  await form.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  const vote = bob.page.getByTestId('request').filter({ hasText: 'Call castVote on 0x5e4d…0017, as the person who asked describes it' });
  await expect(vote).toBeVisible({ timeout: 30_000 });
  await expect(vote.getByTestId('request-warning').first()).toContainText('Only the person who asked says what this call does');
  await expect(vote.getByTestId('policy-warning')).toContainText("call a contract in a way this device can't read");
  await screenshotBothWidths(bob.page, shots, 'pasted-abi-approver-bob', { axe: true });
  await vote.getByRole('button', { name: 'Sign unknown data' }).click();
  await expect(alice.page.getByTestId('call-result')).toContainText('Confirmed', { timeout: 120_000 });

  // ——— The same kind of call from the plain address: an ordinary transaction with data ———
  await form.getByLabel('The plain address').check();
  await form.getByLabel('Contract address').fill(token);
  await form.getByLabel('Kind of contract').selectOption({ label: 'Token (ERC-20)' });
  await form.getByLabel('Function').selectOption({ label: 'approve(spender, amount)' });
  await form.getByLabel(/^spender/).fill(SPENDER);
  await form.getByLabel(/^amount/).fill('5000000000000000000');
  await form.getByRole('button', { name: 'Ask the guardians to approve' }).click();
  const eoaApprove = carol.page.getByTestId('request').filter({ hasText: 'to spend 5 CTT from the plain address' });
  await openTab(carol.page, 'Requests');
  await expect(eoaApprove).toBeVisible({ timeout: 30_000 });
  await expect(eoaApprove.getByTestId('request-warning')).toHaveCount(0); // limited, and the spender was approved before
  await eoaApprove.getByRole('button', { name: 'Approve' }).click();
  await expect(alice.page.getByTestId('call-result')).toContainText('Confirmed', { timeout: 180_000 });
  expect(await chain.readContract({ address: token, abi: cairnTestTokenAbi, functionName: 'allowance', args: [eoa, SPENDER] })).toBe(5n * 10n ** 18n);

  // ——— A Permit signed by the vault (ERC-1271) ———
  const vaultPermit = permitFor({ token, owner: vault, spender: SPENDER, value: '25000000000000000000', deadline: 4102444800 });
  await alice.page.getByLabel('Sign typed data').check();
  const typed = alice.page.getByTestId('typed-data-form');
  await typed.getByLabel('Typed data to sign (JSON)').fill('{"domain": {}, "types": {}}');
  await typed.getByRole('button', { name: 'Ask the guardians to sign' }).click();
  await expect(typed.getByRole('alert')).toContainText('"types" must define between 1 and 32 types');
  await typed.getByLabel('Typed data to sign (JSON)').fill(JSON.stringify(vaultPermit, null, 2));
  await expect(typed.getByTestId('typed-data-preview')).toContainText('Sign a permit: allow 0x5e4d…0016 to spend 25 CTT');
  await screenshotBothWidths(alice.page, shots, 'typed-data-form', { axe: true });
  await typed.getByRole('button', { name: 'Ask the guardians to sign' }).click();
  const permitCard = carol.page.getByTestId('request').filter({ hasText: 'Sign a permit' });
  await openTab(carol.page, 'Requests');
  await expect(permitCard).toContainText('25 CTT', { timeout: 30_000 });
  await expect(permitCard).toContainText('Cairn Test Token');
  await expect(permitCard).toContainText('the vault');
  await screenshotBothWidths(carol.page, shots, 'permit-approver-carol', { axe: true });
  await permitCard.getByRole('button', { name: 'Approve' }).click();
  const vaultSig = alice.page.getByTestId('typed-signature');
  await expect(vaultSig).toBeVisible({ timeout: 120_000 });
  const hash = hashTypedData(vaultPermit as unknown as TypedDataDefinition);
  expect(
    await chain.readContract({ address: vault, abi: cairnVaultAbi, functionName: 'isValidSignature', args: [hash, (await vaultSig.textContent()) as Hex] }),
  ).toBe('0x1626ba7e');

  // ——— The same Permit shape signed by the plain address (threshold signature, ordinary ecrecover) ———
  const eoaPermit = permitFor({ token, owner: eoa, spender: SPENDER, value: '25000000000000000000', deadline: 4102444800 });
  await alice.page.getByTestId('typed-data-form').getByLabel('The plain address').check();
  await typed.getByLabel('Typed data to sign (JSON)').fill(JSON.stringify(eoaPermit));
  await typed.getByRole('button', { name: 'Ask the guardians to sign' }).click();
  const eoaCard = bob.page.getByTestId('request').filter({ hasText: 'the plain address' }).filter({ hasText: 'Sign a permit' });
  await expect(eoaCard).toBeVisible({ timeout: 30_000 });
  await eoaCard.getByRole('button', { name: 'Approve' }).click();
  await expect(alice.page.getByTestId('typed-data-result')).toContainText('against the plain address', { timeout: 180_000 });
  const eoaSig = (await alice.page.getByTestId('typed-signature').textContent()) as Hex;
  expect(await recoverTypedDataAddress({ ...(eoaPermit as unknown as TypedDataDefinition), signature: eoaSig })).toBe(eoa);

  for (const g of [alice, bob, carol]) expect(g.errors.unexpected()).toEqual([]);
  for (const g of [alice, bob, carol]) await g.context.close();
});
