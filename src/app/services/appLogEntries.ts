/**
 * The app's own entries in the wallet's signed log, beside the facade's: guardian names (`profile`),
 * the vault contract's address (`vault`), transaction hashes (`receipt`) and approvals a guardian's own
 * rules hold back (`hold`: so the requester and everyone see why, and when it lifts), and the function a
 * requester called with an ABI it pasted (`call-abi`, see `requesterAbi.ts`). The facade's log ignores
 * kinds it doesn't know; the app reads the same array with this list of kinds.
 */
import { getAddress, type Hex } from 'viem';
import { getVaultAddress } from '../../chain/getVaultAddress.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import { GUARDIAN_LOG_KINDS } from '../../protocol/logKinds.ts';
import { parseJson } from './parseJson.ts';
import { loadSettings } from './settings.ts';
import type { HeldApproval } from './sessionSnapshot.ts';
import type { WalletInfo } from './walletInfo.ts';

const APP_KINDS = ['profile', 'vault', 'receipt', 'hold', 'call-abi'] as const;
export type AppLogKind = (typeof APP_KINDS)[number];

/** Every kind the app's reader of the log accepts. */
export const APP_LOG_KINDS: readonly string[] = [...GUARDIAN_LOG_KINDS, ...APP_KINDS];

/** Signing request id → hash of the transaction that carried its signature (`receipt` entries). */
export function receiptsOf(entries: readonly LogEntry[]): Map<string, Hex> {
  const receipts = new Map<string, Hex>();
  for (const e of entries) {
    if (e.kind !== 'receipt') continue;
    const r = parseJson<{ requestId: string; txHash: Hex }>(e.body);
    if (r) receipts.set(r.requestId, r.txHash);
  }
  return receipts;
}

/**
 * Signing request id → the holds its guardians published (the latest per guardian). Informative only: a
 * hold is its author's own statement about its own approval, so a forged one can only misstate the forger.
 */
export function holdsOf(entries: readonly LogEntry[]): Map<string, Map<string, HeldApproval>> {
  const out = new Map<string, Map<string, HeldApproval>>();
  for (const e of entries) {
    if (e.kind !== 'hold') continue;
    const h = parseJson<{ requestId?: unknown; rule?: unknown; reason?: unknown; retryAt?: unknown }>(e.body);
    if (!h || typeof h.requestId !== 'string' || !/^[0-9a-f]{64}$/.test(h.requestId) || typeof h.rule !== 'string' || typeof h.reason !== 'string') continue;
    const retryAt = typeof h.retryAt === 'number' && Number.isFinite(h.retryAt) ? h.retryAt : undefined;
    const byGuardian = out.get(h.requestId) ?? new Map<string, HeldApproval>();
    byGuardian.set(e.author, { guardian: e.author, rule: h.rule.slice(0, 40), reason: h.reason.slice(0, 300), ...(retryAt === undefined ? {} : { retryAt }) });
    out.set(h.requestId, byGuardian);
  }
  return out;
}

/** What a `profile` or `vault` entry changes in the wallet's info, or the problem it shows; undefined when nothing. */
export function readAppEntry(e: LogEntry, info: WalletInfo): { info: Partial<WalletInfo> } | { problem: string } | undefined {
  if (e.kind === 'profile') {
    const p = parseJson<{ name?: string; wallet?: string }>(e.body);
    if (!p?.name) return undefined;
    const names = { ...info.names, [e.author]: p.name.slice(0, 60) };
    const name = e.author === info.creator && p.wallet && !info.name ? p.wallet.slice(0, 60) : info.name;
    return { info: { names, name } };
  }
  if (e.kind === 'vault' && e.author === info.creator && !info.vault) {
    const v = parseJson<{ vault: string; chainId: number }>(e.body);
    const factory = loadSettings().chain?.vaultFactory;
    const groupKey = info.groupKey;
    // With a factory the address follows from the key: a creator's claim of another one is refused.
    const expected = factory && groupKey ? getVaultAddress({ factory, groupKey: hexToBytesStrict(groupKey, 'group key', 33) }) : undefined;
    if (v && expected && getAddress(v.vault) !== expected)
      return { problem: `The creator announced a vault at ${v.vault}, but this wallet's vault is ${expected}. Ignored.` };
    if (v) return { info: { vault: getAddress(v.vault), chainId: v.chainId, registered: true } };
  }
  return undefined;
}
