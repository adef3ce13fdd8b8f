/**
 * A reload at any round of a refresh or a reshare (docs/invariants.md, invariants 4 and 10): every
 * device of a 2-of-3 wallet is reloaded once at each of the five rounds. Afterwards, either the new
 * epoch is committed and every pair of it signs, or every device is still on the old epoch and every
 * pair of it signs — never a split; and the reloaded device never answers its session twice.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryHub, createWalletAmong, ManualClock, until } from './helpers.ts';
import { makeReloadableDevice, reopenSettled, signTogether, type Reloadable } from './reloadable.ts';

const keyOf = (d: Reloadable) => d.identity.publicKey;

async function threeGuardians(seed: number) {
  const hub = createMemoryHub({ delayMs: (r) => r() * 2, seed });
  const clock = new ManualClock();
  const devices = [await makeReloadableDevice(hub, clock, 'g1'), await makeReloadableDevice(hub, clock, 'g2'), await makeReloadableDevice(hub, clock, 'g3')];
  const walletId = await createWalletAmong(devices, 2);
  await until(hub, clock, () => devices.every((d) => d.guardian.wallet()), 0);
  return { hub, clock, devices, walletId };
}

const cases = (['refresh', 'reshare'] as const).flatMap((kind) => [1, 2, 3, 4, 5].flatMap((round) => [0, 1, 2].map((who) => ({ kind, round, who }))));

describe('a reload during a key change', () => {
  it.each(cases)('$kind, device $who reloaded at round $round: one epoch everywhere, and every pair of it signs', async ({ kind, round, who }) => {
    const { hub, clock, devices, walletId } = await threeGuardians(100 + round * 3 + who);
    const victim = devices[who]!;
    let reloading: Promise<void> | undefined;
    const watch = (d: Reloadable) =>
      d.guardian.on((e) => {
        if (d === victim && !reloading && e.type === 'progress' && e.protocol === kind && e.round === round)
          reloading = (async () => {
            await victim.reload({ keepDoc: true });
            await reopenSettled(hub, clock, victim, walletId);
          })();
      });
    for (const d of devices) watch(d);
    const proposer = devices[(who + 1) % 3]!;
    void (kind === 'refresh' ? proposer.guardian.refresh() : proposer.guardian.reshare(devices.map(keyOf), 2)).catch(() => undefined);
    await until(hub, clock, () => reloading !== undefined, 3);
    await reloading;
    await until(hub, clock, () => false, 6).catch(() => undefined); // let every run end, by success or timeout
    const epochs = devices.map((d) => d.guardian.wallet()!.pub.epoch);
    expect(new Set(epochs).size).toBe(1);
    // The reloaded device took no second part in the session it had answered.
    const ranTwice = victim.events.some((e) => e.type === 'progress' && e.protocol === kind && e.round === 1);
    if (round > 1) expect(ranTwice).toBe(false);
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const)
      await signTogether(hub, clock, devices[a]!, devices[b]!, `${kind} ${round} ${who} ${a}${b}`);
    for (const d of devices) expect([...d.backend.raw.keys()].filter((k) => k.includes('/staged/')).length).toBeLessThanOrEqual(1);
  });
});
