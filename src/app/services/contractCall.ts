/**
 * A contract call as a person builds it: a target, an ABI (pasted, or one the app knows), a function
 * that changes something (not a view), one typed argument per input and an ETH value. Everything a
 * person types is parsed per Solidity type here, with errors that name the argument; the call data is
 * made by viem's `encodeFunctionData`. The approvers decode the data again on their own devices
 * (`decodeCall`), against the ABIs this app knows.
 */
import {
  decodeFunctionData,
  encodeFunctionData,
  erc1155Abi,
  erc20Abi,
  erc721Abi,
  getAddress,
  isAddress,
  parseEther,
  toFunctionSelector,
  toFunctionSignature,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Hex,
} from 'viem';
import { cairnRegistryAbi } from '../../chain/generated/CairnRegistry.ts';
import { cairnTestTokenAbi } from '../../chain/generated/CairnTestToken.ts';
import { cairnVaultAbi } from '../../chain/generated/CairnVault.ts';
import { cairnVaultFactoryAbi } from '../../chain/generated/CairnVaultFactory.ts';

export type KnownAbi = { id: string; label: string; abi: Abi };

/** The ABIs every device decodes with, most common first (ERC-20 before ERC-721: they share `approve`). */
export const KNOWN_ABIS: readonly KnownAbi[] = [
  { id: 'erc20', label: 'Token (ERC-20)', abi: erc20Abi },
  { id: 'erc721', label: 'NFT collection (ERC-721)', abi: erc721Abi },
  { id: 'erc1155', label: 'Multi-token (ERC-1155)', abi: erc1155Abi },
  { id: 'cairn-vault', label: 'This wallet’s vault', abi: cairnVaultAbi },
  { id: 'cairn-registry', label: 'Cairn registry', abi: cairnRegistryAbi },
  { id: 'cairn-vault-factory', label: 'Cairn vault factory', abi: cairnVaultFactoryAbi },
  { id: 'cairn-test-token', label: 'Test token (CTT)', abi: cairnTestTokenAbi },
];

/** A pasted ABI larger than this is refused (a whole contract's ABI is a few KiB). */
const MAX_ABI_CHARS = 200_000;

/** A function that changes state (what a request is for); views and pure functions need no signature. */
const isWritable = (item: unknown): item is AbiFunction =>
  typeof item === 'object' &&
  item !== null &&
  (item as AbiFunction).type === 'function' &&
  (item as AbiFunction).stateMutability !== 'view' &&
  (item as AbiFunction).stateMutability !== 'pure';

/** The writable functions of an ABI, each with its signature (overloads stay apart). */
export function writableFunctions(abi: Abi): { signature: string; item: AbiFunction }[] {
  return abi.filter(isWritable).map((item) => ({ signature: toFunctionSignature(item), item }));
}

/** A pasted ABI (a JSON array, or a build artifact's `{ "abi": [...] }`) with at least one function to call. */
export function parseAbiJson(text: string): Abi {
  if (text.length > MAX_ABI_CHARS) throw new Error('This ABI is too long (more than 200,000 characters).');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('The ABI is not valid JSON. Paste the JSON list of the contract’s functions.');
  }
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { abi?: unknown }).abi)
      ? (json as { abi: unknown[] }).abi
      : undefined;
  if (!list) throw new Error('The ABI must be a JSON list of functions (or an object with an "abi" list).');
  const functions = list.filter(isWritable).filter((f) => {
    try {
      toFunctionSignature(f); // throws on a malformed name or parameter
      return typeof f.name === 'string' && Array.isArray(f.inputs);
    } catch {
      return false;
    }
  });
  if (functions.length === 0) throw new Error('This ABI has no function that changes anything (only views, or none at all).');
  return functions as Abi;
}

/** One argument, typed by a person, as the value viem encodes for `param`; errors name the argument. */
export function parseArgument(param: AbiParameter, text: string, index: number): unknown {
  const label = `${param.name || `argument ${index + 1}`} (${param.type})`;
  try {
    return parseValue(param, text.trim());
  } catch (err) {
    throw new Error(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseValue(param: AbiParameter, text: string): unknown {
  const type = param.type;
  if (type.endsWith(']') || type === 'tuple') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(type === 'tuple' ? 'type a JSON list of the fields, like ["0x…", 5]' : 'type a JSON list, like ["0x…", "0x…"]');
    }
    return fromJson(param, json);
  }
  return fromJson(param, text);
}

/** A JSON value (or typed text) as viem's value for `param`; lists and tuples recurse. */
function fromJson(param: AbiParameter, v: unknown): unknown {
  const type = param.type;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    if (!Array.isArray(v)) throw new Error('expected a list');
    if (array[2] && v.length !== Number(array[2])) throw new Error(`expected exactly ${array[2]} items`);
    return v.map((x) => fromJson({ ...param, type: array[1]! } as AbiParameter, x));
  }
  if (type === 'tuple') {
    const components = (param as { components?: readonly AbiParameter[] }).components ?? [];
    if (!Array.isArray(v) || v.length !== components.length) throw new Error(`expected a list of ${components.length} fields`);
    return components.map((c, i) => fromJson(c, v[i]));
  }
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (s === undefined) throw new Error('expected a single value');
  if (type === 'address') {
    if (!isAddress(s, { strict: false })) throw new Error('not an address (0x followed by 40 hex digits)');
    if (!isAddress(s, { strict: true })) throw new Error('wrong checksum (its capital letters do not match): a character is probably mistyped');
    return getAddress(s);
  }
  if (type === 'bool') {
    if (s === 'true' || s === 'false') return s === 'true';
    throw new Error('type true or false');
  }
  if (type === 'string') return s;
  if (type === 'bytes' || /^bytes\d+$/.test(type)) {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(s)) throw new Error('type hex bytes, like 0x1234');
    const n = Number(type.slice(5));
    if (n && s.length !== 2 + 2 * n) throw new Error(`type exactly ${n} bytes (${2 * n} hex digits after 0x)`);
    return s as Hex;
  }
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int) {
    const bits = BigInt(int[2] || 256);
    let x: bigint;
    if (int[1] === 'u' && /^max$/i.test(s)) x = (1n << bits) - 1n;
    else if (/^-?\d+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s)) x = BigInt(s);
    else throw new Error(int[1] ? 'type a whole number of the smallest unit (no decimal point), or "max"' : 'type a whole number');
    const [min, max] = int[1] ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    if (x < min || x > max) throw new Error(`out of range for ${type}`);
    return x;
  }
  throw new Error('this type is not supported here');
}

/** ETH value typed by a person ("0", "0.5", "0,5"). */
export function parseEthValue(text: string): bigint {
  const typed = /^\d+,\d+$/.test(text.trim()) ? text.trim().replace(',', '.') : text.trim() || '0';
  if (!/^\d+(\.\d{1,18})?$/.test(typed)) throw new Error('The ETH amount must be a number like 0 or 0.5.');
  return parseEther(typed);
}

/** The call data for `item` with the typed arguments. */
export function encodeCall(item: AbiFunction, texts: readonly string[]): Hex {
  const args = item.inputs.map((p, i) => parseArgument(p, texts[i] ?? '', i));
  return encodeFunctionData({ abi: [item], functionName: item.name, args } as Parameters<typeof encodeFunctionData>[0]);
}

export type DecodedCall = { abi: KnownAbi; item: AbiFunction; args: readonly unknown[] };

/** Call data decoded with the first known ABI that reads it, or undefined ("unknown contract call"). */
export function decodeCall(data: Hex): DecodedCall | undefined {
  if (data.length < 10) return undefined;
  for (const abi of KNOWN_ABIS) {
    try {
      const { functionName, args } = decodeFunctionData({ abi: abi.abi, data });
      const selector = data.slice(0, 10).toLowerCase();
      const item = abi.abi.find((i): i is AbiFunction => i.type === 'function' && i.name === functionName && functionSelectorOf(i) === selector);
      if (item) return { abi, item, args: args ?? [] };
    } catch {
      // not this ABI (or data garbled past the selector): try the next
    }
  }
  return undefined;
}

const functionSelectorOf = (i: AbiFunction) => toFunctionSelector(i).toLowerCase();
