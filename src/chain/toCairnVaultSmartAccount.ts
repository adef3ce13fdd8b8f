import {
  decodeFunctionData,
  encodeFunctionData,
  encodePacked,
  hashMessage,
  hashTypedData,
  type Address,
  type Chain,
  type PublicClient,
  type Hex,
  type SignableMessage,
  type Transport,
  type TypedDataDefinition,
} from 'viem';
import { entryPoint08Abi, entryPoint08Address, toPackedUserOperation, toSmartAccount, type UserOperation } from 'viem/account-abstraction';
import { CairnError } from '../core/errors.ts';
import type { FrostDigestSigner } from './frostDigestSigner.ts';
import { cairnVaultAbi } from './generated/CairnVault.ts';
import { cairnVaultFactoryAbi } from './generated/CairnVaultFactory.ts';
import { getVaultAddress } from './getVaultAddress.ts';
import { groupKeyToCoordinates } from './groupKey.ts';
import { signWithGroup } from './signWithGroup.ts';

export type ToCairnVaultSmartAccountParameters = {
  /** A client of the chain (reads: nonce, code, chain id). */
  client: PublicClient<Transport, Chain | undefined>;
  /** The chain's CairnVaultFactory: the vault's address follows from it and the group key. */
  factory: Address;
  /** The guardians' FROST group. */
  signer: FrostDigestSigner;
  /**
   * The deadline (unix seconds) the group signs into each user operation. Default: the local clock
   * + `DEFAULT_USER_OP_VALIDITY_SECONDS`. The app passes its request's own expiry.
   */
  validUntil?: (() => number) | undefined;
};

type EntryPoint08 = { abi: typeof entryPoint08Abi; address: Address; version: '0.8' };
export type CairnVaultSmartAccount = Awaited<ReturnType<typeof toCairnVaultSmartAccount>>;

/** How long a user operation stays valid when the caller sets no deadline. */
export const DEFAULT_USER_OP_VALIDITY_SECONDS = 3600;

/**
 * A stand-in signature for gas estimation that runs the whole FROST verification (R = G on the curve,
 * z = n − 1 in range, no zero byte, so calldata costs what a real signature costs at most) and then
 * fails: `validateUserOp` returns SIG_VALIDATION_FAILED, as ERC-4337 expects of a stub.
 */
export const CAIRN_STUB_USER_OP_SIGNATURE: Hex = encodePacked(
  ['uint48', 'uint256', 'uint256', 'uint256'],
  [
    2 ** 48 - 1,
    0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
    0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
    0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140n,
  ],
);

/**
 * The group's CairnVault as a viem ERC-4337 v0.8 smart account: use it with a BundlerClient
 * (`sendUserOperation({ account, calls: [{ to, value, data }] })`). The first operation deploys the
 * vault through the factory (initCode); the vault pays its gas from its own ETH. Each operation is one
 * call, which the guardians see decoded (`vault-user-operation`): they never sign an opaque hash.
 */
export async function toCairnVaultSmartAccount(p: ToCairnVaultSmartAccountParameters) {
  const { client, factory, signer } = p;
  const { x, y } = groupKeyToCoordinates(signer.groupKey);
  const address = getVaultAddress({ factory, groupKey: signer.groupKey });
  const entryPoint: EntryPoint08 = { abi: entryPoint08Abi, address: entryPoint08Address, version: '0.8' };
  const factoryData = encodeFunctionData({ abi: cairnVaultFactoryAbi, functionName: 'createVault', args: [x, y] });
  const deadline = p.validUntil ?? (() => Math.floor(Date.now() / 1000) + DEFAULT_USER_OP_VALIDITY_SECONDS);
  const chainIdOf = async () => client.chain?.id ?? Number(await client.request({ method: 'eth_chainId' }));

  // ERC-1271 through the vault's `isValidSignature`: the group signs CairnMessage(hash).
  async function signHash(hash: Hex): Promise<Hex> {
    const { rx, ry, z } = await signWithGroup({ signer, request: { kind: 'vault.message', chainId: await chainIdOf(), vault: address, hash } });
    return encodePacked(['uint256', 'uint256', 'uint256'], [rx, ry, z]);
  }

  return toSmartAccount({
    client,
    entryPoint,
    async getAddress() {
      return address;
    },
    async getFactoryArgs() {
      return { factory, factoryData };
    },
    async encodeCalls(calls) {
      if (calls.length !== 1) throw new CairnError('BAD_PARAMETERS', 'A vault user operation makes exactly one call.', { details: [`calls: ${calls.length}`] });
      const [call] = calls;
      return encodeFunctionData({ abi: cairnVaultAbi, functionName: 'executeUserOp', args: [call!.to, call!.value ?? 0n, call!.data ?? '0x'] });
    },
    async decodeCalls(data) {
      const { to, value, data: callData } = decodeVaultCallData(data);
      return [{ to, value, data: callData }];
    },
    async getStubSignature() {
      return CAIRN_STUB_USER_OP_SIGNATURE;
    },
    async sign({ hash }) {
      return signHash(hash);
    },
    async signMessage({ message }: { message: SignableMessage }) {
      return signHash(hashMessage(message));
    },
    async signTypedData(typedData) {
      return signHash(hashTypedData(typedData as TypedDataDefinition));
    },
    async signUserOperation(parameters) {
      const { chainId = await chainIdOf(), ...rest } = parameters;
      const userOperation = { ...rest, sender: address } as UserOperation<'0.8'>;
      if (userOperation.authorization) throw new CairnError('BAD_PARAMETERS', 'The vault is a contract account: no EIP-7702 authorization.');
      const { to, value, data } = decodeVaultCallData(userOperation.callData);
      const packed = toPackedUserOperation(userOperation);
      const validUntil = deadline();
      const { rx, ry, z } = await signWithGroup({
        signer,
        request: {
          kind: 'vault.userOperation',
          chainId,
          entryPoint: entryPoint.address,
          vault: address,
          nonce: userOperation.nonce,
          initCode: packed.initCode,
          to,
          value,
          data,
          callGasLimit: userOperation.callGasLimit,
          verificationGasLimit: userOperation.verificationGasLimit,
          preVerificationGas: userOperation.preVerificationGas,
          maxFeePerGas: userOperation.maxFeePerGas,
          maxPriorityFeePerGas: userOperation.maxPriorityFeePerGas,
          paymasterAndData: packed.paymasterAndData,
          validUntil,
        },
      });
      return encodeUserOpSignature({ validUntil, rx, ry, z });
    },
  });
}

/** `userOp.signature` as `CairnVault.validateUserOp` reads it: validUntil (6 bytes) ‖ Rx ‖ Ry ‖ z. */
export function encodeUserOpSignature(s: { validUntil: number; rx: bigint; ry: bigint; z: bigint }): Hex {
  return encodePacked(['uint48', 'uint256', 'uint256', 'uint256'], [s.validUntil, s.rx, s.ry, s.z]);
}

/** The one call in a vault operation's call data; anything but `executeUserOp` is refused. */
export function decodeVaultCallData(callData: Hex): { to: Address; value: bigint; data: Hex } {
  const decoded = (() => {
    try {
      return decodeFunctionData({ abi: cairnVaultAbi, data: callData });
    } catch (cause) {
      throw new CairnError('MALFORMED', 'User operation call data is not a vault call.', { cause });
    }
  })();
  if (decoded.functionName !== 'executeUserOp') throw new CairnError('MALFORMED', 'User operation call data is not executeUserOp.');
  const [to, value, data] = decoded.args;
  return { to, value, data };
}
