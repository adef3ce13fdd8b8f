/** Share lifecycle: refresh, reshare, repair/enroll, staged epochs and promotion. See ../lifecycle.md. */
export { refreshPart1, type RefreshPart1Result } from './refreshPart1.ts';
export { refreshPart2, type RefreshPart2Result } from './refreshPart2.ts';
export { refreshPart3, type RefreshPart3Result } from './refreshPart3.ts';
export type { RefreshParams, RefreshRound1State, RefreshRound2State } from './refreshParams.ts';
export { reshareDeal, type ReshareDealResult } from './reshareDeal.ts';
export { reshareReceive, type ReshareReceiveResult } from './reshareReceive.ts';
export type { ReshareParams } from './reshareParams.ts';
export { repairPart1, type RepairPart1Result } from './repairPart1.ts';
export { repairPart2, type RepairPart2Result } from './repairPart2.ts';
export { repairRecover, type RepairRecoverResult } from './repairRecover.ts';
export { stageEnrollment } from './stageEnrollment.ts';
export type { RepairMode, RepairParams, RepairRound1State } from './repairParams.ts';
export type { LifecycleProtocol, StagedEpoch } from './stagedEpoch.ts';
export { checkConfirmations } from './checkConfirmations.ts';
export { promote, type PromoteResult } from './promote.ts';
export { afterPromotion, type EcdsaRederive, type IdentifierPair } from './afterPromotion.ts';
export { guardianSetHashOf } from './guardianSetHash.ts';
export { advanceEpochRequest, registryWalletId } from './advanceEpochRequest.ts';
