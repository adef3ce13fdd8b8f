/** Asset identity and human-readable amounts for policy messages. */
import { formatUnits } from 'viem';
import type { Asset } from './types.ts';

/** 'ETH' or the lowercase token address: two assets are the same iff their keys are equal. */
export function assetKey(asset: Asset): string {
  return asset === 'ETH' ? 'ETH' : asset.address.toLowerCase();
}

export function sameAsset(a: Asset, b: Asset): boolean {
  return assetKey(a) === assetKey(b);
}

export function assetSymbol(asset: Asset): string {
  return asset === 'ETH' ? 'ETH' : asset.symbol;
}

export function assetDecimals(asset: Asset): number {
  return asset === 'ETH' ? 18 : asset.decimals;
}

/** "0.6 ETH", "1500 USDC". */
export function formatAmount(amount: bigint, asset: Asset): string {
  return `${formatUnits(amount, assetDecimals(asset))} ${assetSymbol(asset)}`;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** "3 h 20 min", "45 min", "under a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 0) return 'under a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
