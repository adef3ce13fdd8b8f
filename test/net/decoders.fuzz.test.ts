// Every decoder of bytes that come from outside (peers, disk, links, paper) throws only CairnError.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { mutations, onlyCairnErrors } from '../helpers/fuzz.ts';
import { createDeviceIdentity } from '../../src/device/deviceIdentity.ts';
import { decodeLogEntry, encodeLogEntry } from '../../src/net/logEntryCodec.ts';
import { createInvite, decodeInvite, encodeInvite, inviteFromFragment, joinBodyInviteId } from '../../src/net/invite.ts';
import { decodeUnlockConfig } from '../../src/device/unlockKey.ts';
import { decodeEpochRecord } from '../../src/device/walletRecords.ts';
import { parseBackupWords } from '../../src/device/backup.ts';
import { decodeRoomKey, sealRoomKey } from '../../src/protocol/roomKeyEntry.ts';

/** Random bytes, or a changed copy of a valid encoding. */
const mutated = (valid: Uint8Array) => fc.oneof(fc.uint8Array({ maxLength: 300 }), mutations(valid));

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
