/** Helpers shared by the benchmark files. Benchmarks print figures; they never assert a time. */
import { performance } from 'node:perf_hooks';

/** The median of samples, to 0.1. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return Math.round((s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2) * 10) / 10;
}

export { freePort } from '../scripts/services.mjs';

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
  const middle = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return Math.round(middle * 1000) / 1000;
}

/** A benchmark file exports `run`, returning flat `{figureName: number}` results. */
export type BenchFile = { run: () => Promise<Record<string, number>> };

/** Median CPU time (ms) of a synchronous `fn` (process.cpuUsage): steadier than wall time on a shared machine. */
export async function medianCpuMs(fn: () => unknown, { runs = 30, warmup = 3 } = {}): Promise<number> {
  const cpu: number[] = [];
  for (let i = 0; i < runs + warmup; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    if (i >= warmup) cpu.push((d.user + d.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(cpu.length / 2);
  return Math.round((cpu.length % 2 ? cpu[mid]! : (cpu[mid - 1]! + cpu[mid]!) / 2) * 1000) / 1000;
}
