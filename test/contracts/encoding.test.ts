import { secp256k1, secp256k1_FROST as F } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../src/core/errors.ts';
import { readChainConfig } from '../../src/chain/chainConfig.ts';
import { toContractSignature } from '../../src/chain/contractSignature.ts';
import { groupKeyToCoordinates } from '../../src/chain/groupKey.ts';

const { n: N } = secp256k1.Point.CURVE();
const be32 = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));

describe('signature and key encodings for the contracts', () => {
  it('toContractSignature: R decompressed, z parsed; the result re-encodes to the same 65 bytes', () => {
    const deal = F.trustedDealer({ min: 2, max: 3 });
    const ids = Object.keys(deal.secretShares).slice(0, 2);
    const msg = secp256k1.utils.randomSecretKey();
    const round1 = ids.map((id) => ({ id, ...F.commit(deal.secretShares[id]!) }));
    const list = round1.map((r) => r.commitments);
    const shares = Object.fromEntries(round1.map((r) => [r.id, F.signShare(deal.secretShares[r.id]!, deal.public, r.nonces, list, msg)]));
    const sig = F.aggregate(deal.public, list, msg, shares);
    const { rx, ry, z } = toContractSignature(sig);
    const R = secp256k1.Point.fromAffine({ x: rx, y: ry });
    expect(Uint8Array.from([...R.toBytes(true), ...be32(z)])).toEqual(sig);
  });

  it('toContractSignature rejects wrong lengths, R off the curve, z = 0 and z ≥ n (MALFORMED)', () => {
    const R = secp256k1.Point.BASE.toBytes(true);
    const bad = [
      new Uint8Array(64),
      new Uint8Array(66),
      Uint8Array.from([...R.slice(0, 32), ...be32(1n)]),
      Uint8Array.from([0x05, ...R.slice(1), ...be32(1n)]),
      Uint8Array.from([...R, ...be32(0n)]),
      Uint8Array.from([...R, ...be32(N)]),
      Uint8Array.from([...R, ...be32((1n << 256n) - 1n)]),
    ];
    for (const b of bad) expect(() => toContractSignature(b)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('groupKeyToCoordinates: any valid compressed key round-trips; junk is MALFORMED', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: N - 1n }), (k) => {
        const P = secp256k1.Point.BASE.multiply(k);
        expect(groupKeyToCoordinates(P.toBytes(true))).toEqual({ x: P.toAffine().x, y: P.toAffine().y });
      }),
      { numRuns: 30 },
    );
    for (const junk of [new Uint8Array(33), new Uint8Array(32), secp256k1.Point.BASE.toBytes(false)]) {
      const err = (() => {
        try {
          groupKeyToCoordinates(junk);
        } catch (e) {
          return e;
        }
      })();
      expect(isCairnError(err, 'MALFORMED')).toBe(true);
    }
  });

  it('readChainConfig reads what scripts/start.mjs passes to Vite', () => {
    expect(readChainConfig({})).toBeUndefined();
    expect(
      readChainConfig({
        VITE_CAIRN_RPC_URL: 'http://127.0.0.1:8545',
        VITE_CAIRN_CHAIN_ID: '31337',
        VITE_CAIRN_REGISTRY: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
        VITE_CAIRN_TOKEN: '',
      }),
    ).toEqual({
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      vaultFactory: undefined,
      token: undefined,
    });
    expect(() => readChainConfig({ VITE_CAIRN_RPC_URL: 'http://x', VITE_CAIRN_CHAIN_ID: 'abc' })).toThrow(/chain id/);
    expect(() => readChainConfig({ VITE_CAIRN_RPC_URL: 'http://x', VITE_CAIRN_CHAIN_ID: '1', VITE_CAIRN_REGISTRY: '0x12' })).toThrow(/address/);
  });
});
