import {
  encodeAbiParameters,
  encodeFunctionData,
  erc20Abi,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { waitForSuccess, type ChainClients } from './clients.ts';
import type { ContractSignature } from './contractSignature.ts';
import type { FrostDigestSigner } from './frostDigestSigner.ts';
import { cairnVaultAbi } from './generated/CairnVault.ts';
import { signWithGroup } from './signWithGroup.ts';

export type CreateCairnVaultAccountParameters = ChainClients & {
  /** The deployed `CairnVault`. */
  vault: Address;
  /** The guardians' FROST group; the vault's immutable key must be `signer.groupKey`. */
  signer: FrostDigestSigner;
};

/** A call the vault makes: `to.call{value}(data)`. */
export type VaultCall = { to: Address; value?: bigint; data?: Hex };
export type VaultExecution = { transactionHash: Hex; receipt: TransactionReceipt; nonce: bigint };

export type CreateCairnVaultAccountReturnType = CairnVaultAccount;
export type CairnVaultAccount = {
  address: Address;
  groupKey: Uint8Array;
  /** The nonce the next `execute` must be signed for. */
  getNonce(): Promise<bigint>;
  /** Signs `call` for `nonce` (default: the current one) without submitting it. */
  signCall(call: VaultCall, options?: { nonce?: bigint }): Promise<ContractSignature & { nonce: bigint; digest: Hex }>;
  /** Any call: signs it with the group, submits `execute` from the fee-paying account, waits. */
  execute(call: VaultCall): Promise<VaultExecution>;
  /** Sends `value` wei to `to`. */
  sendEth(args: { to: Address; value: bigint }): Promise<VaultExecution>;
  /** Transfers `amount` of ERC-20 `token` to `to`. */
  transferErc20(args: { token: Address; to: Address; amount: bigint }): Promise<VaultExecution>;
  /** Calls a contract function with typed arguments (viem's ABI inference). */
  writeContract<const abi extends Abi, functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>>(args: {
    address: Address;
    abi: abi;
    functionName: functionName;
    args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>;
    value?: bigint;
  }): Promise<VaultExecution>;
  /** A 96-byte signature that the vault's ERC-1271 `isValidSignature(hash, ·)` accepts. */
  signMessageHash(hash: Hex): Promise<Hex>;
};

/**
 * Turns intents ("send 0.1 ETH to X", an ERC-20 transfer, any contract call) into FROST-signed
 * `CairnVault.execute` calls. The group signs; any funded account submits and pays the fee.
 */
export function createCairnVaultAccount(p: CreateCairnVaultAccountParameters): CreateCairnVaultAccountReturnType {
  const { publicClient, walletClient, vault, signer } = p;
  let chainId: number | undefined;
  const getChainId = async () => (chainId ??= await publicClient.getChainId());
  const getNonce = () => publicClient.readContract({ address: vault, abi: cairnVaultAbi, functionName: 'nonce' });

  async function signCall(call: VaultCall, options: { nonce?: bigint } = {}) {
    const [id, nonce] = await Promise.all([getChainId(), options.nonce ?? getNonce()]);
    const to = call.to;
    const value = call.value ?? 0n;
    const data = call.data ?? '0x';
    const { rx, ry, z, digest } = await signWithGroup({
      signer,
      request: { kind: 'vault.execute', chainId: id, vault, nonce, to, value, data },
    });
    return { rx, ry, z, nonce, digest };
  }

  async function execute(call: VaultCall): Promise<VaultExecution> {
    const { rx, ry, z, nonce } = await signCall(call);
    const transactionHash = await walletClient.writeContract({
      address: vault,
      abi: cairnVaultAbi,
      functionName: 'execute',
      args: [call.to, call.value ?? 0n, call.data ?? '0x', { rx, ry, z }],
      account: walletClient.account,
      chain: walletClient.chain,
    });
    return { transactionHash, receipt: await waitForSuccess(publicClient, transactionHash), nonce };
  }

  return {
    address: vault,
    groupKey: signer.groupKey,
    getNonce,
    signCall,
    execute,
    sendEth: ({ to, value }) => execute({ to, value }),
    transferErc20: ({ token, to, amount }) =>
      execute({ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }) }),
    writeContract: (args) =>
      execute({
        to: args.address,
        value: args.value ?? 0n,
        // viem's generic encodeFunctionData cannot see that these generics line up; the public
        // signature above is what keeps callers type-safe.
        data: encodeFunctionData({ abi: args.abi as Abi, functionName: args.functionName as string, args: args.args as readonly unknown[] }),
      }),
    async signMessageHash(hash) {
      const id = await getChainId();
      const { rx, ry, z } = await signWithGroup({ signer, request: { kind: 'vault.message', chainId: id, vault, hash } });
      return encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }], [rx, ry, z]);
    },
  };
}
