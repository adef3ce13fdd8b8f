// ERC-4337 EntryPoint v0.8 on a dev chain, where public chains have it: its own compiled artifact from
// @account-abstraction/contracts, deployed through the deterministic CREATE2 deployer that anvil ships
// (0x4e59b448…) with the canonical salt, so it lands at 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108 —
// the address CairnVault trusts, and the prefix by which alto recognises a v0.8 EntryPoint.
// Used by scripts/devnet.mjs, the contract tests and the gas bench.
import { createRequire } from 'node:module';
import { concat, getContractAddress, pad } from 'viem';

const require = createRequire(import.meta.url);
const artifact = (name) => require(`@account-abstraction/contracts/artifacts/${name}.json`);

export const DETERMINISTIC_DEPLOYER = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
export const ENTRY_POINT_V08 = '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108';
const ENTRY_POINT_V08_SALT = '0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9';

/** Deploys `bytecode` at its CREATE2 address through the deterministic deployer (no-op if code is there). */
export async function deployDeterministic({ publicClient, walletClient }, bytecode, salt = pad('0x0', { size: 32 })) {
  const address = getContractAddress({ opcode: 'CREATE2', from: DETERMINISTIC_DEPLOYER, salt, bytecode });
  if ((await publicClient.getCode({ address }))?.length > 2) return address;
  const hash = await walletClient.sendTransaction({
    to: DETERMINISTIC_DEPLOYER,
    data: concat([salt, bytecode]),
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !((await publicClient.getCode({ address }))?.length > 2))
    throw new Error(`deterministic deployment to ${address} failed`);
  return address;
}

/** Makes sure EntryPoint v0.8 is at its canonical address; returns that address. */
export async function ensureEntryPoint(clients) {
  const address = await deployDeterministic(clients, artifact('EntryPoint').bytecode, ENTRY_POINT_V08_SALT);
  if (address.toLowerCase() !== ENTRY_POINT_V08.toLowerCase()) throw new Error(`EntryPoint landed at ${address}, not the canonical address`);
  return ENTRY_POINT_V08;
}

/** EntryPoint v0.8's own SimpleAccountFactory (salt 0), for side-by-side gas figures. */
export async function ensureSimpleAccountFactory(clients) {
  const { encodeDeployData } = await import('viem');
  const { abi, bytecode } = artifact('SimpleAccountFactory');
  return deployDeterministic(clients, encodeDeployData({ abi, bytecode, args: [ENTRY_POINT_V08] }));
}

export const simpleAccountAbi = artifact('SimpleAccount').abi;
export const simpleAccountFactoryAbi = artifact('SimpleAccountFactory').abi;
