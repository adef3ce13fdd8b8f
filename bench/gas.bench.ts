/**
 * Gas side by side: Cairn's FROST vault and registry against Safe 1.5.0 (official artifacts from
 * @safe-global/safe-smart-account), and the vault's ERC-4337 user operations against EntryPoint
 * v0.8's SimpleAccount (bench/userOpGas.ts), deployed on the same anvil in the same run. Gas is exact, so
 * these are single measurements of steady-state transactions (existing recipient, nonce ≠ 0).
 */
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, encodeFunctionData, hexToBytes, keccak256, parseEther, parseEventLogs, toHex, zeroAddress, type Abi, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { toContractSignature, type ContractSignature } from '../src/chain/contractSignature.ts';
import { createCairnVaultAccount } from '../src/chain/createCairnVaultAccount.ts';
import { deployRegistry } from '../src/chain/deployRegistry.ts';
import { deployTestToken } from '../src/chain/deployTestToken.ts';
import { deployVault } from '../src/chain/deployVault.ts';
import { cairnRegistryAbi, cairnTestTokenAbi, frostVerifierHarnessAbi, frostVerifierHarnessBytecode } from '../src/chain/generated/index.ts';
import { getWalletId, groupKeyToCoordinates } from '../src/chain/groupKey.ts';
import { guardianSetHash } from '../src/chain/guardianSetHash.ts';
import { getAdvanceEpochDigest, getRegisterDigest } from '../src/chain/registryDigests.ts';
import { startAnvil, type AnvilNode } from '../test/helpers/anvil.ts';
import { createFrostGroup, type TestFrostGroup } from '../test/helpers/frostSigner.ts';
import { executeWithCanonicalCalldata } from '../test/helpers/vaultGas.ts';
import { measureUserOps } from './userOpGas.ts';

const require = createRequire(import.meta.url);
type Artifact = { abi: Abi; bytecode: Hex };
const safeArtifact = require('@safe-global/safe-smart-account/build/artifacts/contracts/Safe.sol/Safe.json') as Artifact;
const factoryArtifact = require('@safe-global/safe-smart-account/build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json') as Artifact;

/** Fixed, zero-byte-free recipient: its calldata cost is the same in every run. */
const RECIPIENT: Address = '0xc0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
const noZeroByte = (s: ContractSignature) => [s.rx, s.ry, s.z].every((v) => toBytes32(v).every((b) => b !== 0));
const toBytes32 = (v: bigint) => hexToBytes(`0x${v.toString(16).padStart(64, '0')}`);

export async function run(): Promise<Record<string, number>> {
  const node = await startAnvil();
  try {
    return {
      ...(await measureVault(node)),
      ...(await measureUserOps(node)),
      ...(await measureRegistry(node)),
      ...(await measureVerifier(node)),
      ...(await measureSafe(node, 2, 3, 'gas.safe.2of3.ethTransfer')),
      ...(await measureSafe(node, 5, 9, 'gas.safe.5of9.ethTransfer')),
      ...(await measureSafe(node, 8, 15, 'gas.safe.8of15.ethTransfer')),
    };
  } finally {
    await node.stop();
  }
}

async function deploy(node: AnvilNode, artifact: Artifact, args: readonly unknown[] = []): Promise<Address> {
  const hash = await node.walletClient().deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args });
  return (await node.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
}

async function measureVault(node: AnvilNode) {
  const clients = { publicClient: node.publicClient, walletClient: node.walletClient() };
  const group = createFrostGroup({ min: 2, max: 3 });
  const { address: vault } = await deployVault({ ...clients, groupKey: group.groupKey });
  await node.publicClient.waitForTransactionReceipt({ hash: await clients.walletClient.sendTransaction({ to: vault, value: parseEther('10') }) });
  const account = createCairnVaultAccount({ ...clients, vault, signer: group });
  const recipient = RECIPIENT;
  const first = await executeWithCanonicalCalldata(clients, account, { to: recipient, value: 1000n }); // new recipient, nonce 0 → 1
  const eth = await executeWithCanonicalCalldata(clients, account, { to: recipient, value: 1000n });

  const { address: token } = await deployTestToken(clients);
  await account.writeContract({ address: token, abi: cairnTestTokenAbi, functionName: 'mint', args: [vault, 10n ** 21n] });
  const transfer = (amount: bigint) =>
    ({ to: token, data: encodeFunctionData({ abi: cairnTestTokenAbi, functionName: 'transfer', args: [recipient, amount] }) }) as const;
  await account.execute(transfer(1000n)); // recipient now holds tokens
  const erc20 = await executeWithCanonicalCalldata(clients, account, transfer(1000n));
  return {
    'gas.vault.ethTransfer': Number(eth.gasUsed),
    'gas.vault.ethTransfer.first': Number(first.gasUsed),
    'gas.vault.erc20Transfer': Number(erc20.gasUsed),
  };
}

async function measureRegistry(node: AnvilNode) {
  const clients = { publicClient: node.publicClient, walletClient: node.walletClient() };
  const { address: registry } = await deployRegistry(clients);
  // Calldata carries the key, wallet id and set hashes: pick zero-byte-free ones so gas is exact.
  let group: TestFrostGroup;
  do group = createFrostGroup({ min: 2, max: 3 });
  while (!zeroFreeKey(group));
  const sets = zeroFreeSetHashes(3);
  const { x, y } = groupKeyToCoordinates(group.groupKey);
  const set0 = sets[0]!;
  const registerDigest = getRegisterDigest({ chainId: node.chain.id, registry, groupKeyX: x, groupKeyY: y, threshold: 2, guardianSetHash: set0 });
  const registerGas = await submitCanonical(node, group, registerDigest, (sig) =>
    node.walletClient().writeContract({ address: registry, abi: cairnRegistryAbi, functionName: 'register', args: [x, y, 2, set0, sig] }),
  );
  const walletId = getWalletId(group.groupKey);
  let advanceGas = 0n;
  for (const epoch of [0n, 1n]) {
    const set = sets[Number(epoch) + 1]!;
    const digest = getAdvanceEpochDigest({ chainId: node.chain.id, registry, walletId, epoch, threshold: 2, guardianSetHash: set });
    advanceGas = await submitCanonical(node, group, digest, (sig) =>
      node.walletClient().writeContract({ address: registry, abi: cairnRegistryAbi, functionName: 'advanceEpoch', args: [walletId, epoch, set, 2, sig] }),
    );
  }
  return { 'gas.registry.register': Number(registerGas), 'gas.registry.advanceEpoch': Number(advanceGas) };
}

function zeroFreeKey(group: TestFrostGroup): boolean {
  const { x, y } = groupKeyToCoordinates(group.groupKey);
  return [x, y, BigInt(getWalletId(group.groupKey))].every((v) => toBytes32(v).every((b) => b !== 0));
}

/** Guardian-set hashes of fixed device keys (deterministic), skipping any with a zero byte. */
function zeroFreeSetHashes(count: number): Hex[] {
  const out: Hex[] = [];
  for (let i = 0; out.length < count; i++) {
    const keys = [0, 1, 2].map((j) => secp256k1.getPublicKey(hexToBytes(keccak256(toHex(`cairn-bench-device-${i}-${j}`)))));
    const h = guardianSetHash(keys);
    if (hexToBytes(h).every((b) => b !== 0)) out.push(h);
  }
  return out;
}

/** Signs `digest` until the signature has no zero byte (exact calldata cost), submits, returns gasUsed. */
async function submitCanonical(node: AnvilNode, group: TestFrostGroup, digest: Hex, submit: (sig: ContractSignature) => Promise<Hex>) {
  let sig: ContractSignature;
  do sig = toContractSignature(await group.signDigest(hexToBytes(digest)));
  while (!noZeroByte(sig));
  const receipt = await node.publicClient.waitForTransactionReceipt({ hash: await submit(sig) });
  if (receipt.status !== 'success') throw new Error('registry transaction reverted');
  return receipt.gasUsed;
}

async function measureVerifier(node: AnvilNode) {
  const harness = await deploy(node, { abi: frostVerifierHarnessAbi as Abi, bytecode: frostVerifierHarnessBytecode });
  const group = createFrostGroup({ min: 2, max: 3 });
  const { x, y } = groupKeyToCoordinates(group.groupKey);
  const digest = bytesToHex(secp256k1.utils.randomSecretKey());
  const { rx, ry, z } = toContractSignature(await group.signDigest(hexToBytes(digest)));
  const [ok, gasUsed] = await node.publicClient.readContract({
    address: harness,
    abi: frostVerifierHarnessAbi,
    functionName: 'measureVerifyDigest',
    args: [x, y, digest, rx, ry, z],
  });
  if (!ok) throw new Error('verifier harness rejected a valid signature');
  return { 'gas.frost.verify': Number(gasUsed) };
}

async function measureSafe(node: AnvilNode, threshold: number, owners: number, figure: string) {
  const singleton = await deploy(node, safeArtifact);
  const factory = await deploy(node, factoryArtifact);
  // Fixed benchmark owner keys (local chain only): ECDSA is deterministic (RFC 6979), so the Safe's
  // signatures, calldata and gas are the same in every run.
  const signers = Array.from({ length: owners }, (_, i) => privateKeyToAccount(keccak256(toHex(`cairn-bench-safe-owner-${i}`)))).sort((a, b) =>
    a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1,
  );
  const setup = encodeFunctionData({
    abi: safeArtifact.abi,
    functionName: 'setup',
    args: [signers.map((s) => s.address), BigInt(threshold), zeroAddress, '0x', zeroAddress, zeroAddress, 0n, zeroAddress],
  });
  const wallet = node.walletClient();
  const created = await node.publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: factory, abi: factoryArtifact.abi, functionName: 'createProxyWithNonce', args: [singleton, setup, 0n] }),
  });
  const [creation] = parseEventLogs({ abi: factoryArtifact.abi, logs: created.logs, eventName: 'ProxyCreation' }) as unknown as [{ args: { proxy: Address } }];
  const safe = creation.args.proxy;
  await node.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: safe, value: parseEther('10') }) });
  const recipient = RECIPIENT;
  const exec = async () => {
    const nonce = (await node.publicClient.readContract({ address: safe, abi: safeArtifact.abi, functionName: 'nonce' })) as bigint;
    const txArgs = [recipient, 1000n, '0x', 0, 0n, 0n, 0n, zeroAddress, zeroAddress] as const;
    const safeTxHash = (await node.publicClient.readContract({
      address: safe,
      abi: safeArtifact.abi,
      functionName: 'getTransactionHash',
      args: [...txArgs, nonce],
    })) as Hex;
    const sigs = await Promise.all(signers.slice(0, threshold).map((s) => s.sign({ hash: safeTxHash })));
    const signatures = `0x${sigs.map((s) => s.slice(2)).join('')}` as Hex; // sorted by owner address
    const hash = await wallet.writeContract({ address: safe, abi: safeArtifact.abi, functionName: 'execTransaction', args: [...txArgs, signatures] });
    const receipt = await node.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error('Safe execTransaction reverted');
    return receipt.gasUsed;
  };
  await exec(); // recipient created, nonce 0 → 1
  return { [figure]: Number(await exec()) };
}
