/**
 * Body of a `request` log entry: which epoch's key signs, and the typed `SigningRequest` (never raw
 * bytes to sign: the core hashes the typed request with its own domain). Canonical, bounded.
 *
 *     v u8 = 1 ‖ epoch u32 ‖ type u8 ‖ fields (uint256 as 32 bytes, addresses 20, bytes var32)
 *
 * Typed data (EIP-712) is carried as its canonical JSON (≤ 16 KiB, src/core/typedData.ts) and parsed on
 * decode, so no device accepts a request whose digest it couldn't recompute.
 */
import { MAX_TYPED_DATA_BYTES, parseTypedData, type Address, type Bytes32, type SigningRequest } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { CairnError } from '../core/index.ts';

const TYPES = [
  'vault-execute',
  'vault-message',
  'registry-register',
  'registry-advance-epoch',
  'eip191-message',
  'test-message',
  'eoa-transaction',
  'eoa-message',
  'vault-user-operation',
  'vault-typed-data',
  'eoa-typed-data',
] as const;
const MAX_DATA = 32 * 1024;
/** initCode (factory ‖ createVault args) and paymasterAndData are short; bound them tightly. */
const MAX_AUX = 1024;
const MAX_UINT48 = 2 ** 48 - 1;

export type RequestBody = { epoch: number; request: SigningRequest };

const u256 = (w: ByteWriter, v: bigint) => {
  if (typeof v !== 'bigint' || v < 0n || v >= 1n << 256n) throw new CairnError('BAD_PARAMETERS', 'Value does not fit in 256 bits');
  return w.bytes(hexToBytesStrict(v.toString(16).padStart(64, '0'), 'uint256', 32));
};
const addr = (w: ByteWriter, a: Address) => w.bytes(hexToBytesStrict(a.toLowerCase().slice(2), 'address', 20));
const b32 = (w: ByteWriter, b: Bytes32) => w.bytes(hexToBytesStrict(b.toLowerCase().slice(2), 'bytes32', 32));
const callData = (w: ByteWriter, b: Uint8Array) => {
  if (b.length > MAX_DATA) throw new CairnError('BAD_PARAMETERS', 'Call data is too long');
  return w.var32(b);
};
const aux = (w: ByteWriter, b: Uint8Array) => {
  if (b.length > MAX_AUX) throw new CairnError('BAD_PARAMETERS', 'Init code or paymaster data is too long');
  return w.var32(b);
};
const validUntil = (v: number) => {
  if (!Number.isSafeInteger(v) || v <= 0 || v > MAX_UINT48) throw new CairnError('BAD_PARAMETERS', 'validUntil must be a uint48 deadline');
  return v;
};
const readValidUntil = (r: ByteReader) => {
  const v = r.u64('validUntil');
  if (v === 0 || v > MAX_UINT48) throw r.malformed('validUntil is not a uint48 deadline');
  return v;
};
/** Typed data travels as its canonical JSON; every reader parses it (a garbled one is MALFORMED). */
const typedData = (w: ByteWriter, b: Uint8Array) => {
  parseTypedData(b);
  return w.var32(b);
};
const readTypedData = (r: ByteReader) => {
  const b = r.var32('typedData', MAX_TYPED_DATA_BYTES);
  try {
    parseTypedData(b);
  } catch (err) {
    throw r.malformed(err instanceof CairnError ? err.shortMessage : 'typed data');
  }
  return b;
};
const readU256 = (r: ByteReader, f: string) => BigInt('0x' + toHex(r.bytes(32, f)));
const readAddr = (r: ByteReader, f: string) => `0x${toHex(r.bytes(20, f))}` as Address;
const readB32 = (r: ByteReader, f: string) => `0x${toHex(r.bytes(32, f))}` as Bytes32;

export function encodeRequestBody({ epoch, request: q }: RequestBody): Uint8Array {
  const w = new ByteWriter().u8(1).u32(epoch).u8(TYPES.indexOf(q.type));
  switch (q.type) {
    case 'vault-execute':
      u256(w, q.chainId);
      addr(w, q.vault);
      addr(w, q.to);
      u256(w, q.value);
      callData(w, q.data);
      u256(w, q.nonce);
      u256(w, q.minGas);
      w.u64(validUntil(q.validUntil));
      break;
    case 'vault-user-operation':
      u256(w, q.chainId);
      addr(w, q.entryPoint);
      addr(w, q.vault);
      u256(w, q.nonce);
      aux(w, q.initCode);
      addr(w, q.to);
      u256(w, q.value);
      callData(w, q.data);
      for (const g of [q.callGasLimit, q.verificationGasLimit, q.preVerificationGas, q.maxFeePerGas, q.maxPriorityFeePerGas]) u256(w, g);
      aux(w, q.paymasterAndData);
      w.u64(validUntil(q.validUntil));
      break;
    case 'vault-message':
      u256(w, q.chainId);
      addr(w, q.vault);
      b32(w, q.hash);
      break;
    case 'vault-typed-data':
      u256(w, q.chainId);
      addr(w, q.vault);
      typedData(w, q.typedData);
      break;
    case 'eoa-typed-data':
      typedData(w, q.typedData);
      break;
    case 'registry-register':
      u256(w, q.chainId);
      addr(w, q.registry);
      u256(w, q.groupKeyX);
      u256(w, q.groupKeyY);
      w.u16(q.threshold);
      b32(w, q.guardianSetHash);
      break;
    case 'registry-advance-epoch':
      u256(w, q.chainId);
      addr(w, q.registry);
      b32(w, q.walletId);
      u256(w, q.epoch);
      w.u16(q.threshold);
      b32(w, q.guardianSetHash);
      break;
    case 'eoa-transaction':
      u256(w, q.chainId);
      u256(w, q.nonce);
      addr(w, q.to);
      u256(w, q.value);
      callData(w, q.data);
      u256(w, q.gas);
      u256(w, q.maxFeePerGas);
      u256(w, q.maxPriorityFeePerGas);
      break;
    case 'eip191-message':
    case 'eoa-message':
    case 'test-message':
      if (q.message.length > MAX_DATA) throw new CairnError('BAD_PARAMETERS', 'Message is too long');
      w.var32(q.message);
      break;
  }
  return w.finish();
}

/** Decodes a request body; throws only `CairnError('MALFORMED')`. */
export function decodeRequestBody(bytes: Uint8Array): RequestBody {
  const r = new ByteReader(bytes, 'signing request');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const epoch = r.u32('epoch');
  const type = TYPES[r.u8('type')];
  let request: SigningRequest;
  switch (type) {
    case 'vault-execute':
      request = {
        type,
        chainId: readU256(r, 'chainId'),
        vault: readAddr(r, 'vault'),
        to: readAddr(r, 'to'),
        value: readU256(r, 'value'),
        data: r.var32('data', MAX_DATA),
        nonce: readU256(r, 'nonce'),
        minGas: readU256(r, 'minGas'),
        validUntil: readValidUntil(r),
      };
      break;
    case 'vault-user-operation':
      request = {
        type,
        chainId: readU256(r, 'chainId'),
        entryPoint: readAddr(r, 'entryPoint'),
        vault: readAddr(r, 'vault'),
        nonce: readU256(r, 'nonce'),
        initCode: r.var32('initCode', MAX_AUX),
        to: readAddr(r, 'to'),
        value: readU256(r, 'value'),
        data: r.var32('data', MAX_DATA),
        callGasLimit: readU256(r, 'callGasLimit'),
        verificationGasLimit: readU256(r, 'verificationGasLimit'),
        preVerificationGas: readU256(r, 'preVerificationGas'),
        maxFeePerGas: readU256(r, 'maxFeePerGas'),
        maxPriorityFeePerGas: readU256(r, 'maxPriorityFeePerGas'),
        paymasterAndData: r.var32('paymasterAndData', MAX_AUX),
        validUntil: readValidUntil(r),
      };
      break;
    case 'vault-message':
      request = { type, chainId: readU256(r, 'chainId'), vault: readAddr(r, 'vault'), hash: readB32(r, 'hash') };
      break;
    case 'vault-typed-data':
      request = { type, chainId: readU256(r, 'chainId'), vault: readAddr(r, 'vault'), typedData: readTypedData(r) };
      break;
    case 'eoa-typed-data':
      request = { type, typedData: readTypedData(r) };
      break;
    case 'registry-register':
      request = {
        type,
        chainId: readU256(r, 'chainId'),
        registry: readAddr(r, 'registry'),
        groupKeyX: readU256(r, 'groupKeyX'),
        groupKeyY: readU256(r, 'groupKeyY'),
        threshold: r.u16('threshold'),
        guardianSetHash: readB32(r, 'guardianSetHash'),
      };
      break;
    case 'registry-advance-epoch':
      request = {
        type,
        chainId: readU256(r, 'chainId'),
        registry: readAddr(r, 'registry'),
        walletId: readB32(r, 'walletId'),
        epoch: readU256(r, 'epoch'),
        threshold: r.u16('threshold'),
        guardianSetHash: readB32(r, 'guardianSetHash'),
      };
      break;
    case 'eoa-transaction':
      request = {
        type,
        chainId: readU256(r, 'chainId'),
        nonce: readU256(r, 'nonce'),
        to: readAddr(r, 'to'),
        value: readU256(r, 'value'),
        data: r.var32('data', MAX_DATA),
        gas: readU256(r, 'gas'),
        maxFeePerGas: readU256(r, 'maxFeePerGas'),
        maxPriorityFeePerGas: readU256(r, 'maxPriorityFeePerGas'),
      };
      break;
    case 'eip191-message':
    case 'eoa-message':
    case 'test-message':
      request = { type, message: r.var32('message', MAX_DATA) };
      break;
    default:
      throw r.malformed('unknown request type');
  }
  r.end();
  return { epoch, request };
}

/** Approval / denial bodies: `v ‖ requestId (32)` and `v ‖ requestId ‖ reason str16 (≤ 200)`. */
export function encodeApproval(requestId: string): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(requestId, 'request id', 32))
    .finish();
}

export function decodeApproval(bytes: Uint8Array): string {
  const r = new ByteReader(bytes, 'approval');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const id = toHex(r.bytes(32, 'request id'));
  r.end();
  return id;
}

export function encodeDenial(requestId: string, reason: string): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(requestId, 'request id', 32))
    .str16(reason.slice(0, 200))
    .finish();
}

export function decodeDenial(bytes: Uint8Array): { requestId: string; reason: string } {
  const r = new ByteReader(bytes, 'denial');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const requestId = toHex(r.bytes(32, 'request id'));
  const reason = r.str16('reason', 800);
  r.end();
  return { requestId, reason };
}

/** The log kind of a signer-set announcement (see signingCoordinator.ts). */
export const QUORUM_LOG_KIND = 'signing-quorum';

/** Quorum announcement body: `v ‖ requestId (32) ‖ signers (u16 count, 33-byte device keys)`. */
export function encodeQuorum(requestId: string, signers: readonly string[]): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(requestId, 'request id', 32))
    .list(signers, (w, k) => w.bytes(hexToBytesStrict(k, 'signer', 33)))
    .finish();
}

export function decodeQuorum(bytes: Uint8Array): { requestId: string; signers: string[] } {
  const r = new ByteReader(bytes, 'signing quorum');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const requestId = toHex(r.bytes(32, 'request id'));
  const signers = r.list((r) => toHex(r.bytes(33, 'signer')), { max: 100 });
  r.end();
  if (new Set(signers).size !== signers.length) throw r.malformed('a signer is listed twice');
  return { requestId, signers };
}
