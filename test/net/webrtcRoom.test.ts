import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import { roomNameFor, roomPasswordFor } from '../../src/net/webrtcRoom.ts';
import { walletDocStorageName } from '../../src/net/walletDoc.ts';

describe('room naming', () => {
  it("the room name hides the wallet id and depends on the secret; the password is the secret's", () => {
    const secret = randomBytes(32);
    const name = roomNameFor('wallet-1', secret);
    expect(name).toMatch(/^cairn-[0-9a-f]{40}$/);
    expect(name).not.toContain('wallet-1');
    expect(roomNameFor('wallet-1', secret)).toBe(name);
    expect(roomNameFor('wallet-2', secret)).not.toBe(name);
    expect(roomNameFor('wallet-1', randomBytes(32))).not.toBe(name);
    const pw = roomPasswordFor(secret);
    expect(pw).toMatch(/^[0-9a-f]{64}$/);
    expect(pw).not.toBe(Buffer.from(secret).toString('hex'));
    expect(() => roomPasswordFor(new Uint8Array(16))).toThrow(/32 bytes/);
  });

  it('the wallet doc storage name is a hash of the wallet id', () => {
    expect(walletDocStorageName('wallet-1')).toMatch(/^cairn-wallet-[0-9a-f]{32}$/);
    expect(walletDocStorageName('wallet-1')).not.toBe(walletDocStorageName('wallet-2'));
  });
});
