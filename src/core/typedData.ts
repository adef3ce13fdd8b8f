/**
 * EIP-712 typed data as the guardians sign it. A request carries the typed data itself, as canonical
 * JSON bytes, never a digest: every device parses those bytes here and recomputes the hash
 * (`typedDataHash`), so what it shows its person is what it signs. The core may not import viem, so
 * the EIP-712 encoding (https://eips.ethereum.org/EIPS/eip-712, `encodeType` / `encodeData` /
 * `hashStruct`) is written out here and tested equal to viem's `hashTypedData`
 * (test/core/typedData.test.ts).
 *
 * Canonical form: `{"types":…,"primaryType":…,"domain":…,"message":…}` with the types sorted by name
 * (EIP712Domain always present, no unused type), each struct's keys in its field order, integers as
 * decimal strings, addresses and bytes as lowercase hex. `parseTypedData` refuses any other spelling,
 * so one typed message has exactly one encoding (one request id).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CairnError } from './errors.ts';
import { hexToBytes } from './encoding.ts';

export type TypedDataField = { name: string; type: string };
/** A JSON value of a typed message after validation: strings, booleans, arrays and objects only. */
export type TypedDataValue = string | boolean | TypedDataValue[] | { [key: string]: TypedDataValue };
export type TypedDataDocument = {
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  domain: Record<string, TypedDataValue>;
  message: Record<string, TypedDataValue>;
};

/** Upper bounds: the bytes in a request, the types, the fields of one type, array items, nesting. */
export const MAX_TYPED_DATA_BYTES = 16 * 1024;
const MAX_TYPES = 32;
const MAX_FIELDS = 48;
const MAX_ARRAY = 256;
const MAX_DEPTH = 8;

/** The EIP712Domain fields EIP-712 defines, in the order the standard lists them. */
const DOMAIN_FIELDS: readonly TypedDataField[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
];

const fail = (why: string): never => {
  throw new CairnError('MALFORMED', `Typed data: ${why}`);
};

// `__proto__` would set an object's prototype instead of a key.
const NAME = /^(?!__proto__$)[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const ARRAY_SUFFIX = /^(.*)\[(\d*)\]$/;
const INT = /^(u?)int(\d{1,3})$/;
const BYTES_N = /^bytes(\d{1,2})$/;
/** Names other implementations read as Solidity types (viem refuses them as struct names): `uint`, `uint7`, `bytes33`. */
const SOLIDITY_LIKE = /^(u?int|bytes)\d*$/;
/** A lone UTF-16 surrogate: it hashes as U+FFFD, so two different strings would hash alike. */
const LONE_SURROGATE = /\p{Cs}/u;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function atomicKind(type: string): 'address' | 'bool' | 'string' | 'bytes' | { bytes: number } | { int: boolean; bits: number } | undefined {
  if (type === 'address' || type === 'bool' || type === 'string' || type === 'bytes') return type;
  const b = BYTES_N.exec(type);
  if (b) {
    const n = Number(b[1]);
    return n >= 1 && n <= 32 && String(n) === b[1] ? { bytes: n } : undefined;
  }
  const i = INT.exec(type);
  if (i) {
    const bits = Number(i[2]);
    return bits >= 8 && bits <= 256 && bits % 8 === 0 && String(bits) === i[2] ? { int: i[1] === '', bits } : undefined;
  }
  return undefined;
}

/** Checks a types table: names, field types that exist, no duplicates, bounded sizes. */
function checkTypes(types: unknown): Record<string, TypedDataField[]> {
  if (!isPlainObject(types)) return fail('"types" must be an object');
  const names = Object.keys(types);
  if (names.length === 0 || names.length > MAX_TYPES) fail(`"types" must define between 1 and ${MAX_TYPES} types`);
  const out: Record<string, TypedDataField[]> = {};
  for (const name of names) {
    if (!NAME.test(name) || atomicKind(name) || SOLIDITY_LIKE.test(name)) fail(`"${name.slice(0, 40)}" is not a valid type name`);
    const fields = types[name];
    if (!Array.isArray(fields) || fields.length > MAX_FIELDS) fail(`type ${name} must list at most ${MAX_FIELDS} fields`);
    const seen = new Set<string>();
    out[name] = (fields as unknown[]).map((f) => {
      if (!isPlainObject(f) || typeof f.name !== 'string' || typeof f.type !== 'string') return fail(`a field of ${name} must be {"name", "type"}`);
      if (!NAME.test(f.name)) fail(`${name} has a field with an invalid name`);
      if (seen.has(f.name)) fail(`${name}.${f.name} is listed twice`);
      seen.add(f.name);
      return { name: f.name, type: f.type };
    });
  }
  for (const [name, fields] of Object.entries(out))
    for (const f of fields) {
      const base = baseType(f.type);
      if (!atomicKind(base) && !Object.hasOwn(out, base)) fail(`${name}.${f.name} has unknown type "${f.type.slice(0, 40)}"`);
      if (base === 'EIP712Domain') fail('EIP712Domain can only be the domain');
    }
  return out;
}

/** `Person[2][]` → `Person`. */
function baseType(type: string): string {
  let t = type;
  for (let m = ARRAY_SUFFIX.exec(t); m; m = ARRAY_SUFFIX.exec(t)) {
    if (m[2] !== '' && (String(Number(m[2])) !== m[2] || Number(m[2]) === 0)) fail(`bad array length in "${type.slice(0, 40)}"`);
    t = m[1]!;
  }
  return t;
}

/** Struct types `primary` uses, itself first and the rest sorted by name (EIP-712 `encodeType`). */
function dependencies(types: Record<string, TypedDataField[]>, primary: string): string[] {
  const found = new Set<string>();
  const visit = (t: string) => {
    if (found.has(t) || !Object.hasOwn(types, t)) return;
    found.add(t);
    for (const f of types[t]!) visit(baseType(f.type));
  };
  visit(primary);
  found.delete(primary);
  return [primary, ...[...found].sort()];
}

function encodeType(types: Record<string, TypedDataField[]>, primary: string): string {
  return dependencies(types, primary)
    .map((t) => `${t}(${types[t]!.map((f) => `${f.type} ${f.name}`).join(',')})`)
    .join('');
}

function word(x: bigint): Uint8Array {
  return hexToBytes(x.toString(16).padStart(64, '0'));
}

/**
 * Checks `value` against `type` and returns its canonical JSON form; `path` names the field in errors.
 * Integers may arrive as decimal strings, 0x strings or safe JSON numbers (as people paste them);
 * the canonical form has decimal strings only.
 */
function normalizeValue(types: Record<string, TypedDataField[]>, type: string, value: unknown, path: string, depth: number): TypedDataValue {
  if (depth > MAX_DEPTH) fail(`${path} is nested too deeply`);
  const array = ARRAY_SUFFIX.exec(type);
  if (array) {
    if (!Array.isArray(value)) return fail(`${path} must be a list`);
    if (value.length > MAX_ARRAY) fail(`${path} has more than ${MAX_ARRAY} items`);
    if (array[2] !== '' && value.length !== Number(array[2])) fail(`${path} must have ${array[2]} items`);
    return value.map((v, i) => normalizeValue(types, array[1]!, v, `${path}[${i}]`, depth + 1));
  }
  if (Object.hasOwn(types, type)) return normalizeStruct(types, type, value, path, depth + 1);
  const kind = atomicKind(type);
  if (kind === 'bool') return typeof value === 'boolean' ? value : fail(`${path} must be true or false`);
  if (kind === 'string') {
    if (typeof value !== 'string') return fail(`${path} must be text`);
    return LONE_SURROGATE.test(value) ? fail(`${path} is not well-formed text (a lone surrogate)`) : value;
  }
  if (kind === 'address') {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) fail(`${path} must be an address (0x and 40 hex digits)`);
    return (value as string).toLowerCase();
  }
  if (kind === 'bytes' || (typeof kind === 'object' && 'bytes' in kind)) {
    if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value)) return fail(`${path} must be hex bytes (0x…)`);
    if (typeof kind === 'object' && value.length !== 2 + 2 * kind.bytes) fail(`${path} must be exactly ${kind.bytes} bytes`);
    return value.toLowerCase();
  }
  if (typeof kind === 'object' && 'int' in kind) {
    let x: bigint;
    if (typeof value === 'number' && Number.isSafeInteger(value)) x = BigInt(value);
    else if (typeof value === 'string' && /^-?(0|[1-9]\d{0,77})$/.test(value)) x = BigInt(value);
    else if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(value)) x = BigInt(value);
    else return fail(`${path} must be a whole number`);
    const max = kind.int ? 1n << BigInt(kind.bits - 1) : 1n << BigInt(kind.bits);
    if (kind.int ? x < -max || x >= max : x < 0n || x >= max) fail(`${path} does not fit in ${type}`);
    return x.toString(10);
  }
  return fail(`${path} has unknown type "${type.slice(0, 40)}"`);
}

function normalizeStruct(types: Record<string, TypedDataField[]>, type: string, value: unknown, path: string, depth: number): Record<string, TypedDataValue> {
  if (!isPlainObject(value)) return fail(`${path} must be an object (${type})`);
  const fields = types[type]!;
  for (const k of Object.keys(value)) if (!fields.some((f) => f.name === k)) fail(`${path} has a field "${k.slice(0, 40)}" that ${type} does not list`);
  const out: Record<string, TypedDataValue> = {};
  for (const f of fields) {
    if (!Object.hasOwn(value, f.name)) fail(`${path}.${f.name} is missing`);
    out[f.name] = normalizeValue(types, f.type, value[f.name], `${path}.${f.name}`, depth);
  }
  return out;
}

/**
 * Validates pasted typed data (a parsed JSON value) and returns its canonical form: EIP712Domain made
 * explicit from the domain's fields when absent, unused types dropped, values normalized.
 */
export function normalizeTypedData(input: unknown): TypedDataDocument {
  if (!isPlainObject(input)) return fail('must be a JSON object with types, primaryType, domain and message');
  for (const k of Object.keys(input))
    if (!['types', 'primaryType', 'domain', 'message'].includes(k)) fail(`unexpected key "${k.slice(0, 40)}" (only types, primaryType, domain, message)`);
  const types = checkTypes(input.types);
  const primaryType = input.primaryType;
  if (typeof primaryType !== 'string' || primaryType === 'EIP712Domain' || !Object.hasOwn(types, primaryType))
    fail('"primaryType" must name one of the types (not EIP712Domain)');
  if (!isPlainObject(input.domain)) fail('"domain" must be an object');
  const domainInput = input.domain as Record<string, unknown>;
  // EIP712Domain: the standard's fields, in its order; given explicitly or implied by the domain's keys.
  const declared = types.EIP712Domain ?? DOMAIN_FIELDS.filter((f) => Object.hasOwn(domainInput, f.name));
  const domainFields = DOMAIN_FIELDS.filter((f) => declared.some((d) => d.name === f.name));
  if (domainFields.length !== declared.length || declared.some((d, i) => d.name !== domainFields[i]!.name || d.type !== domainFields[i]!.type))
    fail('EIP712Domain may list only name, version, chainId, verifyingContract and salt, in that order, with their standard types');
  const all: Record<string, TypedDataField[]> = { ...types, EIP712Domain: domainFields };
  const used = new Set([...dependencies(all, primaryType as string), 'EIP712Domain']);
  const sorted: Record<string, TypedDataField[]> = {};
  for (const name of Object.keys(all).sort()) if (used.has(name)) sorted[name] = all[name]!;
  const domain = normalizeStruct(sorted, 'EIP712Domain', domainInput, 'domain', 0);
  const message = normalizeStruct(sorted, primaryType as string, input.message, 'message', 0);
  return { types: sorted, primaryType: primaryType as string, domain, message };
}

/** The canonical bytes of a typed message (what a request carries). */
export function encodeTypedData(doc: TypedDataDocument): Uint8Array {
  const bytes = utf8ToBytes(JSON.stringify({ types: doc.types, primaryType: doc.primaryType, domain: doc.domain, message: doc.message }));
  if (bytes.length > MAX_TYPED_DATA_BYTES) throw new CairnError('BAD_PARAMETERS', `Typed data is longer than ${MAX_TYPED_DATA_BYTES / 1024} KiB`);
  return bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses a request's typed-data bytes; refuses anything but the canonical encoding (`MALFORMED`). */
export function parseTypedData(bytes: Uint8Array): TypedDataDocument {
  if (bytes.length > MAX_TYPED_DATA_BYTES) fail('too long');
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch {
    return fail('not UTF-8 JSON');
  }
  const doc = normalizeTypedData(json);
  const canonical = encodeTypedData(doc);
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) fail('not in canonical form');
  return doc;
}

function encodeValue(types: Record<string, TypedDataField[]>, type: string, value: TypedDataValue): Uint8Array {
  const array = ARRAY_SUFFIX.exec(type);
  if (array) return keccak_256(concatBytes(...(value as TypedDataValue[]).map((v) => encodeValue(types, array[1]!, v))));
  if (Object.hasOwn(types, type)) return hashStruct(types, type, value as Record<string, TypedDataValue>);
  const kind = atomicKind(type)!;
  if (kind === 'bool') return word(value ? 1n : 0n);
  if (kind === 'string') return keccak_256(utf8ToBytes(value as string));
  if (kind === 'address') return word(BigInt(value as string));
  if (kind === 'bytes') return keccak_256(hexToBytes((value as string).slice(2)));
  if ('bytes' in kind) {
    const out = new Uint8Array(32);
    out.set(hexToBytes((value as string).slice(2)));
    return out;
  }
  const x = BigInt(value as string);
  return word(x < 0n ? (1n << 256n) + x : x); // two's complement, as abi.encode does
}

function hashStruct(types: Record<string, TypedDataField[]>, type: string, value: Record<string, TypedDataValue>): Uint8Array {
  const parts: Uint8Array[] = [keccak_256(utf8ToBytes(encodeType(types, type)))];
  for (const f of types[type]!) parts.push(encodeValue(types, f.type, value[f.name]!));
  return keccak_256(concatBytes(...parts));
}

/** keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)) of a validated document. */
export function typedDataHash(doc: TypedDataDocument): Uint8Array {
  return keccak_256(
    concatBytes(Uint8Array.of(0x19, 0x01), hashStruct(doc.types, 'EIP712Domain', doc.domain), hashStruct(doc.types, doc.primaryType, doc.message)),
  );
}
