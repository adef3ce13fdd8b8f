/** Helpers shared by the benchmark files. Benchmarks print figures; they never assert a time. */
import { performance } from 'node:perf_hooks';

/** Median wall time (ms) of `fn` over `runs` runs, after `warmup` unmeasured runs. */
export async function medianMs(fn: () => unknown | Promise<unknown>, { runs = 30, warmup = 3 } = {}): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return Math.round(median * 1000) / 1000;
}

/** A benchmark file exports `run`, returning flat `{figureName: number}` results. */
export type BenchFile = { run: () => Promise<Record<string, number>> };
