/**
 * The canonical policy encoding published to the log: round trips, one encoding per policy,
 * strict validation on decode (fuzzed: only CairnError), and the publisher named in errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.ts';
import { decodePolicy, encodePolicy, normalizePolicy, type GuardianPolicy } from '../../../src/device/policy/index.ts';
import { ALICE, BOB, GUARDIAN, MALLORY, USDC, eth, makePolicy, usdc } from './fixtures.ts';

const full: GuardianPolicy = makePolicy({
  seq: 7,
  dailyLimits: [
    { asset: USDC, max: usdc(1000) },
    { asset: 'ETH', max: eth(1) },
  ],
  allowList: [BOB, ALICE.toLowerCase() as `0x${string}`],
  denyList: [MALLORY],
  timeLocks: [
    { asset: 'ETH', above: eth(5), delayHours: 72 },
    { asset: 'ETH', above: eth(0.5), delayHours: 24 },
  ],
  workingHours: { days: [5, 1, 2, 3, 4], start: '09:00', end: '17:30', zone: 'Europe/Berlin' },
});
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

function expectCairn(fn: () => unknown, code: string): CairnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe(code);
    return err as CairnError;
  }
  throw new Error(`expected CairnError ${code}`);
}

describe('policy encoding', () => {
  it('round-trips to the normalized policy and re-encodes to the same bytes', () => {
    const encoded = encodePolicy(full);
    const decoded = decodePolicy(encoded, GUARDIAN);
    expect(decoded).toEqual(normalizePolicy(full));
    expect(encodePolicy(decoded)).toEqual(encoded);
  });

  it('is canonical: sorted lists, checksummed addresses, amounts as decimal strings, fixed key order', () => {
    const json = text(encodePolicy(full));
    expect(
      json.startsWith(
        `{"v":1,"guardian":"${GUARDIAN}","seq":7,"dailyLimits":[{"asset":{"address":"${USDC.address}","decimals":6,"symbol":"USDC"},"max":"1000000000"},{"asset":"ETH","max":"${eth(1)}"}],`,
      ),
    ).toBe(true);
    const p = JSON.parse(json);
    expect(p.allowList).toEqual([ALICE, BOB]);
    expect(p.timeLocks.map((l: { above: string }) => l.above)).toEqual([eth(0.5).toString(), eth(5).toString()]);
    expect(p.workingHours.days).toEqual([1, 2, 3, 4, 5]);
    // Two differently ordered but equal policies encode identically.
    const shuffled = {
      ...full,
      allowList: [...full.allowList!].reverse(),
      timeLocks: [...full.timeLocks].reverse(),
      dailyLimits: [...full.dailyLimits].reverse(),
    };
    expect(encodePolicy(shuffled)).toEqual(encodePolicy(full));
  });

  it('refuses valid but non-canonical bytes', () => {
    const json = text(encodePolicy(full));
    const variants = [
      json.replace('{"v":1,', '{ "v":1,'), // whitespace
      json.replace(USDC.address, USDC.address.toLowerCase()), // not checksummed
      json.replace(`"allowList":["${ALICE}","${BOB}"]`, `"allowList":["${BOB}","${ALICE}"]`), // unsorted
      json.replace('"days":[1,2,3,4,5]', '"days":[2,1,3,4,5]'), // unsorted days
      json.replace('{"v":1,"guardian"', '{"guardian"').replace(`"seq":7`, `"seq":7,"v":1`), // key order
    ];
    for (const v of variants) {
      expect(v).not.toBe(json);
      expectCairn(() => decodePolicy(bytes(v)), 'MALFORMED');
    }
  });

  it('refuses invalid fields on decode (MALFORMED) and on encode (BAD_PARAMETERS)', () => {
    const bad: Partial<GuardianPolicy>[] = [
      {
        dailyLimits: [
          { asset: 'ETH', max: eth(1) },
          { asset: 'ETH', max: eth(2) },
        ],
      },
      { dailyLimits: [{ asset: 'ETH', max: -1n }] },
      { dailyLimits: [{ asset: 'ETH', max: 1n << 256n }] },
      { timeLocks: [{ asset: 'ETH', above: 0n, delayHours: 0 }] },
      { timeLocks: [{ asset: 'ETH', above: 0n, delayHours: 1.5 }] },
      { denyList: ['0x1234' as `0x${string}`] },
      { denyList: [ALICE, ALICE.toLowerCase() as `0x${string}`] },
      { workingHours: { days: [1], start: '17:00', end: '09:00', zone: 'UTC' } },
      { workingHours: { days: [1], start: '09:00', end: '17:00', zone: 'Mars/Olympus' } },
      { workingHours: { days: [1], start: '09:00', end: '17:00', zone: '+15:00' } },
      { workingHours: { days: [], start: '09:00', end: '17:00', zone: 'UTC' } },
      { workingHours: { days: [1, 1], start: '09:00', end: '17:00', zone: 'UTC' } },
      { workingHours: { days: [7 as 1], start: '09:00', end: '17:00', zone: 'UTC' } },
      { workingHours: { days: [1], start: '9:00', end: '17:00', zone: 'UTC' } },
      { guardian: 'AB'.repeat(32) },
      { seq: -1 },
      { dailyLimits: [{ asset: { ...USDC, symbol: '' }, max: 1n }] },
      { dailyLimits: [{ asset: { ...USDC, decimals: 300 }, max: 1n }] },
    ];
    for (const over of bad) {
      const p = makePolicy(over);
      expectCairn(() => encodePolicy(p), 'BAD_PARAMETERS');
      // Hand-build the JSON the way a hostile publisher would and check decode refuses it too.
      const json = JSON.stringify(p, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      expectCairn(() => decodePolicy(bytes(json)), 'MALFORMED');
    }
  });

  it('names the publisher, and refuses a policy that names another guardian', () => {
    const other = 'cd'.repeat(32);
    const e = expectCairn(() => decodePolicy(encodePolicy(full), other), 'MALFORMED');
    expect(e.culprits).toEqual([other]);
    expect(expectCairn(() => decodePolicy(bytes('{'), other), 'MALFORMED').culprits).toEqual([other]);
  });

  it('refuses oversize input before parsing', () => {
    expectCairn(() => decodePolicy(new Uint8Array(64 * 1024 + 1).fill(0x20)), 'MALFORMED');
  });
});

describe('policy decoding, fuzzed', () => {
  const onlyCairn = (fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch (err) {
      if (!(err instanceof CairnError)) throw err;
      return false;
    }
  };

  it('random bytes: only CairnError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void onlyCairn(() => decodePolicy(b))),
      { numRuns: 1000 },
    );
  });

  it('random JSON values: only CairnError', () => {
    fc.assert(
      fc.property(fc.json(), (j) => void onlyCairn(() => decodePolicy(bytes(j)))),
      { numRuns: 1000 },
    );
  });

  it('random JSON in the policy shape: only CairnError; whatever decodes re-encodes to the same bytes', () => {
    const shaped = fc.record({
      v: fc.oneof(fc.constant(1), fc.jsonValue()),
      guardian: fc.oneof(fc.constant(GUARDIAN), fc.string()),
      seq: fc.oneof(fc.nat(), fc.jsonValue()),
      dailyLimits: fc.array(
        fc.record({ asset: fc.oneof(fc.constant('ETH'), fc.jsonValue()), max: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String), fc.jsonValue()) }),
        { maxLength: 3 },
      ),
      allowList: fc.oneof(fc.constant(null), fc.array(fc.constantFrom(ALICE, BOB, MALLORY, '0x00'), { maxLength: 3 })),
      denyList: fc.array(fc.constantFrom(ALICE, BOB, MALLORY), { maxLength: 2 }),
      timeLocks: fc.array(fc.record({ asset: fc.constant('ETH'), above: fc.nat().map(String), delayHours: fc.integer({ min: -2, max: 9000 }) }), {
        maxLength: 2,
      }),
      workingHours: fc.oneof(
        fc.constant(null),
        fc.record({
          days: fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 8 }),
          start: fc.constantFrom('09:00', '24:00', 'x'),
          end: fc.constantFrom('17:00', '24:00', '08:00'),
          zone: fc.constantFrom('UTC', 'Europe/Berlin', '+01:00', 'nowhere'),
        }),
      ),
    });
    fc.assert(
      fc.property(shaped, (p) => {
        const b = bytes(JSON.stringify(p));
        let decoded: GuardianPolicy | undefined;
        try {
          decoded = decodePolicy(b);
        } catch (err) {
          expect(err).toBeInstanceOf(CairnError);
        }
        if (decoded) expect(encodePolicy(decoded)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });
});
