/**
 * The test's own hand on the devnet: anvil itself (not the RPC front the app uses), for what happens
 * "elsewhere meanwhile" — a balance spent by someone else between a request and its approval.
 */
import { createTestClient, encodeAbiParameters, http, keccak256, numberToHex, type Address, type Hex } from 'viem';
import { ANVIL_PORT } from '../../playwright.config.ts';

const anvil = createTestClient({ mode: 'anvil', transport: http(`http://127.0.0.1:${ANVIL_PORT}`) });

/** Sets `holder`'s CairnTestToken balance (`balanceOf` is the contract's storage slot 1). */
export async function setTokenBalance(token: Address, holder: Address, amount: bigint): Promise<void> {
  const slot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [holder, 1n]));
  await anvil.setStorageAt({ address: token, index: slot, value: numberToHex(amount, { size: 32 }) as Hex });
  await anvil.mine({ blocks: 1 });
}
