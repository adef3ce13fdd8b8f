/**
 * Core figures (issue 2): FROST signing and DKG, all parties in one process, medians. The baseline
 * is a single-signer Schnorr sign+verify of the same ciphersuite in the same run.
 *
 * DKG figures time all three parts for every party, including deriving the roster's identifiers;
 * the guardians' device identity keys are made before the timer starts (they exist before any
 * wallet is created), fresh for every run so no cache carries over between runs. All parties share
 * one process, so a roster key is validated and its identifier derived once, not once per party.
 */
import { performance } from 'node:perf_hooks';
import { Fn, Point, frost, randomScalar } from '../src/core/curve.ts';
import { frostAggregate, frostCommit, frostSignShare, frostSigningSession, type SigningRequest } from '../src/core/index.ts';
import { randomDeviceKeys, runDkg, type Wallet } from '../test/helpers/coreDkg.ts';
import { medianMs } from './util.ts';

const request: SigningRequest = { type: 'test-message', message: new TextEncoder().encode('benchmark') };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return Math.round((s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2) * 1000) / 1000;
}

/** Times one signer's signShare and the aggregate separately (commit is round 1, not timed). */
function signingFigures(w: Wallet, t: number, runs: number) {
  const signers = w.ids.slice(0, t);
  const keys = signers.map((id) => w.keys.get(id)!);
  const shareTimes: number[] = [];
  const aggregateTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const s = frostSigningSession(w.pub, { signers: signers.map(w.deviceOf), requestId: Uint8Array.of(run & 255, run >> 8), request });
    const r1 = keys.map((k) => frostCommit(k, s));
    const commitments = new Map(keys.map((k, i) => [k.identifier, r1[i]!.commitment]));
    const shares = new Map<string, Uint8Array>();
    keys.forEach((k, i) => {
      const t0 = performance.now();
      shares.set(k.identifier, frostSignShare(k, r1[i]!.nonces, s, commitments));
      if (i === 0) shareTimes.push(performance.now() - t0);
    });
    const t0 = performance.now();
    frostAggregate(w.pub, s, commitments, shares);
    aggregateTimes.push(performance.now() - t0);
  }
  return { signShare: median(shareTimes.slice(3)), aggregate: median(aggregateTimes.slice(3)) };
}

/** Median of whole t-of-n DKGs (every party's three parts), each with fresh device keys made beforehand. */
function dkgMs(t: number, n: number, opts: { runs: number; warmup: number }): Promise<number> {
  const rosters = Array.from({ length: opts.runs + opts.warmup }, () => randomDeviceKeys(n));
  return medianMs(() => runDkg(t, n, { deviceKeys: rosters.pop()! }), opts);
}

export async function run(): Promise<Record<string, number>> {
  // Baseline: the same ciphersuite with one plain key (RFC 9591 single-key Schnorr sign + verify).
  const secretScalar = randomScalar();
  const secret = Fn.toBytes(secretScalar);
  const publicKey = Point.BASE.multiply(secretScalar).toBytes(true);
  const digest = new Uint8Array(32).fill(7);
  const single = await medianMs(() => frost.verify(frost.sign(digest, secret), digest, publicKey), { runs: 60 });
  const w23 = runDkg(2, 3);
  const w710 = runDkg(7, 10);
  const s23 = signingFigures(w23, 2, 40);
  const s710 = signingFigures(w710, 7, 30);
  const dkg35 = await dkgMs(3, 5, { runs: 15, warmup: 2 });
  const dkg815 = await dkgMs(8, 15, { runs: 5, warmup: 1 });
  return {
    'frost.single.signVerifyMs': single,
    'frost.2of3.signShareMs': s23.signShare,
    'frost.2of3.aggregateMs': s23.aggregate,
    'frost.7of10.signShareMs': s710.signShare,
    'frost.7of10.aggregateMs': s710.aggregate,
    'dkg.3of5.allPartiesMs': dkg35,
    'dkg.8of15.allPartiesMs': dkg815,
  };
}
