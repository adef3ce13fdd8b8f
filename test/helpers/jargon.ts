/**
 * Words a person shouldn't have to know to use Cairn (issue 16): protocol, curve and encoding names.
 * The app keeps them inside `<details>` disclosures; `test/app/plainWords.test.ts` checks the source
 * and `e2e/helpers/pageChecks.ts` what each page renders.
 */
export const JARGON = /\b(FROST|ECDSA|EOAs?|[Ee]pochs?|[Nn]onces?|PRF|base64url|DKG|DKLs23|Schnorr|secp256k1)\b/;
