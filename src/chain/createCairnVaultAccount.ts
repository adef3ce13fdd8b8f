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
import { estimateCallGasFloor } from './estimateCallGasFloor.ts';
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
/**
 * What the group signs beside the call. Defaults: `minGas` = `estimateCallGasFloor` (what the call
 * uses with plenty of gas, made by the vault), `validUntil` = the latest block's time + `DEFAULT_VALIDITY_SECONDS`.
 */
export type VaultCallOptions = { nonce?: bigint; minGas?: bigint; validUntil?: number };
export type SignedVaultCall = ContractSignature & { nonce: bigint; digest: Hex; minGas: bigint; validUntil: number };

/** How long a signed `execute` stays valid when the caller sets no deadline. */
export const DEFAULT_VALIDITY_SECONDS = 3600;

export type CreateCairnVaultAccountReturnType = CairnVaultAccount;
export type CairnVaultAccount = {
  address: Address;
  groupKey: Uint8Array;
  /** The nonce the next `execute` must be signed for. */
  getNonce(): Promise<bigint>;
  /** Signs `call` for `nonce` (default: the current one) without submitting it. */
  signCall(call: VaultCall, options?: VaultCallOptions): Promise<SignedVaultCall>;
  /** Any call: signs it with the group, submits `execute` from the fee-paying account, waits. */
  execute(call: VaultCall, options?: VaultCallOptions): Promise<VaultExecution>;
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
 * `CairnVault.execute` calls: the direct path, where any funded account (a guardian's plain address)
 * submits and pays the fee. The usual path is a user operation (`toCairnVaultSmartAccount`).
 */
export function createCairnVaultAccount(p: CreateCairnVaultAccountParameters): CreateCairnVaultAccountReturnType {
  const { publicClient, walletClient, vault, signer } = p;
  let chainId: number | undefined;
  const getChainId = async () => (chainId ??= await publicClient.getChainId());
  const getNonce = () => publicClient.readContract({ address: vault, abi: cairnVaultAbi, functionName: 'nonce' });

  async function signCall(call: VaultCall, options: VaultCallOptions = {}): Promise<SignedVaultCall> {
    const to = call.to;
    const value = call.value ?? 0n;
    const data = call.data ?? '0x';
    const [id, nonce, minGas, validUntil] = await Promise.all([
      getChainId(),
      options.nonce ?? getNonce(),
      options.minGas ?? estimateCallGasFloor({ publicClient, from: vault, to, value, data }),
      options.validUntil ?? publicClient.getBlock().then((b) => Number(b.timestamp) + DEFAULT_VALIDITY_SECONDS),
    ]);
    const { rx, ry, z, digest } = await signWithGroup({
      signer,
      request: { kind: 'vault.execute', chainId: id, vault, nonce, to, value, data, minGas, validUntil },
    });
    return { rx, ry, z, nonce, digest, minGas, validUntil };
  }

  async function execute(call: VaultCall, options?: VaultCallOptions): Promise<VaultExecution> {
    const { rx, ry, z, nonce, minGas, validUntil } = await signCall(call, options);
    const transactionHash = await walletClient.writeContract({
      address: vault,
      abi: cairnVaultAbi,
      functionName: 'execute',
      args: [call.to, call.value ?? 0n, call.data ?? '0x', minGas, validUntil, { rx, ry, z }],
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
    transferErc20: ({ token, to, amount }) => execute({ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }) }),
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
