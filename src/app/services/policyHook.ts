/**
 * This guardian's spending policy (src/device/policy) on the approval path: before the device
 * approves — and so co-signs — a request, the **decoded** request (what the user was shown:
 * recipient, asset, amount) is evaluated against the guardian's own rules. Vault (FROST,
 * `vault-execute`) and EOA (threshold ECDSA, a plain transaction) requests are decoded the same way
 * and count towards the same limits (invariant 8, docs/invariants.md). A bare 32-byte hash for the
 * vault to sign (ERC-1271 `vault-message`) can't be decoded at all — a Permit2 or marketplace order
 * signed that way moves assets outside every rule — so it is held unless the user opted in for that
 * one request ("sign unknown data"); so is a contract call whose data no known ABI reads. Typed data
 * (EIP-712) is carried whole and shown field by field; an EIP-2612 Permit in it counts like an approval.
 *
 * Pure apart from the injected `now`: the policy, the history and the first-seen times come in as
 * functions, so the same hook runs in the app (policy from the log, device clock) and in tests.
 */
import { decodeFunctionData, erc20Abi, getAddress, toHex, type Address, type Hex } from 'viem';
import { parseTypedData, type SigningRequest } from '../../core/index.ts';
import { decodeCall } from './contractCall.ts';
import { permitOf } from './typedDataRequest.ts';
import {
  evaluatePolicy,
  type Asset,
  type Erc20Asset,
  type GuardianPolicy,
  type PolicyRule,
  type SpendKind,
  type SpendRecord,
  type SpendRequest,
} from '../../device/policy/index.ts';

/** A call as the device decoded it: the target, the ETH value and the call data. */
export type DecodedCall = { to: Address; value: bigint; data: Uint8Array | Hex };

/** One thing a call spends: an asset, an amount and the real recipient (for ERC-20: the token recipient). */
export type Spend = { asset: Asset; amount: bigint; to: Address };

/** What holds an approval: one of the guardian's rules, or data this device can't decode. */
export type HoldRule = PolicyRule | 'unknownData';

export type PolicyCheck = { allow: true } | { allow: false; reason: string; rule: HoldRule; retryAt?: number };

export type PolicyHookParameters = {
  /** This guardian's current policy (undefined: no rules, everything passes). */
  policy: () => GuardianPolicy | undefined;
  /** Spends this device already co-signed (vault and EOA alike). */
  history: () => readonly SpendRecord[];
  /** The device clock (injected; tests move it). */
  now: () => number;
  /** When this device first saw a request (the time lock counts from the later of this and creation). */
  seenAt?: (requestId: string) => number | undefined;
  /** Known tokens (decimals and symbol for messages); unknown ones are shown as 18-decimal "tokens". */
  token?: (address: Address) => Erc20Asset | undefined;
};

/** What a call spends: its ETH value (always, so allow/deny lists see every target) and any ERC-20 transfer. */
export function spendsOfCall(call: DecodedCall, token?: PolicyHookParameters['token']): Spend[] {
  const data = typeof call.data === 'string' ? call.data : toHex(call.data);
  const to = getAddress(call.to);
  const spends: Spend[] = [];
  if (data !== '0x') {
    try {
      const { functionName, args } = decodeFunctionData({ abi: erc20Abi, data });
      const asset: Erc20Asset = token?.(to) ?? { address: to, decimals: 18, symbol: 'tokens' };
      if (functionName === 'transfer' || functionName === 'approve') spends.push({ asset, amount: args[1] as bigint, to: getAddress(args[0] as Address) });
      if (functionName === 'transferFrom') spends.push({ asset, amount: args[2] as bigint, to: getAddress(args[1] as Address) });
    } catch {
      // not an ERC-20 call: only its ETH value (possibly 0) to the contract counts below
    }
  }
  if (call.value > 0n || spends.length === 0) spends.unshift({ asset: 'ETH', amount: call.value, to });
  return spends;
}

/**
 * The spends of a signing request the policy governs: the vault's call, made directly
 * (`vault-execute`) or as a user operation (`vault-user-operation`), plain-address calls
 * (`eoa-transaction`), and an EIP-2612 Permit signed as typed data (its value to its spender, like an
 * ERC-20 `approve`); other kinds spend nothing.
 */
export function spendsOfSigningRequest(request: SigningRequest, token?: PolicyHookParameters['token']): Spend[] {
  if (request.type === 'vault-typed-data' || request.type === 'eoa-typed-data') {
    const permit = permitOf(parseTypedData(request.typedData));
    if (!permit) return [];
    return [{ asset: token?.(permit.token) ?? { address: permit.token, decimals: 18, symbol: 'tokens' }, amount: permit.value, to: permit.spender }];
  }
  if (request.type !== 'vault-execute' && request.type !== 'vault-user-operation' && request.type !== 'eoa-transaction') return [];
  return spendsOfCall({ to: request.to, value: request.value, data: request.data }, token);
}

/** Which account a request spends from (both count towards the same limits). */
export const spendKindOf = (request: SigningRequest): SpendKind => (request.type === 'eoa-transaction' || request.type === 'eoa-typed-data' ? 'eoa' : 'vault');

/** Call data none of the known ABIs reads (`contractCall.ts`; the registry's calls, riding on the vault's operations, are known). */
function unreadableCall(request: SigningRequest): boolean {
  if (request.type !== 'vault-execute' && request.type !== 'vault-user-operation' && request.type !== 'eoa-transaction') return false;
  if (request.data.length === 0) return false;
  return !decodeCall(toHex(request.data));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A plain-address message that isn't text — not UTF-8, or with control characters other than tabs and
 * line breaks — such as a 32-byte hash: contracts that check `toEthSignedMessageHash(hash)` take its
 * signature as an authorisation, so it is a bare hash by another door.
 */
function unreadableMessage(request: SigningRequest): boolean {
  if (request.type !== 'eoa-message') return false;
  try {
    return /(?![\t\n\r])\p{Cc}/u.test(utf8.decode(request.message));
  } catch {
    return true;
  }
}

export const UNKNOWN_MESSAGE_REASON =
  "It asks the plain address to sign a message that isn't text (such as a 32-byte fingerprint). Signing it could authorise moving funds outside every rule";

export const UNKNOWN_CALL_REASON = "It asks to call a contract in a way this device can't read. Signing it could move the funds outside every rule";

export const UNKNOWN_DATA_REASON =
  "It asks the vault to sign data this device can't read (a bare 32-byte fingerprint). Signing it could move the vault's funds outside every rule";

/**
 * The one policy verdict on a signing request, for every path: unknown data (held unless
 * `unknownDataAllowed`), then the spending rules on what the request spends.
 */
export function checkSigningRequest(
  p: PolicyHookParameters,
  request: SigningRequest,
  meta: { requestId: string; createdAt: number; unknownDataAllowed?: boolean },
): PolicyCheck {
  if (request.type === 'vault-message' && !meta.unknownDataAllowed) return { allow: false, reason: UNKNOWN_DATA_REASON, rule: 'unknownData' };
  if (unreadableCall(request) && !meta.unknownDataAllowed) return { allow: false, reason: UNKNOWN_CALL_REASON, rule: 'unknownData' };
  if (unreadableMessage(request) && !meta.unknownDataAllowed) return { allow: false, reason: UNKNOWN_MESSAGE_REASON, rule: 'unknownData' };
  return checkSpends(p, { requestId: meta.requestId, kind: spendKindOf(request), createdAt: meta.createdAt }, spendsOfSigningRequest(request, p.token));
}

/** Evaluates every spend of one request; the first refusal wins, with the latest `retryAt` if all can wait. */
export function checkSpends(p: PolicyHookParameters, meta: { requestId: string; kind: SpendKind; createdAt: number }, spends: readonly Spend[]): PolicyCheck {
  const policy = p.policy();
  if (!policy || spends.length === 0) return { allow: true };
  const now = p.now();
  const history = p.history();
  const seenAt = p.seenAt?.(meta.requestId);
  let first: Extract<PolicyCheck, { allow: false }> | undefined;
  let retryAt: number | undefined = 0;
  for (const s of spends) {
    const request: SpendRequest = {
      requestId: meta.requestId,
      kind: meta.kind,
      asset: s.asset,
      amount: s.amount,
      to: s.to,
      createdAt: meta.createdAt,
      ...(seenAt !== undefined ? { seenAt } : {}),
    };
    const d = evaluatePolicy({ policy, request, history, now });
    if (d.allowed) continue;
    first ??= { allow: false, reason: d.message, rule: d.rule };
    retryAt = d.retryAt === undefined || retryAt === undefined ? undefined : Math.max(retryAt, d.retryAt);
  }
  if (!first) return { allow: true };
  return retryAt ? { ...first, retryAt } : first;
}

/** The signing coordinator's hook: `checkSigningRequest` for vault, plain-address and message requests alike. */
export function vaultPolicyHook(
  p: PolicyHookParameters,
  createdAt: (requestId: string) => number,
  unknownDataAllowed: (requestId: string) => boolean = () => false,
) {
  return (request: SigningRequest, meta: { requestId: string }): PolicyCheck =>
    checkSigningRequest(p, request, {
      requestId: meta.requestId,
      createdAt: createdAt(meta.requestId),
      unknownDataAllowed: unknownDataAllowed(meta.requestId),
    });
}

/** The history record of a co-signed request (one per spend), to feed back into `history`. */
export function spendRecords(meta: { requestId: string; kind: SpendKind; signedAt: number }, spends: readonly Spend[]): SpendRecord[] {
  return spends
    .filter((s) => s.amount > 0n)
    .map((s) => ({ requestId: meta.requestId, kind: meta.kind, asset: s.asset, amount: s.amount, to: s.to, signedAt: meta.signedAt }));
}
