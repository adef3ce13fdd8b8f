/**
 * Waiting for the request log to show something: a reopened device waits until the log shows its
 * own entries again (`creationRecord.ts`, `joiningRecord.ts`) before it relies on its sealed record.
 */
import { CairnError } from '../core/index.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import type { Clock } from './clock.ts';

/**
 * Resolves with `find`'s first defined answer on the log's entries (checked now and after every
 * change); rejects with what `find` throws, or after `timeoutMs` (the log never showed it).
 */
export function whenLogShows<T>(log: RequestLog, find: (entries: readonly LogEntry[]) => T | undefined, clock: Clock, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      let found: T | undefined;
      try {
        found = find(log.entries());
      } catch (err) {
        stop();
        return reject(err);
      }
      if (found === undefined) return; // not synced yet
      stop();
      resolve(found);
    };
    // Membership changes re-filter the log from inside its own delivery: check in a microtask.
    const unsubscribe = log.subscribe(() => queueMicrotask(check));
    const timer = clock.setTimeout(() => {
      unsubscribe();
      reject(new CairnError('UNREACHABLE', "The wallet's log doesn't show this device's own entries yet; connect to a guardian and try again"));
    }, timeoutMs);
    const stop = () => {
      unsubscribe();
      clock.clearTimeout(timer);
    };
    queueMicrotask(check);
  });
}
