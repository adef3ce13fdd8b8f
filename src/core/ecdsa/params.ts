/**
 * DKLs23 parameters. They are code constants: a peer never chooses them, and every received vector is checked against
 * them before anything is allocated or hashed (guide §2.3, pitfall 7). See README.md for the reasoning behind each.
 */

/** κ: bit length of the secp256k1 group order. @public (documents the parameter set) */
export const KAPPA = 256;
/** λc: computational security; number of base OTs per direction, block width of the OTE check. */
export const LAMBDA_C = 128;
/** λs: statistical security. @public (documents the parameter set) */
export const LAMBDA_S = 80;
/**
 * ξ: OTs (and gadget entries) per two-party random VOLE. The paper prints κ + 2λs = 416, which [A26] shows is too
 * few when g is fixed before β; 1408 = 11 blocks meets the union bound written out in README "Parameters".
 */
export const XI = 1408;
/** ℓ: VOLE inputs per instance (the nonce share k_i and the key share sk_i). */
export const ELL = 2;
/** ρ: extra random VOLE columns for the correlation check ([A26]: 1 suffices; the printed ⌈κ/λc⌉ is a typo). */
export const RHO = 1;
/** Columns per OT output row: ℓ + ρ scalars. */
export const COLS = ELL + RHO;
/** Bits in one OTE check block (= λc; Fiat–Shamir needs the full width, [P] §5.1). @alias */
export const BLOCK = LAMBDA_C;
/** Number of ξ-bit blocks m = ξ / 128 in the OTE consistency check. */
export const OTE_BLOCKS = XI / BLOCK;
/** Extended OT length ℓ′ = ξ + one random masking block. */
export const OTE_LEN = XI + BLOCK;
/** Bytes of one base-OT column after extension. */
export const OTE_COL_BYTES = OTE_LEN / 8;

/** Versioned tag prefix for every hash (TOB-SILA-11: mixed versions fail early). */
export const TAG_PREFIX = 'DKLs23/secp256k1/v1/';
