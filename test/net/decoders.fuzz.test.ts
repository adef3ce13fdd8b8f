// Every decoder of bytes that come from outside (peers, disk, links, paper) throws only CairnError.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { isCairnError } from '../../src/core/errors.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { decodeLogEntry, encodeLogEntry } from '../../src/net/logEntryCodec.ts';
import { createInvite, decodeInvite, encodeInvite, inviteFromFragment, joinBodyInviteId } from '../../src/net/invite.ts';
import { decodeUnlockConfig } from '../../src/device/unlockKey.ts';
import { decodeEpochRecord } from '../../src/device/walletRecords.ts';
import { parseBackupWords } from '../../src/device/backup.ts';
import { decodeRoomKey, sealRoomKey } from '../../src/protocol/roomKeyEntry.ts';

function onlyCairnErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    return isCairnError(e);
  }
}

/** Random bytes, plus mutations of a valid encoding (flips, truncations, splices) to get past the magic. */
function mutated(valid: Uint8Array) {
  return fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const b = valid.slice();
      b[i]! ^= x;
      return b;
    }),
    fc.nat(valid.length).map((n) => valid.slice(0, n)),
    fc.tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 40 })).map(([n, tail]) => {
      const b = new Uint8Array(n + tail.length);
      b.set(valid.subarray(0, n));
      b.set(tail, n);
      return b;
    }),
  );
}

const identity = createDeviceIdentity();
const entry = encodeLogEntry({ identity, scope: 'w', kind: 'request', at: 5, body: new Uint8Array([1, 2, 3]) }).bytes;
const invite = encodeInvite(
  createInvite({
    walletId: 'w',
    signalingUrls: ['ws://localhost:1'],
    inviter: identity.publicKey,
    threshold: 2,
    guardians: 3,
    expiresAt: 10,
    ice: { iceServers: [{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' },
  }),
);

describe('decoders never throw anything but CairnError', () => {
  it('log entries', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(entry), fc.anything()), (b) => onlyCairnErrors(() => decodeLogEntry(b))),
      { numRuns: 2000 },
    );
  });
  it('invites (bytes and links)', () => {
    fc.assert(
      fc.property(mutated(invite), (b) => onlyCairnErrors(() => decodeInvite(b, 0))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => onlyCairnErrors(() => inviteFromFragment(s, 0))),
      { numRuns: 1000 },
    );
  });
  it('room-key entries', () => {
    const walletId = 'ab'.repeat(32);
    const body = sealRoomKey({
      author: identity,
      walletId,
      epoch: 3,
      roomSecret: new Uint8Array(32).fill(7),
      recipients: [identity.publicKey, createDeviceIdentity().publicKey],
    });
    fc.assert(
      fc.property(mutated(body), (b) => onlyCairnErrors(() => decodeRoomKey(b, identity.publicKey))),
      { numRuns: 2000 },
    );
  });
  it('unlock config, epoch records, join bodies, backup words', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyCairnErrors(() => decodeUnlockConfig(b))));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyCairnErrors(() => decodeEpochRecord(b))));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => onlyCairnErrors(() => joinBodyInviteId(b))));
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => onlyCairnErrors(() => parseBackupWords(s))));
  });
});
