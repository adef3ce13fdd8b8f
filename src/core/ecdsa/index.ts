/** DKLs23 threshold ECDSA on secp256k1 over FROST DKG shares. See README.md. */
export { ecdsaSetupRound1, ecdsaSetupRound2, ecdsaSetupRound3 } from './setup.ts';
export type { SetupRound1State, SetupRound2State } from './setup.ts';
export { destroyPairwiseSetup, type PairwiseSetup } from './pairwiseSetup.ts';
export { ecdsaSignRound1 } from './signRound1.ts';
export { ecdsaSignRound2 } from './signRound2.ts';
export { ecdsaSignRound3 } from './signRound3.ts';
export { ecdsaSignFinalize } from './signFinalize.ts';
export type * from './signTypes.ts';
export {
  encodeSignRound1,
  decodeSignRound1,
  encodeSignRound2,
  decodeSignRound2,
  encodeSignRound3,
  decodeSignRound3,
  encodeSetupRound1,
  decodeSetupRound1,
  encodeSetupRound2,
  decodeSetupRound2,
  encodePairwiseSetup,
  decodePairwiseSetup,
  SIGN_ROUND2_BYTES,
} from './wire.ts';
