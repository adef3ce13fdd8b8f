/**
 * ERC-4337 v0.8 user operations of the vault, as the guardians judge them: one call (to, value,
 * data) that the vault makes through `CairnVault.executeUserOp`, with every gas field explicit. The
 * core rebuilds the call data and the EntryPoint's `userOpHash` from those fields itself, so no
 * guardian signs bytes it could not decode. Checked against `EntryPoint.getUserOpHash` and viem's
 * `getUserOperationHash` in test/contracts/userOperation.test.ts.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError } from './errors.ts';
import { hexToBytes } from './encoding.ts';

type Address = `0x${string}`;

/** The fields of a vault user operation (`PackedUserOperation` with its call data decoded). */
export type VaultUserOperation = {
  chainId: bigint;
  entryPoint: Address;
  /** The vault: the operation's sender. */
  vault: Address;
  /** The EntryPoint's nonce (key ‖ sequence); the EntryPoint refuses a replay. */
  nonce: bigint;
  /** factory ‖ factoryData when the operation deploys the vault, else empty. */
  initCode: Uint8Array;
  /** The one call the vault makes. */
  to: Address;
  value: bigint;
  data: Uint8Array;
  callGasLimit: bigint;
  verificationGasLimit: bigint;
  preVerificationGas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** paymaster ‖ verification gas ‖ post-op gas ‖ data; empty when the vault pays its own gas. */
  paymasterAndData: Uint8Array;
};

const keccak = (...parts: Uint8Array[]) => keccak_256(concatBytes(...parts));
const typeHash = (s: string) => keccak_256(utf8ToBytes(s));

function word(value: bigint, bits = 256): Uint8Array {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << BigInt(bits)) throw new CairnError('BAD_PARAMETERS', `Value does not fit in uint${bits}`);
  return hexToBytes(value.toString(16).padStart(64, '0'));
}
function addressWord(a: Address): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new CairnError('BAD_PARAMETERS', `Not an address: ${a}`);
  return word(BigInt(a));
}

/** `executeUserOp(address,uint256,bytes)`: the only call data a vault user operation carries. */
export const EXECUTE_USER_OP_SELECTOR = keccak_256(utf8ToBytes('executeUserOp(address,uint256,bytes)')).slice(0, 4);

/** ABI encoding of `executeUserOp(to, value, data)`. */
export function vaultUserOpCallData(op: Pick<VaultUserOperation, 'to' | 'value' | 'data'>): Uint8Array {
  const padded = new Uint8Array(Math.ceil(op.data.length / 32) * 32);
  padded.set(op.data);
  return concatBytes(EXECUTE_USER_OP_SELECTOR, addressWord(op.to), word(op.value), word(96n), word(BigInt(op.data.length)), padded);
}

const PACKED_USEROP = typeHash(
  'PackedUserOperation(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,uint256 preVerificationGas,bytes32 gasFees,bytes paymasterAndData)',
);
const DOMAIN = typeHash('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)');
/** EntryPoint v0.8 hashes initCode as-is unless it starts with this EIP-7702 marker. */
const EIP7702_MARKER = hexToBytes('7702'.padEnd(40, '0'));

const packHighLow = (high: bigint, low: bigint) => concatBytes(word(high, 128).subarray(16), word(low, 128).subarray(16));

/** The EntryPoint v0.8 `userOpHash`: EIP-712 of the packed operation in the ("ERC4337", "1", chain, EntryPoint) domain. */
export function userOperationHash(op: VaultUserOperation): Uint8Array {
  if (op.initCode.length >= 20 && EIP7702_MARKER.every((b, i) => op.initCode[i] === b))
    throw new CairnError('BAD_PARAMETERS', 'A vault user operation never carries an EIP-7702 init code');
  const struct = keccak(
    PACKED_USEROP,
    addressWord(op.vault),
    word(op.nonce),
    keccak_256(op.initCode),
    keccak_256(vaultUserOpCallData(op)),
    packHighLow(op.verificationGasLimit, op.callGasLimit),
    word(op.preVerificationGas),
    packHighLow(op.maxPriorityFeePerGas, op.maxFeePerGas),
    keccak_256(op.paymasterAndData),
  );
  const domain = keccak(DOMAIN, typeHash('ERC4337'), typeHash('1'), word(op.chainId), addressWord(op.entryPoint));
  return keccak(Uint8Array.of(0x19, 0x01), domain, struct);
}
