/**
 * The device clock the policy reads (time locks, rolling daily limits, working hours). In the dev
 * server (`npm run dev`) and the e2e build (`VITE_CAIRN_TEST_HOOKS=1`, set only by
 * playwright.config.ts) a test may move it forward with `window.__cairnClock = { offsetMs }` to let
 * a time lock pass, next to anvil's `evm_increaseTime`. Both flags are build-time constants: in
 * `npm start`'s and any production build this branch is compiled out.
 */
type TestClock = { offsetMs?: number };

export function deviceNow(): number {
  if (!import.meta.env?.DEV && import.meta.env?.VITE_CAIRN_TEST_HOOKS !== '1') return Date.now();
  const offset = (globalThis as { __cairnClock?: TestClock }).__cairnClock?.offsetMs;
  return Date.now() + (typeof offset === 'number' && Number.isFinite(offset) ? offset : 0);
}
