/**
 * Pairwise setups for the larger signing tests. A setup is one real run of the setup protocol (setupPair), but its
 * base OTs cost ~3×128 constant-time variable-base multiplications per direction (seconds per pair on the 2-core CI
 * box), so completed setups are cached in node_modules/.cache keyed by the ECDSA sources: a code change invalidates
 * them (only the setup-producing files count). Setups do not depend on key shares, so one table serves every key set with the same identifiers — which is
 * also what lets the wallet keep its setups across a refresh. The setup protocol itself runs fresh in setup.test.ts,
 * account.test.ts and the adversarial tests.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { PairwiseSetup } from '../../../src/core/ecdsa/index.ts';
import { deriveGadget } from '../../../src/core/ecdsa/vole.ts';
import { setupPair, type SetupTable } from './inProcess.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const srcDir = join(root, 'src', 'core', 'ecdsa');
const cacheDir = join(root, 'node_modules', '.cache', 'cairn-ecdsa-setups');

const SETUP_FILES = ['baseOt.ts', 'encoding.ts', 'glvMultiply.ts', 'pairwiseSetup.ts', 'params.ts', 'setup.ts', 'zeroShare.ts'];

function sourceHash(): string {
  const h = createHash('sha256');
  // Only the files that produce or shape setup data; signing-only edits keep the cache.
  for (const f of SETUP_FILES) h.update(f).update(readFileSync(join(srcDir, f)));
  return h.digest('hex').slice(0, 16);
}

type Stored = {
  self: string;
  peer: string;
  context: string;
  delta: string;
  seeds: string;
  seeds0: string;
  seeds1: string;
  zeroSeed: string;
  sId: string;
  rId: string;
};

const store = (s: PairwiseSetup): Stored => ({
  self: s.self,
  peer: s.peer,
  context: bytesToHex(s.context),
  delta: bytesToHex(s.asSender.delta),
  seeds: bytesToHex(s.asSender.seeds),
  seeds0: bytesToHex(s.asReceiver.seeds0),
  seeds1: bytesToHex(s.asReceiver.seeds1),
  zeroSeed: bytesToHex(s.zeroSeed),
  sId: bytesToHex(s.asSender.setupId),
  rId: bytesToHex(s.asReceiver.setupId),
});

const load = (x: Stored): PairwiseSetup => {
  const sId = hexToBytes(x.sId);
  const rId = hexToBytes(x.rId);
  return {
    kind: 'dkls23-pairwise-setup',
    self: x.self,
    peer: x.peer,
    context: hexToBytes(x.context),
    asSender: { setupId: sId, delta: hexToBytes(x.delta), seeds: hexToBytes(x.seeds), gadget: deriveGadget(sId) },
    asReceiver: { setupId: rId, seeds0: hexToBytes(x.seeds0), seeds1: hexToBytes(x.seeds1), gadget: deriveGadget(rId) },
    zeroSeed: hexToBytes(x.zeroSeed),
    status: 'ready',
  };
};

/** Fresh copies (own buffers, status 'ready') of real setups for every pair among `ids`. */
export function cachedSetups(ids: readonly string[], context = new Uint8Array(32)): SetupTable {
  const table: SetupTable = Object.fromEntries(ids.map((id) => [id, {}]));
  const dir = join(cacheDir, sourceHash());
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = [ids[i]!, ids[j]!].sort() as [string, string];
      const file = join(dir, `${bytesToHex(context).slice(0, 16)}-${a.slice(0, 16)}-${b.slice(0, 16)}.json`);
      let pair: [Stored, Stored];
      if (existsSync(file)) pair = JSON.parse(readFileSync(file, 'utf8'));
      else {
        const [sa, sb] = setupPair(a, b, context);
        pair = [store(sa), store(sb)];
        writeFileSync(file, JSON.stringify(pair));
      }
      table[a]![b] = load(pair[0]);
      table[b]![a] = load(pair[1]);
    }
  return table;
}
