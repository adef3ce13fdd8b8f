/**
 * The device clock the policy reads (time locks, rolling daily limits, working hours). In a
 * development build (`npm start`, the e2e tests) a test may move it forward with
 * `window.__cairnClock = { offsetMs }` to let a time lock pass, next to anvil's `evm_increaseTime`;
 * production builds ignore it.
 */
type TestClock = { offsetMs?: number };

export function deviceNow(): number {
  if (!import.meta.env?.DEV) return Date.now();
  const offset = (globalThis as { __cairnClock?: TestClock }).__cairnClock?.offsetMs;
  return Date.now() + (typeof offset === 'number' && Number.isFinite(offset) ? offset : 0);
}
