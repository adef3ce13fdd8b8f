/** Each lifecycle protocol, run honestly: same group key, new epoch, every invariant holds. */
import { describe, expect, it } from 'vitest';
import { groupKeyOf, identifierOf } from '../../../src/core/index.ts';
import { runDkg } from '../../helpers/coreDkg.ts';
import { subsets } from '../../helpers/coreSign.ts';
import { checkWallet, promoted, randomDeviceKeys, runEnroll, runRefresh, runRepairFlow, runReshare } from './helpers.ts';

describe('honest lifecycle', () => {
  it('refresh 3-of-5: every share changes, the key and epoch+1 check out, all 3-subsets sign', () => {
    const w = runDkg(3, 5);
    const gk = groupKeyOf(w.pub);
    const w1 = promoted(w, runRefresh(w));
    expect(w1.pub.epoch).toBe(1);
    for (const id of w.ids) expect(w1.keys.get(id)!.signingShare).not.toEqual(w.keys.get(id)!.signingShare);
    checkWallet(w1, gk, subsets(w1.ids, 3));
  });

  it('refresh with a subset drops the holders left out', () => {
    const w = runDkg(2, 4);
    const w1 = promoted(w, runRefresh(w, { participants: w.ids.slice(0, 3) }));
    expect([...w1.ids].sort()).toEqual([...w.ids.slice(0, 3)].sort());
    checkWallet(w1, groupKeyOf(w.pub), subsets(w1.ids, 2));
  });

  it('reshare 3-of-5 → 4-of-7 keeping two holders, adding five', () => {
    const w = runDkg(3, 5);
    const newKeys = [w.deviceOf(w.ids[0]!), w.deviceOf(w.ids[4]!), ...randomDeviceKeys(5)];
    const w1 = promoted(w, runReshare(w, { dealers: w.ids.slice(1, 4), newDeviceKeys: newKeys, newThreshold: 4 }));
    expect(w1.pub.threshold).toBe(4);
    expect(w1.pub.epoch).toBe(1);
    expect(w1.ids.length).toBe(7);
    checkWallet(w1, groupKeyOf(w.pub), [w1.ids.slice(0, 4), w1.ids.slice(3, 7)]);
  });

  it('reshare 3-of-4 → 2-of-3 with more than t dealers', () => {
    const w = runDkg(3, 4);
    const w1 = promoted(w, runReshare(w, { dealers: w.ids, newDeviceKeys: randomDeviceKeys(3), newThreshold: 2 }));
    checkWallet(w1, groupKeyOf(w.pub), subsets(w1.ids, 2));
  });

  it('repair restores exactly the lost share in the same epoch', () => {
    const w = runDkg(3, 5);
    const lost = w.ids[2]!;
    const run = runRepairFlow(w, { mode: 'repair', target: w.deviceOf(lost) });
    expect([...run.aborted.values()]).toEqual([]);
    expect(run.result?.mode).toBe('repair');
    const key = run.result!.mode === 'repair' ? run.result!.keyPackage : undefined;
    expect(key!.signingShare).toEqual(w.keys.get(lost)!.signingShare);
    expect(key!.public.epoch).toBe(0);
  });

  it('enroll adds a holder on the same polynomial at epoch+1; the newcomer signs', () => {
    const w = runDkg(2, 3);
    const s = runEnroll(w);
    const w1 = promoted(w, s);
    const newcomer = identifierOf(s.newDevice);
    expect(w1.ids).toContain(newcomer);
    expect(w1.pub.epoch).toBe(1);
    expect(w1.pub.commitments).toEqual(w.pub.commitments);
    checkWallet(
      w1,
      groupKeyOf(w.pub),
      subsets(w1.ids, 2).filter((set) => set.includes(newcomer)),
    );
  });
});
