/**
 * `npm run bench [filter]`: runs every bench/*.bench.ts (or those whose name contains `filter`),
 * merges their figures into bench/results.json (a flat {name: number} object) and prints a table.
 */
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
console.log(`\nwrote ${resultsPath}`);
console.table(sorted);
