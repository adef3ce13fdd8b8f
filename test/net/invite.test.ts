import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import {
  createInvite,
  decodeInvite,
  encodeInvite,
  encodeJoinBody,
  inviteFromFragment,
  inviteQrDataUrl,
  inviteToFragment,
  joinBodyInviteId,
  takeInviteFromLocation,
} from '../../src/net/invite.ts';
import { openRequestLog } from '../../src/net/requestLog.ts';
import { guardiansOnHub } from './helpers.ts';
import { CairnError } from '../../src/core/errors.ts';

const NOW = 1_800_000_000_000;

function invite(overrides: Partial<Parameters<typeof createInvite>[0]> = {}) {
  return createInvite({
    walletId: 'wallet-1',
    signalingUrls: ['ws://localhost:4544', 'wss://signal.example.org/path'],
    inviter: createDeviceIdentity().publicKey,
    threshold: 2,
    guardians: 3,
    expiresAt: NOW + 3_600_000,
    ...overrides,
  });
}

describe('invites', () => {
  it('round-trip through a URL fragment', () => {
    const i = invite();
    const fragment = inviteToFragment(i);
    expect(fragment).toMatch(/^#invite=[A-Za-z0-9_-]+$/);
    const url = `http://localhost:5173/${fragment}`;
    expect(inviteFromFragment(url, NOW)).toEqual(i);
    expect(inviteFromFragment(fragment, NOW)).toEqual(i);
    expect(i.roomSecret).toHaveLength(32);
    expect(i.inviteId).toMatch(/^[0-9a-f]{32}$/);
    expect(invite().inviteId).not.toBe(i.inviteId);
  });

  it("carries the inviter's STUN/TURN servers, so a joiner needs no set-up", () => {
    const ice = { iceServers: [{ urls: ['turn:127.0.0.1:3578?transport=udp'], username: 'test', credential: 'test' }], iceTransportPolicy: 'relay' as const };
    const i = invite({ ice });
    expect(inviteFromFragment(inviteToFragment(i), NOW).ice).toEqual(ice);
    expect(invite().ice).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
    expect(() => invite({ ice: { iceServers: [{ urls: ['turn:x:1'] }], iceTransportPolicy: 'all' } })).toThrow(/credential/);
  });

  it('a version-1 invite (before ICE servers) still opens, with none', () => {
    const i = invite();
    const v2 = encodeInvite(i);
    // v1 = the same bytes without the ICE block (policy 0, no servers) right after the signaling URLs.
    const iceAt = 1 + 2 + new TextEncoder().encode(i.walletId).length + 32 + 1 + i.signalingUrls.reduce((n, u) => n + 2 + u.length, 0);
    expect([...v2.subarray(iceAt, iceAt + 2)]).toEqual([0, 0]);
    const v1 = new Uint8Array([...v2.subarray(0, iceAt), ...v2.subarray(iceAt + 2)]);
    v1[0] = 1;
    expect(decodeInvite(v1, NOW)).toEqual(i);
    v1[0] = 3;
    expect(() => decodeInvite(v1, NOW)).toThrow(/version/);
  });

  it('an expired invite is refused with a clear message', () => {
    const i = invite({ expiresAt: NOW - 1 });
    const err = (() => {
      try {
        inviteFromFragment(inviteToFragment(i), NOW);
      } catch (e) {
        return e as CairnError;
      }
    })();
    expect(err?.code).toBe('EXPIRED');
    expect(err?.shortMessage).toMatch(/expired.*new one/);
  });

  it('refuses bad parameters at creation and tampered payloads at decode', () => {
    expect(() => invite({ threshold: 4 })).toThrow(/threshold/);
    expect(() => invite({ signalingUrls: ['https://x'] })).toThrow(/ws:/);
    expect(() => invite({ signalingUrls: [] })).toThrow(/signaling/);
    expect(() => invite({ inviter: '02' + '00'.repeat(32) })).toThrow(/curve point/);
    const frag = inviteToFragment(invite());
    expect(() => inviteFromFragment(frag.slice(0, -3), NOW)).toThrow(CairnError);
    const damaged = (f: string) => {
      try {
        inviteFromFragment(f, NOW);
      } catch (err) {
        return err as CairnError;
      }
      throw new Error('accepted');
    };
    // In words a person can act on; what broke is in the details.
    expect(damaged(frag + 'AAAA')).toMatchObject({ shortMessage: 'This invite link is damaged — ask the guardian who sent it for a new one.' });
    expect(damaged(frag + 'AAAA').details.join(' ')).toMatch(/trailing/);
    expect(damaged('#invite=!!!')).toMatchObject({ shortMessage: expect.stringContaining('damaged'), details: [expect.stringMatching(/base64url/)] });
  });

  it('an invite link is taken out of the address bar before it is decoded', () => {
    const i = invite();
    const replaced: string[] = [];
    const hist = { replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) };
    const taken = takeInviteFromLocation({ hash: inviteToFragment(i), pathname: '/', search: '?x=1' }, hist, NOW);
    expect(taken).toEqual(i);
    expect(replaced).toEqual(['/?x=1']);
    // Expired or broken: still removed from the URL, then refused.
    const expired = inviteToFragment(invite({ expiresAt: NOW - 1 }));
    expect(() => takeInviteFromLocation({ hash: expired, pathname: '/', search: '' }, hist, NOW)).toThrow(/expired/);
    expect(replaced).toHaveLength(2);
    expect(takeInviteFromLocation({ hash: '#settings', pathname: '/', search: '' }, hist, NOW)).toBeNull();
    expect(replaced).toHaveLength(2);
  });

  it('renders a QR code data URL', async () => {
    const url = await inviteQrDataUrl(`http://localhost:5173/${inviteToFragment(invite())}`);
    expect(url).toMatch(/^data:image\/png;base64,/);
  });

  it('is single-use: a second join with the same invite id is ignored by readers', async () => {
    const { hub, guardians, members } = guardiansOnHub(2);
    const i = invite();
    const joinerA = createDeviceIdentity();
    const joinerB = createDeviceIdentity();
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    hub.join(docA, 'a');
    hub.join(docB, 'b');
    const logA = openRequestLog({ doc: docA, identity: joinerA, members, scope: 'wallet-1' });
    const first = logA.append('join', encodeJoinBody(i.inviteId, new TextEncoder().encode('Dana')));
    await hub.settle();
    const logB = openRequestLog({ doc: docB, identity: joinerB, members, scope: 'wallet-1' });
    logB.append('join', encodeJoinBody(i.inviteId, new TextEncoder().encode('Mallory')));
    await hub.settle();
    for (const g of guardians) {
      const joins = g.log.entries().filter((e) => e.kind === 'join');
      expect(joins.map((e) => e.id)).toEqual([first.id]);
      expect(joinBodyInviteId(joins[0]!.body)).toBe(i.inviteId);
      expect(g.rejections.some((r) => r.author === joinerB.publicKey && /already used/.test(r.reason))).toBe(true);
    }
  });
});
