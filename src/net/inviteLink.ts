/**
 * Recognising an invite link (`…/#invite=<base64url>`) without decoding it. Dependency-free so the
 * app's first screen can route an invite link to "join" without loading the decoder (`invite.ts`).
 */
export const INVITE_FRAGMENT_KEY = 'invite=';

/** Whether the page was opened through an invite link. */
export const hasInviteInLocation = (loc: Pick<Location, 'hash'> = location): boolean => loc.hash.startsWith(`#${INVITE_FRAGMENT_KEY}`);
