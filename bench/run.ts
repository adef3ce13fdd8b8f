/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts (or those whose name contains `filter`),
 * merges their figures into bench/results.json (a flat {name: number} object) and prints a table.
 * Several files run one after another, each in its own process.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchFile } from './util.ts';
import { ensureChromium } from '../scripts/chromium.mjs';
import { ensureTurnserver } from '../scripts/turn.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = join(here, 'results.json');
const filter = process.argv[2] ?? '';

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
// The browser figures need Chromium (and the relay figure coturn): installed on a fresh Debian machine as root, else the command to run is printed.
const browserBenches = files.some((f) => f === 'e2e.bench.ts' || f === 'keyChangeE2e.bench.ts');
if (browserBenches && (!ensureChromium() || !ensureTurnserver())) process.exit(1);
const inChild = process.env.CAIRN_BENCH_CHILD === '1';
if (files.length > 1) {
  // Each file in its own process: one bench's heap, JIT state and leftover garbage never bill another's CPU time.
  for (const file of files) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), file], {
      stdio: 'inherit',
      env: { ...process.env, CAIRN_BENCH_CHILD: '1' },
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
} else {
  const results: Record<string, number> = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchFile;
    console.log(`running ${file}…`);
    const figures = await mod.run();
    Object.assign(results, figures);
    for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(40)} ${value}`);
  }
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(resultsPath, JSON.stringify(sorted, null, 2) + '\n');
}
if (!inChild) {
  console.log(`\nwrote ${resultsPath}`);
  console.table(JSON.parse(readFileSync(resultsPath, 'utf8')));
}
