/**
 * What a guardian may sign. The core never signs bytes from the wire: it signs the digest of a
 * typed request, built here. Each type has its own domain (EIP-712 domains with distinct names and
 * type hashes for the contracts, the EIP-191 prefix for messages, a tagged SHA-256 for test
 * messages), so a signature for one kind can never be valid for another.
 * The EIP-712 layouts mirror contracts/CairnVault.sol and contracts/CairnRegistry.sol exactly;
 * test/contracts checks these digests against the contracts' own view functions.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError } from './errors.ts';
import { hexToBytes } from './encoding.ts';
import { parseTypedData, typedDataHash } from './typedData.ts';
import { userOperationHash, type VaultUserOperation } from './userOperation.ts';

export type Address = `0x${string}`;
export type Bytes32 = `0x${string}`;

export type SigningRequest =
  /**
   * CairnVault.execute(to, value, data) at `nonce`, submitted by anyone who gives the call at least
   * `minGas` gas, before `validUntil` (unix seconds).
   */
  | {
      type: 'vault-execute';
      chainId: bigint;
      vault: Address;
      to: Address;
      value: bigint;
      data: Uint8Array;
      nonce: bigint;
      minGas: bigint;
      validUntil: number;
    }
  /** An ERC-4337 user operation of the vault (CairnVault.validateUserOp), valid until `validUntil`. */
  | ({ type: 'vault-user-operation'; validUntil: number } & VaultUserOperation)
  /** CairnVault.isValidSignature(hash) — ERC-1271 approval of an off-chain hash. */
  | { type: 'vault-message'; chainId: bigint; vault: Address; hash: Bytes32 }
  /**
   * EIP-712 typed data for the vault's ERC-1271: `typedData` is the canonical JSON (src/core/typedData.ts);
   * the group signs CairnMessage(typedDataHash(typedData)), so `isValidSignature(hashTypedData, ·)` accepts it.
   */
  | { type: 'vault-typed-data'; chainId: bigint; vault: Address; typedData: Uint8Array }
  /** CairnRegistry.register(groupKey, threshold, guardianSetHash). */
  | { type: 'registry-register'; chainId: bigint; registry: Address; groupKeyX: bigint; groupKeyY: bigint; threshold: number; guardianSetHash: Bytes32 }
  /** CairnRegistry.advanceEpoch: moves `walletId` from `epoch` to epoch+1 with the new set and t. */
  | { type: 'registry-advance-epoch'; chainId: bigint; registry: Address; walletId: Bytes32; epoch: bigint; threshold: number; guardianSetHash: Bytes32 }
  /** EIP-191 personal message (for the ECDSA EOA path and off-chain attestations). */
  | { type: 'eip191-message'; message: Uint8Array }
  /** A test message (e.g. the post-refresh test signature); can never collide with the others. */
  | { type: 'test-message'; message: Uint8Array }
  /**
   * Threshold-ECDSA (EOA) requests: the guardians sign with DKLs23, not FROST. An EIP-1559 transfer or call
   * from the group key's address; digest = keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas,
   * maxFeePerGas, gas, to, value, data, []])), exactly what the chain signs.
   */
  | {
      type: 'eoa-transaction';
      chainId: bigint;
      nonce: bigint;
      to: Address;
      value: bigint;
      data: Uint8Array;
      gas: bigint;
      maxFeePerGas: bigint;
      maxPriorityFeePerGas: bigint;
    }
  /** An EIP-191 personal message signed by the EOA (same digest as `eip191-message`, ECDSA path). */
  | { type: 'eoa-message'; message: Uint8Array }
  /** EIP-712 typed data signed by the EOA: digest = hashTypedData of the canonical JSON `typedData`. */
  | { type: 'eoa-typed-data'; typedData: Uint8Array };

/** Which threshold scheme signs a request: FROST (vault, registry, test) or DKLs23 ECDSA (the plain EOA). */
export function signingPath(request: SigningRequest): 'frost' | 'ecdsa' {
  return request.type === 'eoa-transaction' || request.type === 'eoa-message' || request.type === 'eoa-typed-data' ? 'ecdsa' : 'frost';
}

const keccak = (...parts: Uint8Array[]) => keccak_256(concatBytes(...parts));
const typeHash = (s: string) => keccak_256(utf8ToBytes(s));

function word(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) throw new CairnError('BAD_PARAMETERS', 'Value does not fit in 256 bits');
  return hexToBytes(value.toString(16).padStart(64, '0'));
}
function addressWord(a: Address): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new CairnError('BAD_PARAMETERS', `Not an address: ${a}`);
  return word(BigInt(a));
}
function bytes32Word(b: Bytes32): Uint8Array {
  if (!/^0x[0-9a-fA-F]{64}$/.test(b)) throw new CairnError('BAD_PARAMETERS', 'Not a 32-byte hex value');
  return hexToBytes(b.slice(2));
}
function uintWord(v: bigint | number, bits: number): Uint8Array {
  const x = BigInt(v);
  if (x < 0n || x >= 1n << BigInt(bits)) throw new CairnError('BAD_PARAMETERS', `Value does not fit in uint${bits}`);
  return word(x);
}

/** RLP (Ethereum Yellow Paper App. B) of the fixed EIP-1559 shape: byte strings, minimal integers, lists. */
function rlpLength(len: number, offset: number): Uint8Array {
  if (len < 56) return Uint8Array.of(offset + len);
  const hex = len.toString(16);
  const lenBytes = hexToBytes(hex.length % 2 ? '0' + hex : hex);
  return concatBytes(Uint8Array.of(offset + 55 + lenBytes.length), lenBytes);
}
function rlpBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && b[0]! < 0x80) return b;
  return concatBytes(rlpLength(b.length, 0x80), b);
}
function rlpUint(v: bigint): Uint8Array {
  if (v < 0n || v >= 1n << 256n) throw new CairnError('BAD_PARAMETERS', 'Value does not fit in 256 bits');
  if (v === 0n) return rlpBytes(new Uint8Array(0));
  const hex = v.toString(16);
  return rlpBytes(hexToBytes(hex.length % 2 ? '0' + hex : hex));
}
const rlpList = (items: Uint8Array[]) => {
  const body = concatBytes(...items);
  return concatBytes(rlpLength(body.length, 0xc0), body);
};

function eip1559Digest(q: Extract<SigningRequest, { type: 'eoa-transaction' }>): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(q.to)) throw new CairnError('BAD_PARAMETERS', `Not an address: ${q.to}`);
  const fields = [
    rlpUint(q.chainId),
    rlpUint(q.nonce),
    rlpUint(q.maxPriorityFeePerGas),
    rlpUint(q.maxFeePerGas),
    rlpUint(q.gas),
    rlpBytes(hexToBytes(q.to.slice(2).toLowerCase())),
    rlpUint(q.value),
    rlpBytes(q.data),
    rlpList([]),
  ];
  return keccak(Uint8Array.of(0x02), rlpList(fields));
}

const DOMAIN = typeHash('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)');
function domainSeparator(name: string, chainId: bigint, contract: Address): Uint8Array {
  return keccak(DOMAIN, typeHash(name), typeHash('1'), word(chainId), addressWord(contract));
}
const eip712 = (domain: Uint8Array, struct: Uint8Array) => keccak(Uint8Array.of(0x19, 0x01), domain, struct);

const EXECUTE = typeHash('CairnExecute(address to,uint256 value,bytes data,uint256 nonce,uint256 minGas,uint48 validUntil)');
const USER_OP = typeHash('CairnUserOp(bytes32 userOpHash,uint48 validUntil)');
const MESSAGE = typeHash('CairnMessage(bytes32 hash)');
const REGISTER = typeHash('CairnRegister(uint256 groupKeyX,uint256 groupKeyY,uint16 threshold,bytes32 guardianSetHash)');
const ADVANCE = typeHash('CairnAdvanceEpoch(bytes32 walletId,uint64 epoch,uint16 threshold,bytes32 guardianSetHash)');
const TEST_TAG = sha256(utf8ToBytes('cairn/test-message/v1'));

/** The 32-byte digest the guardians sign for `request`. */
export function signingDigest(request: SigningRequest): Uint8Array {
  switch (request.type) {
    case 'vault-execute':
      return eip712(
        domainSeparator('Cairn Vault', request.chainId, request.vault),
        keccak(
          EXECUTE,
          addressWord(request.to),
          word(request.value),
          keccak_256(request.data),
          word(request.nonce),
          word(request.minGas),
          uintWord(request.validUntil, 48),
        ),
      );
    case 'vault-user-operation':
      if (request.validUntil === 0) throw new CairnError('BAD_PARAMETERS', 'A user operation needs a deadline (validUntil > 0)');
      return eip712(
        domainSeparator('Cairn Vault', request.chainId, request.vault),
        keccak(USER_OP, userOperationHash(request), uintWord(request.validUntil, 48)),
      );
    case 'vault-message':
      return eip712(domainSeparator('Cairn Vault', request.chainId, request.vault), keccak(MESSAGE, bytes32Word(request.hash)));
    case 'vault-typed-data':
      return eip712(domainSeparator('Cairn Vault', request.chainId, request.vault), keccak(MESSAGE, typedDataHash(parseTypedData(request.typedData))));
    case 'eoa-typed-data':
      return typedDataHash(parseTypedData(request.typedData));
    case 'registry-register':
      return eip712(
        domainSeparator('Cairn Registry', request.chainId, request.registry),
        keccak(REGISTER, word(request.groupKeyX), word(request.groupKeyY), uintWord(request.threshold, 16), bytes32Word(request.guardianSetHash)),
      );
    case 'registry-advance-epoch':
      return eip712(
        domainSeparator('Cairn Registry', request.chainId, request.registry),
        keccak(ADVANCE, bytes32Word(request.walletId), uintWord(request.epoch, 64), uintWord(request.threshold, 16), bytes32Word(request.guardianSetHash)),
      );
    case 'eoa-transaction':
      return eip1559Digest(request);
    case 'eip191-message':
    case 'eoa-message': {
      const prefix = utf8ToBytes(`\x19Ethereum Signed Message:\n${request.message.length}`);
      return keccak(prefix, request.message);
    }
    case 'test-message':
      return sha256(concatBytes(TEST_TAG, TEST_TAG, request.message));
    default: {
      const never: never = request;
      throw new CairnError('BAD_PARAMETERS', `Unknown signing request ${(never as { type: string }).type}`);
    }
  }
}
