/**
 * Policy evaluation tables: rolling daily limits (24 h boundary, not midnight), ETH and ERC-20
 * limits apart, time locks to the millisecond, allow/deny lists, working hours in a zone, and the
 * same answers for vault and EOA requests.
 */
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../src/core/errors.ts';
import { evaluatePolicy, type GuardianPolicy, type SpendKind, type SpendRecord, type SpendRequest } from '../../../src/device/policy/index.ts';
import { ALICE, BOB, DAI, DAY, HOUR, MALLORY, MON_NOON, USDC, at, eth, makePolicy, makeRequest, spent, usdc } from './fixtures.ts';

const KINDS: SpendKind[] = ['vault', 'eoa'];
const decide = (policy: GuardianPolicy, request: SpendRequest, history: SpendRecord[], now: number) => evaluatePolicy({ policy, request, history, now });

it('fixtures: 2 March 2026 is a Monday', () => expect(new Date(MON_NOON).getUTCDay()).toBe(1));

describe.each(KINDS)('daily limit (rolling 24 h) — %s requests', (kind) => {
  const policy = makePolicy({ dailyLimits: [{ asset: 'ETH', max: eth(1) }] });
  const sixTenths = [spent({ amount: eth(0.6), signedAt: MON_NOON - HOUR, kind: kind === 'vault' ? 'eoa' : 'vault' })];

  it('allows up to the limit, counting spends of the other kind too', () => {
    expect(decide(policy, makeRequest({ kind, amount: eth(0.4) }), sixTenths, MON_NOON)).toEqual({ allowed: true });
  });

  it('refuses above it in plain words, with the time it would pass', () => {
    expect(decide(policy, makeRequest({ kind, amount: eth(0.5) }), sixTenths, MON_NOON)).toEqual({
      allowed: false,
      rule: 'dailyLimit',
      message: 'Over your daily limit of 1 ETH: 0.6 ETH already sent in the last 24 hours',
      retryAt: MON_NOON - HOUR + DAY,
    });
  });

  it('boundary: 1 ms before the old spend is 24 h old → refused; at 24 h → allowed', () => {
    const request = makeRequest({ kind, amount: eth(0.5) });
    expect(decide(policy, request, sixTenths, MON_NOON - HOUR + DAY - 1).allowed).toBe(false);
    expect(decide(policy, request, sixTenths, MON_NOON - HOUR + DAY).allowed).toBe(true);
  });

  it('midnight does not reset it (rolling window, not calendar day)', () => {
    const lateNight = [spent({ amount: eth(0.9), signedAt: at(2, 23, 59) })];
    const d = decide(policy, makeRequest({ kind, amount: eth(0.2) }), lateNight, at(3, 0, 1));
    expect(d).toMatchObject({ allowed: false, rule: 'dailyLimit', retryAt: at(3, 23, 59) });
  });

  it('a single amount over the limit can never pass: no retryAt', () => {
    expect(decide(policy, makeRequest({ kind, amount: eth(1.5) }), [], MON_NOON)).toEqual({
      allowed: false,
      rule: 'dailyLimit',
      message: '1.5 ETH is more than your daily limit of 1 ETH',
    });
  });

  it('retryAt waits until enough of the oldest spends have left the window', () => {
    const three = [0.3, 0.3, 0.3].map((x, i) => spent({ amount: eth(x), signedAt: MON_NOON - [20, 10, 1][i]! * HOUR }));
    const d = decide(policy, makeRequest({ kind, amount: eth(0.5) }), three, MON_NOON);
    expect(d).toMatchObject({ allowed: false, retryAt: MON_NOON - 10 * HOUR + DAY });
    expect(decide(policy, makeRequest({ kind, amount: eth(0.5) }), three, MON_NOON - 10 * HOUR + DAY).allowed).toBe(true);
  });

  it('does not count the same request twice (a retry of one it already co-signed)', () => {
    const request = makeRequest({ kind, amount: eth(0.6) });
    const history = [spent({ amount: eth(0.6), signedAt: MON_NOON - HOUR, requestId: request.requestId })];
    expect(decide(policy, request, history, MON_NOON).allowed).toBe(true);
  });
});

describe.each(KINDS)('ETH and ERC-20 limits are separate — %s requests', (kind) => {
  const policy = makePolicy({
    dailyLimits: [
      { asset: 'ETH', max: eth(1) },
      { asset: USDC, max: usdc(1000) },
    ],
  });
  const usdcLower = { ...USDC, address: USDC.address.toLowerCase() as `0x${string}` };

  it('ETH spent does not use up the USDC limit, and vice versa', () => {
    expect(
      decide(policy, makeRequest({ kind, asset: USDC, amount: usdc(1000) }), [spent({ amount: eth(0.99), signedAt: MON_NOON - HOUR })], MON_NOON).allowed,
    ).toBe(true);
    expect(
      decide(policy, makeRequest({ kind, amount: eth(1) }), [spent({ asset: USDC, amount: usdc(999), signedAt: MON_NOON - HOUR })], MON_NOON).allowed,
    ).toBe(true);
  });

  it('USDC spends count against the USDC limit, whatever the address case', () => {
    const history = [spent({ asset: usdcLower, amount: usdc(900), signedAt: MON_NOON - 2 * HOUR })];
    expect(decide(policy, makeRequest({ kind, asset: USDC, amount: usdc(200) }), history, MON_NOON)).toEqual({
      allowed: false,
      rule: 'dailyLimit',
      message: 'Over your daily limit of 1000 USDC: 900 USDC already sent in the last 24 hours',
      retryAt: MON_NOON - 2 * HOUR + DAY,
    });
  });

  it('a token without a limit is not limited', () => {
    expect(decide(policy, makeRequest({ kind, asset: DAI, amount: 10n ** 30n }), [], MON_NOON).allowed).toBe(true);
  });
});

describe.each(KINDS)('time lock — %s requests', (kind) => {
  const policy = makePolicy({
    timeLocks: [
      { asset: 'ETH', above: eth(0.5), delayHours: 24 },
      { asset: 'ETH', above: eth(5), delayHours: 72 },
      { asset: USDC, above: usdc(100), delayHours: 48 },
    ],
  });
  const created = MON_NOON;

  it('boundary: 1 ms before the wait ends → refused with retryAt; at and 1 ms after → allowed', () => {
    const request = makeRequest({ kind, amount: eth(1), createdAt: created });
    expect(decide(policy, request, [], created + 24 * HOUR - 1)).toEqual({
      allowed: false,
      rule: 'timeLock',
      message: 'Requests over 0.5 ETH wait 24 h before you co-sign: 1 min to go',
      retryAt: created + 24 * HOUR,
    });
    expect(decide(policy, request, [], created + 24 * HOUR).allowed).toBe(true);
    expect(decide(policy, request, [], created + 24 * HOUR + 1).allowed).toBe(true);
  });

  it('amounts at or below the threshold do not wait', () => {
    expect(decide(policy, makeRequest({ kind, amount: eth(0.5), createdAt: created }), [], created).allowed).toBe(true);
  });

  it('the longest applicable lock holds', () => {
    const d = decide(policy, makeRequest({ kind, amount: eth(6), createdAt: created }), [], created + 30 * HOUR);
    expect(d).toMatchObject({ rule: 'timeLock', retryAt: created + 72 * HOUR });
  });

  it('counts from when this device first saw the request, if later (backdating gains nothing)', () => {
    const backdated = makeRequest({ kind, amount: eth(1), createdAt: created - 10 * DAY, seenAt: created });
    expect(decide(policy, backdated, [], created + HOUR)).toMatchObject({ rule: 'timeLock', retryAt: created + 24 * HOUR });
  });

  it('token locks apply to the token only', () => {
    expect(decide(policy, makeRequest({ kind, asset: USDC, amount: usdc(101), createdAt: created }), [], created + 47 * HOUR).allowed).toBe(false);
    expect(decide(policy, makeRequest({ kind, asset: USDC, amount: usdc(101), createdAt: created }), [], created + 48 * HOUR).allowed).toBe(true);
    expect(
      decide(makePolicy({ timeLocks: [{ asset: USDC, above: 0n, delayHours: 48 }] }), makeRequest({ kind, amount: eth(100), createdAt: created }), [], created)
        .allowed,
    ).toBe(true);
  });
});

describe.each(KINDS)('allow-list and deny-list — %s requests', (kind) => {
  it('deny-list refuses, whatever the case of the address; no retryAt', () => {
    const policy = makePolicy({ denyList: [MALLORY] });
    expect(decide(policy, makeRequest({ kind, to: MALLORY }), [], MON_NOON)).toEqual({
      allowed: false,
      rule: 'denyList',
      message: `${MALLORY} is on your deny list`,
    });
    expect(decide(policy, makeRequest({ kind, to: ALICE }), [], MON_NOON).allowed).toBe(true);
  });

  it('allow-list admits only its members; null admits anyone', () => {
    const policy = makePolicy({ allowList: [ALICE] });
    expect(decide(policy, makeRequest({ kind, to: ALICE }), [], MON_NOON).allowed).toBe(true);
    expect(decide(policy, makeRequest({ kind, to: BOB }), [], MON_NOON)).toEqual({
      allowed: false,
      rule: 'allowList',
      message: `${BOB} is not on your allow list`,
    });
    expect(decide(makePolicy({ allowList: [] }), makeRequest({ kind, to: ALICE }), [], MON_NOON).allowed).toBe(false);
    expect(decide(makePolicy({ allowList: null }), makeRequest({ kind, to: BOB }), [], MON_NOON).allowed).toBe(true);
  });

  it('deny wins over allow', () => {
    expect(decide(makePolicy({ allowList: [MALLORY], denyList: [MALLORY] }), makeRequest({ kind, to: MALLORY }), [], MON_NOON)).toMatchObject({
      rule: 'denyList',
    });
  });
});

describe.each(KINDS)('working hours — %s requests', (kind) => {
  const weekdays = { days: [1, 2, 3, 4, 5] as (1 | 2 | 3 | 4 | 5)[], start: '09:00', end: '17:00' };
  const utc = makePolicy({ workingHours: { ...weekdays, zone: 'UTC' } });
  const r = () => makeRequest({ kind });

  it('boundaries: 08:59:59.999 refused (retry at 09:00), 09:00 allowed, 16:59:59.999 allowed, 17:00 refused', () => {
    expect(decide(utc, r(), [], at(2, 9) - 1)).toEqual({
      allowed: false,
      rule: 'workingHours',
      message: 'Outside your working hours: Mon, Tue, Wed, Thu, Fri 09:00–17:00 (UTC)',
      retryAt: at(2, 9),
    });
    expect(decide(utc, r(), [], at(2, 9)).allowed).toBe(true);
    expect(decide(utc, r(), [], at(2, 17) - 1).allowed).toBe(true);
    expect(decide(utc, r(), [], at(2, 17))).toMatchObject({ allowed: false, retryAt: at(3, 9) });
  });

  it('after Friday 17:00 and on the weekend, the next opening is Monday 09:00', () => {
    expect(decide(utc, r(), [], at(6, 17))).toMatchObject({ retryAt: at(9, 9) });
    expect(decide(utc, r(), [], at(7, 12))).toMatchObject({ retryAt: at(9, 9) });
  });

  it("in the guardian's zone: Europe/Berlin (UTC+1 in March before DST) and a fixed offset", () => {
    const berlin = makePolicy({ workingHours: { ...weekdays, zone: 'Europe/Berlin' } });
    expect(decide(berlin, r(), [], at(2, 8, 30)).allowed).toBe(true); // 09:30 in Berlin
    expect(decide(berlin, r(), [], at(2, 16, 30))).toMatchObject({ allowed: false, retryAt: at(3, 8) }); // 17:30 → Tue 09:00 = 08:00 UTC
    const newYork = makePolicy({ workingHours: { ...weekdays, zone: '-05:00' } });
    expect(decide(newYork, r(), [], at(2, 13, 59))).toMatchObject({ allowed: false, retryAt: at(2, 14) });
    expect(decide(newYork, r(), [], at(2, 14)).allowed).toBe(true);
  });

  it('across the spring-forward gap the next opening is the first minute that exists', () => {
    // Sunday 29 March 2026 in Berlin: 02:00 → 03:00. A 02:30–04:00 Sunday window opens at 03:00 CEST = 01:00 UTC.
    const sunday = makePolicy({ workingHours: { days: [0], start: '02:30', end: '04:00', zone: 'Europe/Berlin' } });
    expect(decide(sunday, r(), [], Date.UTC(2026, 2, 28, 12))).toMatchObject({ retryAt: Date.UTC(2026, 2, 29, 1) });
    // And in summer time the same window is 00:30–02:00 UTC.
    expect(decide(sunday, r(), [], Date.UTC(2026, 3, 4, 12))).toMatchObject({ retryAt: Date.UTC(2026, 3, 5, 0, 30) });
  });
});

describe('rules together', () => {
  it('retryAt is when every rule passes: a time lock that ends at night waits for working hours', () => {
    const policy = makePolicy({
      timeLocks: [{ asset: 'ETH', above: 0n, delayHours: 8 }],
      workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', zone: 'UTC' },
    });
    const request = makeRequest({ amount: eth(1), createdAt: MON_NOON });
    expect(decide(policy, request, [], MON_NOON + HOUR)).toMatchObject({ allowed: false, rule: 'timeLock', retryAt: at(3, 9) });
  });

  it('no retryAt when a rule that time cannot fix also fails', () => {
    const policy = makePolicy({ denyList: [MALLORY], timeLocks: [{ asset: 'ETH', above: 0n, delayHours: 8 }] });
    const d = decide(policy, makeRequest({ to: MALLORY, createdAt: MON_NOON }), [], MON_NOON);
    expect(d).toEqual({ allowed: false, rule: 'denyList', message: `${MALLORY} is on your deny list` });
  });

  it('an empty policy allows anything', () => {
    expect(decide(makePolicy(), makeRequest({ amount: 10n ** 40n }), [], MON_NOON)).toEqual({ allowed: true });
  });

  it('refuses a malformed request with a typed error', () => {
    for (const bad of [{ amount: -1n }, { to: '0x12' as `0x${string}` }, { createdAt: Number.NaN }, { kind: 'other' as SpendKind }]) {
      expect(() => decide(makePolicy(), makeRequest(bad), [], MON_NOON)).toThrowError(CairnError);
    }
  });
});
