/** The protocol layer: envelopes, the round-runner, protocol descriptors, the guardian facade. */
export * from './clock.ts';
export * from './envelope.ts';
export * from './envelopeSeal.ts';
export * from './envelopeRouter.ts';
export * from './events.ts';
export * from './blame.ts';
export type * from './descriptor.ts';
export * from './roundRunner.ts';
export * from './nonceStore.ts';
export * from './descriptors/dkg.ts';
export * from './descriptors/frostSign.ts';
export * from './signingRequestCodec.ts';
export * from './signingCoordinator.ts';
export * from './walletCreation.ts';
export * from './walletRoomRecord.ts';
export * from './guardian.ts';
