/**
 * Runs the real lifecycle protocols in-process among all parties, with a hook on every message so
 * tests can drop (a party vanishes) or rewrite (a party lies) any package between any two parties.
 * Each party that throws is recorded with its error and sends nothing afterwards, exactly as a
 * device that aborts. No vitest here: the benchmark uses it too.
 */
import {
  identifierOf,
  promote,
  refreshPart1,
  refreshPart2,
  refreshPart3,
  repairPart1,
  repairPart2,
  repairRecover,
  reshareDeal,
  reshareReceive,
  stageEnrollment,
  type DeviceKey,
  type Identifier,
  type PromoteResult,
  type RefreshParams,
  type RepairParams,
  type ReshareParams,
  type StagedEpoch,
} from '../../../src/core/index.ts';
import { randomDeviceKeys, type Wallet } from '../../helpers/coreDkg.ts';

/** One package in flight. Return the bytes to deliver, or undefined to drop it. */
export type Message = { stage: string; from: Identifier; to: Identifier; bytes: Uint8Array };
export type Tamper = (m: Message) => Uint8Array | undefined;
const honest: Tamper = (m) => m.bytes;

/** Who staged the next epoch, who aborted (and why), and what each new holder had before. */
export type Staging = {
  holders: Identifier[];
  staged: Map<Identifier, StagedEpoch>;
  aborted: Map<Identifier, unknown>;
  deviceOf: (id: Identifier) => DeviceKey;
};

/** Delivers `out[from].get(to)` for every sender except `to`, through the tamper hook. */
function inbox(
  stage: string,
  to: Identifier,
  out: ReadonlyMap<Identifier, ReadonlyMap<Identifier, Uint8Array> | Uint8Array>,
  tamper: Tamper,
  includeSelf = false,
) {
  const m = new Map<Identifier, Uint8Array>();
  for (const [from, packages] of out) {
    if (from === to && !includeSelf) continue;
    const bytes = packages instanceof Uint8Array ? packages : packages.get(to);
    if (!bytes) continue;
    const delivered = from === to ? bytes : tamper({ stage, from, to, bytes });
    if (delivered) m.set(from, delivered);
  }
  return m;
}

/** Runs `fn` for a party, recording an abort instead of throwing. */
function attempt<T>(aborted: Map<Identifier, unknown>, id: Identifier, fn: () => T): T | undefined {
  if (aborted.has(id)) return undefined;
  try {
    return fn();
  } catch (err) {
    aborted.set(id, err);
    return undefined;
  }
}

function deviceLookup(...lists: (readonly DeviceKey[])[]): (id: Identifier) => DeviceKey {
  const m = new Map(lists.flat().map((k) => [identifierOf(k), k]));
  return (id) => m.get(id)!;
}

export function runRefresh(
  w: Wallet,
  opts: { participants?: readonly Identifier[]; threshold?: number; requestId?: Uint8Array; tamper?: Tamper } = {},
): Staging {
  const holders = [...(opts.participants ?? w.ids)].sort();
  const tamper = opts.tamper ?? honest;
  const params = (id: Identifier): RefreshParams => ({
    current: w.keys.get(id)!,
    participants: holders.map(w.deviceOf),
    threshold: opts.threshold ?? w.pub.threshold,
    requestId: opts.requestId ?? new Uint8Array([0x52]),
  });
  const aborted = new Map<Identifier, unknown>();
  const r1 = new Map(holders.map((id) => [id, refreshPart1(params(id))]));
  const b1 = new Map([...r1].map(([id, r]) => [id, r.broadcast]));
  const r2 = new Map<Identifier, ReturnType<typeof refreshPart2>>();
  for (const id of holders) {
    const r = attempt(aborted, id, () => refreshPart2(r1.get(id)!.state, inbox('refresh-round1', id, b1, tamper)));
    if (r) r2.set(id, r);
  }
  const out2 = new Map([...r2].map(([id, r]) => [id, r.outgoing]));
  const staged = new Map<Identifier, StagedEpoch>();
  for (const id of r2.keys()) {
    const r = attempt(aborted, id, () => refreshPart3(r2.get(id)!.state, inbox('refresh-round2', id, out2, tamper)));
    if (r) staged.set(id, r.staged);
  }
  return { holders, staged, aborted, deviceOf: w.deviceOf };
}

export function runReshare(
  w: Wallet,
  opts: { dealers?: readonly Identifier[]; newDeviceKeys: readonly DeviceKey[]; newThreshold: number; requestId?: Uint8Array; tamper?: Tamper },
): Staging {
  const dealers = [...(opts.dealers ?? w.ids.slice(0, w.pub.threshold))].sort();
  const tamper = opts.tamper ?? honest;
  const params: ReshareParams = {
    previous: w.pub,
    dealers: dealers.map(w.deviceOf),
    newDeviceKeys: opts.newDeviceKeys,
    newThreshold: opts.newThreshold,
    requestId: opts.requestId ?? new Uint8Array([0x53]),
  };
  const holders = opts.newDeviceKeys.map(identifierOf).sort();
  const aborted = new Map<Identifier, unknown>();
  const deals = new Map(dealers.map((id) => [id, reshareDeal(params, w.keys.get(id)!)]));
  const b1 = new Map([...deals].map(([id, d]) => [id, d.broadcast]));
  const out2 = new Map([...deals].map(([id, d]) => [id, d.outgoing]));
  const staged = new Map<Identifier, StagedEpoch>();
  const deviceOf = deviceLookup(w.deviceKeys, opts.newDeviceKeys);
  for (const id of holders) {
    const r = attempt(aborted, id, () =>
      reshareReceive(params, deviceOf(id), inbox('reshare-round1', id, b1, tamper, true), inbox('reshare-round2', id, out2, tamper, true)),
    );
    if (r) staged.set(id, r.staged);
  }
  return { holders, staged, aborted, deviceOf };
}

export type RepairRun = { params: RepairParams; result?: ReturnType<typeof repairRecover>; aborted: Map<Identifier, unknown> };

/** The RTS flow among `helpers` for `target` (a holder's device key for repair, a new key for enroll). */
export function runRepairFlow(
  w: Wallet,
  opts: { mode: 'repair' | 'enroll'; target: DeviceKey; helpers?: readonly Identifier[]; requestId?: Uint8Array; tamper?: Tamper },
): RepairRun {
  const targetId = identifierOf(opts.target);
  const helpers = [...(opts.helpers ?? w.ids.filter((id) => id !== targetId).slice(0, w.pub.threshold))].sort();
  const tamper = opts.tamper ?? honest;
  const params: RepairParams = {
    public: w.pub,
    helpers: helpers.map(w.deviceOf),
    target: opts.target,
    mode: opts.mode,
    requestId: opts.requestId ?? new Uint8Array([0x50]),
  };
  const aborted = new Map<Identifier, unknown>();
  const r1 = new Map(helpers.map((id) => [id, repairPart1(params, w.keys.get(id)!)]));
  const out1 = new Map([...r1].map(([id, r]) => [id, r.outgoing]));
  const sigmas = new Map<Identifier, Uint8Array>();
  for (const id of helpers) {
    const r = attempt(aborted, id, () => repairPart2(r1.get(id)!.state, inbox('repair-delta', id, out1, tamper)));
    if (r) sigmas.set(id, r.sigma);
  }
  const result = attempt(aborted, targetId, () =>
    repairRecover(params, opts.target, inbox('repair-commitments', targetId, out1, tamper), inbox('repair-sigma', targetId, sigmas, tamper)),
  );
  return { params, result, aborted };
}

/** Enrollment: the RTS flow for the new device, plus every existing holder staging the new roster. */
export function runEnroll(
  w: Wallet,
  opts: { newDevice?: DeviceKey; helpers?: readonly Identifier[]; tamper?: Tamper } = {},
): Staging & { newDevice: DeviceKey } {
  const newDevice = opts.newDevice ?? randomDeviceKeys(1)[0]!;
  const run = runRepairFlow(w, { mode: 'enroll', target: newDevice, helpers: opts.helpers, tamper: opts.tamper });
  const staged = new Map<Identifier, StagedEpoch>();
  for (const id of w.ids) {
    const r = attempt(run.aborted, id, () => stageEnrollment(run.params, w.keys.get(id)!));
    if (r) staged.set(id, r.staged);
  }
  if (run.result?.mode === 'enroll') staged.set(identifierOf(newDevice), run.result.staged);
  const holders = [...w.ids, identifierOf(newDevice)].sort();
  return { holders, staged, aborted: run.aborted, deviceOf: deviceLookup(w.deviceKeys, [newDevice]), newDevice };
}

export type Promotion = { results: Map<Identifier, PromoteResult>; failed: Map<Identifier, unknown>; wallet?: Wallet };

/**
 * Every holder that staged sends its confirmation to every other holder (through `tamper`), then
 * each tries to promote. The new wallet exists only if every new holder promoted.
 */
export function promoteAll(w: Wallet, s: Staging, tamper: Tamper = honest): Promotion {
  const out = new Map([...s.staged].map(([id, st]) => [id, st.confirmation]));
  const results = new Map<Identifier, PromoteResult>();
  const failed = new Map<Identifier, unknown>();
  for (const [id, st] of s.staged) {
    const r = attempt(failed, id, () => promote(w.keys.get(id), st, inbox('confirmation', id, out, tamper)));
    if (r) results.set(id, r);
  }
  if (results.size !== s.holders.length) return { results, failed };
  const keys = new Map([...results].map(([id, r]) => [id, r.current]));
  const pub = results.get(s.holders[0]!)!.current.public;
  const wallet: Wallet = { walletId: w.walletId, deviceKeys: [...pub.roster.deviceKeys], ids: [...pub.roster.identifiers], keys, pub, deviceOf: s.deviceOf };
  return { results, failed, wallet };
}
