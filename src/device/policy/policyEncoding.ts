/**
 * Canonical encoding of a guardian's policy for publishing to the request log, so the other
 * guardians see it: UTF-8 JSON with a fixed key order, amounts as decimal strings, addresses in
 * EIP-55 checksum form, lists sorted and free of duplicates. `decodePolicy` validates every field
 * and re-encodes: input that is valid but not canonical is refused too (one policy, one encoding).
 */
import { getAddress, isAddress } from 'viem';
import { CairnError, type CairnErrorCode } from '../../core/errors.ts';
import { assetKey } from './assets.ts';
import { isValidZone } from './localTime.ts';
import type { Address, Asset, DailyLimit, GuardianPolicy, TimeLock, Weekday, WorkingHours } from './types.ts';

export const MAX_POLICY_BYTES = 64 * 1024;
export const MAX_POLICY_LIST = 256;
const MAX_UINT256 = (1n << 256n) - 1n;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Checker {
  constructor(
    private readonly code: CairnErrorCode,
    private readonly culprits: readonly string[],
  ) {}

  fail(what: string): never {
    throw new CairnError(this.code, `Invalid policy: ${what}`, { culprits: this.culprits });
  }

  object(v: unknown, keys: readonly string[], field: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${field} must be an object`);
    const got = Object.keys(v);
    if (got.length !== keys.length || !keys.every((k) => Object.hasOwn(v, k))) this.fail(`${field} must have exactly the fields ${keys.join(', ')}`);
    return v as Record<string, unknown>;
  }

  list(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${field} must be a list`);
    if (v.length > MAX_POLICY_LIST) this.fail(`${field} has more than ${MAX_POLICY_LIST} entries`);
    return v;
  }

  int(v: unknown, min: number, max: number, field: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(`${field} must be an integer in [${min}, ${max}]`);
    return v;
  }

  amount(v: unknown, field: string): bigint {
    if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(v)) this.fail(`${field} must be a decimal amount`);
    const x = BigInt(v);
    if (x > MAX_UINT256) this.fail(`${field} exceeds 2^256 − 1`);
    return x;
  }

  address(v: unknown, field: string): Address {
    if (typeof v !== 'string' || !isAddress(v, { strict: false })) this.fail(`${field} must be an address`);
    return getAddress(v);
  }

  asset(v: unknown, field: string): Asset {
    if (v === 'ETH') return 'ETH';
    const o = this.object(v, ['address', 'decimals', 'symbol'], field);
    const symbol = o.symbol;
    if (typeof symbol !== 'string' || !/^[\x21-\x7e]{1,32}$/.test(symbol)) this.fail(`${field}.symbol must be 1..32 printable ASCII characters`);
    return { address: this.address(o.address, `${field}.address`), decimals: this.int(o.decimals, 0, 77, `${field}.decimals`), symbol };
  }

  addresses(v: unknown, field: string): Address[] {
    const list = this.list(v, field).map((a, i) => this.address(a, `${field}[${i}]`));
    const sorted = [...list].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase()));
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.toLowerCase() === sorted[i - 1]!.toLowerCase()) this.fail(`${field} lists ${sorted[i]} twice`);
    return sorted;
  }

  time(v: unknown, field: string, allow24: boolean): string {
    if (typeof v !== 'string' || !(/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v) || (allow24 && v === '24:00'))) this.fail(`${field} must be "HH:MM"`);
    return v;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const POLICY_KEYS = ['v', 'guardian', 'seq', 'dailyLimits', 'allowList', 'denyList', 'timeLocks', 'workingHours'] as const;

function readPolicy(json: unknown, c: Checker): GuardianPolicy {
  // v2 adds one field, the key-change delay; v1 (without it) stays valid so published policies still read.
  const version = typeof json === 'object' && json !== null && (json as { v?: unknown }).v === 2 ? 2 : 1;
  const o = c.object(json, version === 2 ? [...POLICY_KEYS, 'keyChangeDelayHours'] : POLICY_KEYS, 'policy');
  if (o.v !== version) c.fail('unknown version');
  const keyChangeDelayHours = version === 2 ? c.int(o.keyChangeDelayHours, 1, 24 * 365, 'keyChangeDelayHours') : undefined;
  if (typeof o.guardian !== 'string' || !/^[0-9a-f]{64}$/.test(o.guardian)) c.fail('guardian must be a 64-hex identifier');
  const seq = c.int(o.seq, 0, Number.MAX_SAFE_INTEGER, 'seq');

  const dailyLimits: DailyLimit[] = c
    .list(o.dailyLimits, 'dailyLimits')
    .map((l, i) => {
      const e = c.object(l, ['asset', 'max'], `dailyLimits[${i}]`);
      return { asset: c.asset(e.asset, `dailyLimits[${i}].asset`), max: c.amount(e.max, `dailyLimits[${i}].max`) };
    })
    .sort((a, b) => cmp(assetKey(a.asset), assetKey(b.asset)));
  for (let i = 1; i < dailyLimits.length; i++)
    if (assetKey(dailyLimits[i]!.asset) === assetKey(dailyLimits[i - 1]!.asset)) c.fail('two daily limits for one asset');

  const timeLocks: TimeLock[] = c
    .list(o.timeLocks, 'timeLocks')
    .map((l, i) => {
      const e = c.object(l, ['asset', 'above', 'delayHours'], `timeLocks[${i}]`);
      return {
        asset: c.asset(e.asset, `timeLocks[${i}].asset`),
        above: c.amount(e.above, `timeLocks[${i}].above`),
        delayHours: c.int(e.delayHours, 1, 24 * 365, `timeLocks[${i}].delayHours`),
      };
    })
    .sort((a, b) => cmp(assetKey(a.asset), assetKey(b.asset)) || (a.above < b.above ? -1 : a.above > b.above ? 1 : 0));
  for (let i = 1; i < timeLocks.length; i++)
    if (assetKey(timeLocks[i]!.asset) === assetKey(timeLocks[i - 1]!.asset) && timeLocks[i]!.above === timeLocks[i - 1]!.above)
      c.fail('two time locks with the same asset and amount');

  let workingHours: WorkingHours | null = null;
  if (o.workingHours !== null) {
    const w = c.object(o.workingHours, ['days', 'start', 'end', 'zone'], 'workingHours');
    const days = c.list(w.days, 'workingHours.days').map((d, i) => c.int(d, 0, 6, `workingHours.days[${i}]`) as Weekday);
    const sortedDays = [...new Set(days)].sort((a, b) => a - b);
    if (!sortedDays.length || sortedDays.length !== days.length) c.fail('workingHours.days must list distinct weekdays');
    const start = c.time(w.start, 'workingHours.start', false);
    const end = c.time(w.end, 'workingHours.end', true);
    if (end <= start) c.fail('workingHours.end must be after start (no overnight windows)');
    if (typeof w.zone !== 'string' || w.zone.length > 64 || !isValidZone(w.zone)) c.fail('workingHours.zone must be an IANA zone or ±HH:MM');
    workingHours = { days: sortedDays, start, end, zone: w.zone };
  }

  return {
    v: version,
    guardian: o.guardian,
    seq,
    dailyLimits,
    allowList: o.allowList === null ? null : c.addresses(o.allowList, 'allowList'),
    denyList: c.addresses(o.denyList, 'denyList'),
    timeLocks,
    workingHours,
    ...(keyChangeDelayHours ? { keyChangeDelayHours } : {}),
  };
}

const assetJson = (a: Asset): Json => (a === 'ETH' ? 'ETH' : { address: a.address, decimals: a.decimals, symbol: a.symbol });
const str = (x: unknown): Json => (typeof x === 'bigint' ? x.toString() : (x as Json));

/** The JSON shape in canonical key order (tolerant of bad input: the reader judges it). */
function toJson(p: GuardianPolicy): Json {
  const delay: { [k: string]: Json } = p.keyChangeDelayHours ? { keyChangeDelayHours: p.keyChangeDelayHours } : {};
  return {
    v: p.keyChangeDelayHours ? 2 : 1,
    guardian: p.guardian,
    seq: p.seq,
    dailyLimits: (p.dailyLimits ?? []).map((l) => ({ asset: assetJson(l.asset), max: str(l.max) })),
    allowList: p.allowList,
    denyList: p.denyList,
    timeLocks: (p.timeLocks ?? []).map((l) => ({ asset: assetJson(l.asset), above: str(l.above), delayHours: l.delayHours })),
    workingHours: p.workingHours && { days: p.workingHours.days, start: p.workingHours.start, end: p.workingHours.end, zone: p.workingHours.zone },
    ...delay,
  };
}

/** Validates a policy and returns its canonical form (sorted lists, checksummed addresses). */
export function normalizePolicy(policy: GuardianPolicy): GuardianPolicy {
  const c = new Checker('BAD_PARAMETERS', []);
  let json: Json;
  try {
    json = toJson(policy);
  } catch {
    return c.fail('not a policy object');
  }
  return readPolicy(json, c);
}

export function encodePolicy(policy: GuardianPolicy): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(toJson(normalizePolicy(policy))));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a published policy. `sender`, when given, is the authenticated publisher: it is named in
 * every error and must be the guardian the policy belongs to.
 */
export function decodePolicy(bytes: Uint8Array, sender?: string): GuardianPolicy {
  const culprits = sender === undefined ? [] : [sender];
  const c = new Checker('MALFORMED', culprits);
  if (!(bytes instanceof Uint8Array)) c.fail('must be bytes');
  if (bytes.length > MAX_POLICY_BYTES) c.fail(`larger than ${MAX_POLICY_BYTES} bytes`);
  let text: string;
  let json: unknown;
  try {
    text = strictUtf8.decode(bytes);
    json = JSON.parse(text);
  } catch {
    return c.fail('not UTF-8 JSON');
  }
  const policy = readPolicy(json, c);
  if (JSON.stringify(toJson(policy)) !== text) c.fail('not in canonical form');
  if (sender !== undefined && policy.guardian !== sender) c.fail('published by another guardian than it names');
  return policy;
}
