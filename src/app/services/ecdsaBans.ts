/**
 * What the Guardians page says about guardians this device banned from plain-address signing (threshold ECDSA) after
 * one failed a security check, and the button that lifts it. A ban never lifts by itself (src/protocol/README.md,
 * "Threshold ECDSA"): the person reads this and decides.
 */

export type EcdsaBanNotice = { peer: string; text: string; button: string };

/** One notice per banned guardian (device key), named as on this device, in plain words. */
export function ecdsaBanNotices(banned: readonly string[], names: Readonly<Record<string, string>>): EcdsaBanNotice[] {
  return banned.map((peer) => {
    const name = names[peer];
    return {
      peer,
      text: `${name ?? 'A guardian'} failed a security check while signing from the plain address, so this device stopped setting up plain-address signing with ${name ?? 'it'}. If you know why (for example, the phone was being repaired or updated) and trust it again, allow it.`,
      button: name ? `Allow set-up with ${name} again` : 'Allow set-up with this guardian again',
    };
  });
}
