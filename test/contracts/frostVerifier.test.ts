import { readFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { bytesToHex, hexToBytes, type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toContractSignature } from '../../src/chain/contractSignature.ts';
import { frostVerifierHarnessAbi, frostVerifierHarnessBytecode } from '../../src/chain/generated/index.ts';
import { groupKeyToCoordinates } from '../../src/chain/groupKey.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { createFrostGroup, type TestFrostGroup } from '../helpers/frostSigner.ts';

const { n: N, p: P } = secp256k1.Point.CURVE();
const vector = JSON.parse(readFileSync(new URL('../vectors/rfc9591-frost-secp256k1-sha256.json', import.meta.url), 'utf8'));

let node: AnvilNode;
let harness: Address;
let group23: TestFrostGroup;
let group35: TestFrostGroup;

type Sig = { rx: bigint; ry: bigint; z: bigint };
type Key = { x: bigint; y: bigint };

const verifyDigest = (key: Key, digest: Hex, s: Sig) =>
  node.publicClient.readContract({
    address: harness,
    abi: frostVerifierHarnessAbi,
    functionName: 'verifyDigest',
    args: [key.x, key.y, digest, s.rx, s.ry, s.z],
  });
const verifyMessage = (key: Key, message: Hex, s: Sig) =>
  node.publicClient.readContract({
    address: harness,
    abi: frostVerifierHarnessAbi,
    functionName: 'verify',
    args: [key.x, key.y, message, s.rx, s.ry, s.z],
  });

beforeAll(async () => {
  node = await startAnvil();
  const wallet = node.walletClient();
  const hash = await wallet.deployContract({ abi: frostVerifierHarnessAbi, bytecode: frostVerifierHarnessBytecode });
  harness = (await node.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
  group23 = createFrostGroup({ min: 2, max: 3 });
  group35 = createFrostGroup({ min: 3, max: 5 });
});
afterAll(() => node?.stop());

describe('FrostVerifier (RFC 9591 FROST(secp256k1, SHA-256)) on anvil', () => {
  it('accepts the RFC 9591 Appendix E.5 vector signature, rejects it tampered', async () => {
    const key = groupKeyToCoordinates(hexToBytes(`0x${vector.inputs.group_public_key}`));
    const sig = toContractSignature(hexToBytes(`0x${vector.final_output.sig}`));
    const message = `0x${vector.inputs.message}` as Hex; // "test": 4 bytes, so the any-length path
    expect(await verifyMessage(key, message, sig)).toBe(true);
    expect(await verifyMessage(key, message, { ...sig, z: sig.z ^ 1n })).toBe(false);
    expect(await verifyMessage(key, '0x74657375', sig)).toBe(false);
  });

  it('accepts signatures of DKG keys (2-of-3, 3-of-5) over digests and over longer messages', async () => {
    for (const group of [group23, group35]) {
      const key = groupKeyToCoordinates(group.groupKey);
      const digest = bytesToHex(secp256k1.utils.randomSecretKey());
      const sig = toContractSignature(await group.signDigest(hexToBytes(digest)));
      expect(await verifyDigest(key, digest, sig)).toBe(true);
      expect(await verifyMessage(key, digest, sig)).toBe(true); // same bytes through the general path
      const long = new TextEncoder().encode('a message longer than one word, which the general path handles'.repeat(3));
      expect(await verifyMessage(key, bytesToHex(long), toContractSignature(group.signMessage(long)))).toBe(true);
    }
  });

  it('rejects z = 0, z = n, z ≥ n, R off the curve, −R, and keys with Px = 0, Px ≥ n, off the curve or negated', async () => {
    const key = groupKeyToCoordinates(group23.groupKey);
    const digest = bytesToHex(secp256k1.utils.randomSecretKey());
    const sig = toContractSignature(await group23.signDigest(hexToBytes(digest)));
    expect(await verifyDigest(key, digest, sig)).toBe(true);
    for (const bad of [
      { ...sig, z: 0n },
      { ...sig, z: N },
      { ...sig, z: N + 1n },
      { ...sig, z: (1n << 256n) - 1n },
      { ...sig, ry: (sig.ry + 1n) % P },
      { ...sig, ry: P - sig.ry },
      { ...sig, rx: P },
    ])
      expect(await verifyDigest(key, digest, bad)).toBe(false);
    const highX = pointWithXAtLeastN();
    for (const badKey of [{ x: 0n, y: key.y }, highX, { x: key.x, y: (key.y + 1n) % P }, { x: key.x, y: P - key.y }])
      expect(await verifyDigest(badKey, digest, sig)).toBe(false);
  });

  it('property: mutated signatures, other messages and other keys are never accepted', async () => {
    const key = groupKeyToCoordinates(group23.groupKey);
    const otherKey = groupKeyToCoordinates(group35.groupKey);
    const digest = bytesToHex(secp256k1.utils.randomSecretKey());
    const sig = toContractSignature(await group23.signDigest(hexToBytes(digest)));
    const field = fc.constantFrom('rx', 'ry', 'z' as const);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('bit' as const), field, bit: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('random' as const), field, value: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }) }),
      fc.record({ kind: fc.constant('message' as const), bit: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('key' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const s = { ...sig };
        let d = digest;
        let k = key;
        if (m.kind === 'bit') s[m.field] ^= 1n << BigInt(m.bit);
        if (m.kind === 'random') s[m.field] = m.value;
        if (m.kind === 'message') d = bytesToHex(flipBit(hexToBytes(digest), m.bit));
        if (m.kind === 'key') k = otherKey;
        expect(await verifyDigest(k, d, s)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('costs at most 6,000 gas per verification (gasleft() around the library call)', async () => {
    const key = groupKeyToCoordinates(group23.groupKey);
    const digest = bytesToHex(secp256k1.utils.randomSecretKey());
    const sig = toContractSignature(await group23.signDigest(hexToBytes(digest)));
    const [ok, gasUsed] = await node.publicClient.readContract({
      address: harness,
      abi: frostVerifierHarnessAbi,
      functionName: 'measureVerifyDigest',
      args: [key.x, key.y, digest, sig.rx, sig.ry, sig.z],
    });
    expect(ok).toBe(true);
    expect(gasUsed).toBeLessThanOrEqual(6_000n);
  });
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** A curve point whose x-coordinate lies in [n, p): unusable as ecrecover's r. */
function pointWithXAtLeastN(): Key {
  for (let x = N; x < P; x++) {
    const rhs = (((x * x) % P) * x + 7n) % P;
    const y = modPow(rhs, (P + 1n) / 4n, P);
    if ((y * y) % P === rhs) return { x, y };
  }
  throw new Error('unreachable');
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
