/**
 * Guardian policies live in the request log: each guardian publishes its own rules as a signed
 * `policy` entry (canonical bytes, `seq` increasing), so every guardian sees everyone's rules and
 * a device reads its own current policy from an entry only its key could have signed. A device's
 * spend history — what it co-signed — is read from its own `approval` entries in the same log.
 */
import { identifierOf } from '../../core/index.ts';
import { decodePolicy, encodePolicy, type GuardianPolicy, type SpendRecord } from '../../device/policy/index.ts';
import { hexToBytesStrict } from '../../device/byteCodec.ts';
import type { LogEntry, RequestLog } from '../../net/requestLog.ts';
import { decodeApproval, decodeRequestBody } from '../../protocol/signingRequestCodec.ts';
import { spendKindOf, spendRecords, spendsOfSigningRequest, type PolicyHookParameters } from './policyHook.ts';

export const POLICY_LOG_KIND = 'policy';

export const guardianIdOf = (deviceKey: string): string => identifierOf(hexToBytesStrict(deviceKey, 'device key', 33));

/** Every guardian's newest valid policy (device key → policy). Entries that don't decode or name another guardian are skipped. */
export function policiesInLog(entries: readonly LogEntry[]): Map<string, GuardianPolicy> {
  const out = new Map<string, GuardianPolicy>();
  for (const e of entries) {
    if (e.kind !== POLICY_LOG_KIND) continue;
    try {
      const policy = decodePolicy(e.body, guardianIdOf(e.author));
      if (policy.guardian !== guardianIdOf(e.author)) continue;
      const before = out.get(e.author);
      if (!before || policy.seq > before.seq) out.set(e.author, policy);
    } catch {
      continue; // the log reports unreadable entries; a bad policy never replaces a good one
    }
  }
  return out;
}

/** Publishes this device's new policy version (its `guardian` and `seq` are filled in here). */
export function publishPolicy(log: RequestLog, self: string, rules: Omit<GuardianPolicy, 'v' | 'guardian' | 'seq'>): GuardianPolicy {
  const previous = policiesInLog(log.entries()).get(self);
  const policy: GuardianPolicy = { ...rules, v: 1, guardian: guardianIdOf(self), seq: (previous?.seq ?? -1) + 1 };
  log.append(POLICY_LOG_KIND, encodePolicy(policy));
  return policy;
}

/** Spends this device approved (and so co-signed), from its own approval entries of vault and plain-address requests. */
export function spendHistoryFromLog(entries: readonly LogEntry[], self: string, token?: PolicyHookParameters['token']): SpendRecord[] {
  const requests = new Map(entries.filter((e) => e.kind === 'request').map((e) => [e.id, e]));
  const out: SpendRecord[] = [];
  for (const e of entries) {
    if (e.kind !== 'approval' || e.author !== self) continue;
    try {
      const request = requests.get(decodeApproval(e.body));
      if (!request) continue;
      const { request: r } = decodeRequestBody(request.body);
      out.push(...spendRecords({ requestId: request.id, kind: spendKindOf(r), signedAt: e.at }, spendsOfSigningRequest(r, token)));
    } catch {
      continue;
    }
  }
  return out;
}
