import type { CDPSession, Page } from '@playwright/test';

export type VirtualAuthenticator = {
  cdp: CDPSession;
  authenticatorId: string;
  credentialCount(): Promise<number>;
};

/**
 * Adds a CDP virtual authenticator (platform passkey with user verification) to `page`.
 * Call it after `page.goto`: the authenticator belongs to that tab. `prf: false` models a browser
 * or authenticator without the PRF extension (the passphrase fallback path).
 */
export async function addVirtualAuthenticator(page: Page, { prf = true }: { prf?: boolean } = {}): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const options = {
    protocol: 'ctap2',
    transport: 'internal',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
    hasPrf: prf,
  };
  const { authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options } as never)) as { authenticatorId: string };
  return {
    cdp,
    authenticatorId,
    async credentialCount() {
      const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: unknown[] };
      return credentials.length;
    },
  };
}
