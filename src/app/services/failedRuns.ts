/**
 * Failed protocol runs from the `blame` entries, one per session however many devices reported it
 * (each participant that saw the run stop writes its own), naming every device any report named:
 * Activity tells each failed run once, with names ("Bob phone didn't answer in time"), not once per
 * report or per reload.
 */
import { toHex } from '../../device/byteCodec.ts';
import type { LogEntry } from '../../net/requestLog.ts';
import { decodeBlame } from '../../protocol/blame.ts';

/** A failed run: its first report, every device any report named, whether all said "didn't answer in time". */
export type FailedRun = { first: string; culprits: Set<string>; timedOut: boolean; requestId: string };

/** Activity's line for a run ("… stopped: Bob phone didn't answer in time"), naming every culprit. */
export function failedRunText(run: FailedRun, nameOf: (key: string) => string, title?: string): string {
  const who = [...run.culprits].map(nameOf).join(', ');
  const what = title ? ` of “${title}”` : '';
  return `reported that a run${what} stopped: ${who} ${run.timedOut ? "didn't answer in time" : "sent something that didn't check out"}`;
}

export function failedRuns(entries: readonly LogEntry[]): Map<string, FailedRun> {
  const runs = new Map<string, FailedRun>();
  for (const e of entries) {
    if (e.kind !== 'blame') continue;
    try {
      const b = decodeBlame(e.body);
      const session = toHex(b.session);
      const run = runs.get(session) ?? { first: e.id, culprits: new Set<string>(), timedOut: true, requestId: toHex(b.requestId) };
      for (const c of b.culprits) run.culprits.add(c);
      run.timedOut &&= b.code === 'ABORTED';
      runs.set(session, run);
    } catch {
      continue; // the log reports unreadable entries
    }
  }
  return runs;
}
