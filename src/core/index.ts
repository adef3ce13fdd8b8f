/** The sans-I/O threshold core: pure functions over bytes, no DOM, storage, network or clock. */
export * from './errors.ts';
export type { Rng } from './curve.ts';
export * from './identifier.ts';
export * from './session.ts';
export * from './keyPackage.ts';
export * from './signingRequest.ts';
export * from './userOperation.ts';
export { dkgPart1 } from './dkg/dkgPart1.ts';
export { dkgPart2 } from './dkg/dkgPart2.ts';
export { dkgPart3 } from './dkg/dkgPart3.ts';
export type { DkgParams, DkgRound1State, DkgRound2State } from './dkg/dkgParams.ts';
export { frostSigningSession, type SigningSession } from './frost/signingSession.ts';
export { frostCommit } from './frost/frostCommit.ts';
export { frostSignShare } from './frost/frostSignShare.ts';
export { frostAggregate, frostVerify } from './frost/frostAggregate.ts';
export { encodeSigningNonces, decodeSigningNonces } from './frost/signingNonces.ts';
export { decodeSignature } from './frost/frostPackages.ts';
export * from './lifecycle/index.ts';
