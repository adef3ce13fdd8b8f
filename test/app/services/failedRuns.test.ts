/** A failed run is told once, naming everyone any report named, however many devices reported it. */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/net/requestLog.ts';
import { encodeBlame } from '../../../src/protocol/blame.ts';
import { failedRunText, failedRuns } from '../../../src/app/services/failedRuns.ts';
import { createDeviceIdentity } from '../../../src/device/deviceIdentity.ts';

const [bob, carol, dave] = [createDeviceIdentity(), createDeviceIdentity(), createDeviceIdentity()].map((d) => d.publicKey);
const session = (n: number) => new Uint8Array(32).fill(n);
const blame = (id: string, s: number, culprits: string[], code: 'ABORTED' | 'BAD_SIGNATURE_SHARE' = 'ABORTED'): LogEntry => ({
  id,
  kind: 'blame',
  author: dave!,
  at: 1,
  body: encodeBlame({ session: session(s), protocol: 'frost-sign', requestId: new Uint8Array(32).fill(9), culprits, code, reason: 'x' }),
});

describe('failed runs', () => {
  it('reports of one session are one run, with every culprit; another session is another run', () => {
    const runs = failedRuns([
      blame('e1', 1, [bob!]),
      blame('e2', 1, [bob!, carol!]),
      blame('e3', 2, [carol!], 'BAD_SIGNATURE_SHARE'),
      { id: 'e4', kind: 'blame', author: bob!, at: 1, body: new Uint8Array([1, 2]) },
    ]);
    expect(runs.size).toBe(2);
    const first = runs.get('01'.repeat(32))!;
    expect([first.first, [...first.culprits].sort(), first.timedOut, first.requestId]).toEqual(['e1', [bob!, carol!].sort(), true, '09'.repeat(32)]);
    expect(runs.get('02'.repeat(32))).toMatchObject({ first: 'e3', timedOut: false });
  });

  it('is told once, naming the guardians, however many devices reported it and however often the page reloads', () => {
    const names: Record<string, string> = { [bob!]: 'Bob phone', [carol!]: 'Carol tablet' };
    const entries = [blame('e1', 5, [bob!]), blame('e2', 5, [bob!]), blame('e3', 5, [bob!])]; // three reports, one run
    // A reload reads the same log again: still one run, one line.
    for (const _reload of [0, 1]) {
      const runs = [...failedRuns(entries).values()];
      expect(runs.map((r) => failedRunText(r, (k) => names[k]!, 'Send 1 ETH'))).toEqual([
        "reported that a run of “Send 1 ETH” stopped: Bob phone didn't answer in time",
      ]);
    }
    const bad = [...failedRuns([blame('e4', 6, [carol!], 'BAD_SIGNATURE_SHARE')]).values()][0]!;
    expect(failedRunText(bad, (k) => names[k]!)).toBe("reported that a run stopped: Carol tablet sent something that didn't check out");
  });
});
