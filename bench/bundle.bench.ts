/**
 * Bundle size of the first screen: runs `vite build` (into a temporary directory) and sums the gzip
 * sizes of the JS the welcome screen needs — the entry chunk and its static imports, transitively;
 * lazy chunks (`import()`) are left out. Also reports the whole app's JS for comparison.
 * `e2e.journey.totalMs` comes from the journey test (e2e/journey.spec.ts writes
 * test-results/journey-metrics.json); it is merged here when present.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };

export async function run(): Promise<Record<string, number>> {
  const outDir = mkdtempSync(join(tmpdir(), 'cairn-bundle-'));
  try {
    await build({ logLevel: 'silent', build: { outDir, manifest: true, sourcemap: false, emptyOutDir: true } });
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const entries = Object.keys(manifest).filter((k) => manifest[k]!.isEntry);
    const initial = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || initial.has(chunk.file)) return;
      initial.add(chunk.file);
      for (const imp of chunk.imports ?? []) visit(imp);
    };
    for (const e of entries) visit(e);
    const gz = (file: string) => gzipSync(readFileSync(join(outDir, file))).length;
    const initialJsGzipBytes = [...initial].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gz(f), 0);
    const assets = join(outDir, 'assets');
    const allJsGzipBytes = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + gz(join('assets', f)), 0);
    const figures: Record<string, number> = { 'bundle.initialJsGzipBytes': initialJsGzipBytes, 'bundle.allJsGzipBytes': allJsGzipBytes };
    const journey = 'test-results/journey-metrics.json';
    if (existsSync(journey)) Object.assign(figures, JSON.parse(readFileSync(journey, 'utf8')) as Record<string, number>);
    return figures;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
