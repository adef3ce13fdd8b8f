import { describe, expect, it } from 'vitest';
import { randomBytes } from '@noble/hashes/utils.js';
import {
  checkUnlockKey,
  createUnlockConfig,
  decodeUnlockConfig,
  encodeUnlockConfig,
  unlockKeyFromPrf,
  WRONG_PASSKEY_MESSAGE,
} from '../../src/device/unlockKey.ts';

describe('unlock key', () => {
  it('PRF output → key is stable per credential and differs across credentials', () => {
    const prf = randomBytes(32);
    expect(unlockKeyFromPrf(prf, 'cred-a')).toEqual(unlockKeyFromPrf(prf, 'cred-a'));
    expect(unlockKeyFromPrf(prf, 'cred-a')).not.toEqual(unlockKeyFromPrf(prf, 'cred-b'));
    expect(unlockKeyFromPrf(prf, 'cred-a')).not.toEqual(prf);
    expect(() => unlockKeyFromPrf(randomBytes(16), 'c')).toThrow(/wrong size/);
  });

  it('the config round-trips and its verifier tells a wrong passkey apart', () => {
    const key = randomBytes(32);
    const config = createUnlockConfig({ kind: 'passkey-prf', credentialId: 'abc_-', prfSalt: randomBytes(32) }, key);
    const back = decodeUnlockConfig(encodeUnlockConfig(config));
    expect(back).toEqual(config);
    expect(() => checkUnlockKey(back, key)).not.toThrow();
    expect(() => checkUnlockKey(back, randomBytes(32))).toThrow(WRONG_PASSKEY_MESSAGE);
  });
});
