/** Recipient deny-list and allow-list. Neither can be fixed by waiting: no retryAt. */
import type { Address, GuardianPolicy, RuleDenial, SpendRequest } from './types.ts';

const has = (list: readonly Address[], to: Address) => list.some((a) => a.toLowerCase() === to.toLowerCase());

export function checkRecipientLists(policy: GuardianPolicy, request: SpendRequest): RuleDenial | undefined {
  if (has(policy.denyList, request.to)) return { rule: 'denyList', message: `${request.to} is on your deny list` };
  if (policy.allowList !== null && !has(policy.allowList, request.to)) return { rule: 'allowList', message: `${request.to} is not on your allow list` };
  return undefined;
}
