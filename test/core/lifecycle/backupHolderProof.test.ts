/** proveBackupHolder refuses any share that is not the lost guardian's with a typed BAD_SHARE, whatever its bytes. */
import { describe, expect, it } from 'vitest';
import { CairnError, identifierOf, identifierToScalar, makePublicPackage, proveBackupHolder, verifyBackupHolder } from '../../../src/core/index.ts';
import { Fn, Point, randomScalar } from '../../../src/core/curve.ts';
import { hexToBytes } from '../../../src/core/encoding.ts';
import { commitPolynomial, evaluatePolynomial, randomPolynomial } from '../../../src/core/polynomial.ts';

describe('proveBackupHolder', () => {
  const keys = [11n, 12n, 13n].map((k) => Point.BASE.multiply(k).toBytes(true));
  const coefficients = randomPolynomial(randomScalar(), 2);
  const pub = makePublicPackage({ walletId: new Uint8Array(32).fill(1), epoch: 1, threshold: 2, deviceKeys: keys, commitment: commitPolynomial(coefficients) });
  const [lost, holder] = keys as [Uint8Array, Uint8Array];
  const s = evaluatePolynomial(coefficients, identifierToScalar(identifierOf(lost)));

  it('proves with the right share; a short, long, out-of-range or zero share is BAD_SHARE, never a bare Error', () => {
    const statement = { pub, lost, holder };
    expect(() => verifyBackupHolder(statement, proveBackupHolder(statement, Fn.toBytes(s)))).not.toThrow();
    const unreduced = s + Fn.ORDER < 1n << 256n ? hexToBytes((s + Fn.ORDER).toString(16).padStart(64, '0')) : new Uint8Array(32).fill(0xff);
    const bad = [
      Fn.toBytes(s).subarray(1),
      Uint8Array.of(0, ...Fn.toBytes(s)),
      new Uint8Array(32).fill(0xff),
      unreduced,
      new Uint8Array(32),
      Fn.toBytes(Fn.add(s, 1n)),
    ];
    for (const share of bad) {
      let thrown: unknown;
      try {
        proveBackupHolder(statement, share);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(CairnError);
      expect((thrown as CairnError).code).toBe('BAD_SHARE');
    }
  });
});
