/** Guardian policy engine: each guardian's own rules, checked before its device co-signs. See README.md. */
export type * from './types.ts';
export { evaluatePolicy } from './evaluatePolicy.ts';
export { encodePolicy, decodePolicy, normalizePolicy } from './policyEncoding.ts';
export { formatAmount } from './assets.ts';
