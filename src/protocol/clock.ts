/**
 * Time, injected: the runner's round timeouts and the log's informative timestamps come from a
 * `Clock`, so unit tests drive time by hand (`test/protocol/helpers`) and never wait on a real timer.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock (browser and Node). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};
