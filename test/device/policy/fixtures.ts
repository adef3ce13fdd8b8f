/** Shared fixtures for the policy tests: assets, addresses, times, a policy builder. */
import type { Address, Erc20Asset, GuardianPolicy, SpendRecord, SpendRequest } from '../../../src/device/policy/index.ts';

export const ETHER = 10n ** 18n;
export const eth = (x: number) => (BigInt(Math.round(x * 1000)) * ETHER) / 1000n;
export const USDC: Erc20Asset = { address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6, symbol: 'USDC' };
export const DAI: Erc20Asset = { address: '0x6B175474E89094C44Da98b954EedeAC495271d0F', decimals: 18, symbol: 'DAI' };
export const usdc = (x: number) => BigInt(x) * 1_000_000n;

export const ALICE: Address = '0x1111111111111111111111111111111111111111';
export const BOB: Address = '0x2222222222222222222222222222222222222222';
export const MALLORY: Address = '0x3333333333333333333333333333333333333333';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2 March 2026, 12:00 UTC (winter time in Europe). */
export const MON_NOON = Date.UTC(2026, 2, 2, 12, 0);
export const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, day, hour, minute);

export const GUARDIAN = 'ab'.repeat(32);

export function makePolicy(over: Partial<GuardianPolicy> = {}): GuardianPolicy {
  return { v: 1, guardian: GUARDIAN, seq: 0, dailyLimits: [], allowList: null, denyList: [], timeLocks: [], workingHours: null, ...over };
}

let counter = 0;
export function makeRequest(over: Partial<SpendRequest> = {}): SpendRequest {
  return { requestId: `req-${++counter}`, kind: 'vault', asset: 'ETH', amount: eth(0.1), to: ALICE, createdAt: MON_NOON - DAY, ...over };
}

export function spent(over: Partial<SpendRecord> & Pick<SpendRecord, 'amount' | 'signedAt'>): SpendRecord {
  return { requestId: `old-${++counter}`, kind: 'vault', asset: 'ETH', to: BOB, ...over };
}
