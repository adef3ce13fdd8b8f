import { describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createDeviceIdentity, deviceEcdh, deviceIdentityFromSecretKey, signWithDevice, verifyDeviceSignature } from '../../src/device/deviceIdentity.ts';
import { toHex } from '../../src/device/byteCodec.ts';

const msg = new TextEncoder().encode('hello guardians');

describe('device identity', () => {
  it('is a 33-byte compressed key, and JSON never shows the secret', () => {
    const id = createDeviceIdentity();
    expect(id.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(JSON.stringify(id)).not.toContain(toHex(id.secretKey));
    expect(deviceIdentityFromSecretKey(id.secretKey).publicKey).toBe(id.publicKey);
  });

  it('signatures verify only for the same domain, message and key', () => {
    const a = createDeviceIdentity();
    const b = createDeviceIdentity();
    const sig = signWithDevice(a, 'cairn/test', msg);
    expect(verifyDeviceSignature(a.publicKey, 'cairn/test', msg, sig)).toBe(true);
    expect(verifyDeviceSignature(a.publicKey, 'cairn/other', msg, sig)).toBe(false);
    expect(verifyDeviceSignature(b.publicKey, 'cairn/test', msg, sig)).toBe(false);
    expect(verifyDeviceSignature(a.publicKey, 'cairn/test', msg.slice(1), sig)).toBe(false);
    const bad = sig.slice();
    bad[10]! ^= 1;
    expect(verifyDeviceSignature(a.publicKey, 'cairn/test', msg, bad)).toBe(false);
  });

  it('a signature by P does not verify under -P (same x, other parity)', () => {
    const a = createDeviceIdentity();
    const flipped = (a.publicKey.startsWith('02') ? '03' : '02') + a.publicKey.slice(2);
    const sig = signWithDevice(a, 'cairn/test', msg);
    expect(verifyDeviceSignature(flipped, 'cairn/test', msg, sig)).toBe(false);
  });

  it('verify returns false (never throws) on garbage keys and signatures', () => {
    const a = createDeviceIdentity();
    expect(verifyDeviceSignature('zz', 'd', msg, new Uint8Array(64))).toBe(false);
    expect(verifyDeviceSignature(a.publicKey, 'd', msg, new Uint8Array(3))).toBe(false);
    expect(verifyDeviceSignature('02' + '00'.repeat(32), 'd', msg, new Uint8Array(64))).toBe(false);
  });

  it('ECDH gives both sides the same key, separated by context', () => {
    const a = createDeviceIdentity();
    const b = createDeviceIdentity();
    const ctx = new TextEncoder().encode('session-1');
    expect(toHex(deviceEcdh(a, b.publicKey, ctx))).toBe(toHex(deviceEcdh(b, a.publicKey, ctx)));
    expect(toHex(deviceEcdh(a, b.publicKey, ctx))).not.toBe(toHex(deviceEcdh(a, b.publicKey)));
    const c = createDeviceIdentity();
    expect(toHex(deviceEcdh(a, b.publicKey))).not.toBe(toHex(deviceEcdh(a, c.publicKey)));
    expect(() => deviceEcdh(a, '02' + 'ff'.repeat(32))).toThrow(/curve point/);
  });

  it('an injected RNG makes key generation reproducible (tests), and only then', () => {
    const rng = (n: number) => new Uint8Array(n).fill(7);
    expect(createDeviceIdentity(rng).publicKey).toBe(createDeviceIdentity(rng).publicKey);
    expect(createDeviceIdentity().publicKey).not.toBe(createDeviceIdentity().publicKey);
  });

  it('rejects an invalid secret key', () => {
    expect(() => deviceIdentityFromSecretKey(new Uint8Array(32))).toThrow(/valid secp256k1 scalar/);
    const n = secp256k1.Point.Fn.ORDER;
    const big = new Uint8Array(
      n
        .toString(16)
        .match(/../g)!
        .map((h) => parseInt(h, 16)),
    );
    expect(() => deviceIdentityFromSecretKey(big)).toThrow(/valid secp256k1 scalar/);
  });
});
