import { describe, expect, it } from 'vitest';
import { hasInviteInLocation } from '../../src/net/inviteLink.ts';
import { createInvite, inviteToFragment } from '../../src/net/invite.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';

describe('recognising an invite link without decoding it', () => {
  it('is true exactly for the fragment invite.ts writes', () => {
    const fragment = inviteToFragment(
      createInvite({
        walletId: 'w',
        signalingUrls: ['ws://localhost:4444'],
        inviter: createDeviceIdentity().publicKey,
        threshold: 2,
        guardians: 3,
        expiresAt: Date.now() + 60_000,
      }),
    );
    expect(hasInviteInLocation({ hash: fragment })).toBe(true);
    expect(hasInviteInLocation({ hash: '#invite=' })).toBe(true); // recognised; decoding (and refusing) is invite.ts's job
    for (const hash of ['', '#', '#settings', '#x-invite=abc', '#Invite=abc']) expect(hasInviteInLocation({ hash })).toBe(false);
  });
});
