/**
 * The layering rules of docs/architecture.md, checked on the source: arrows point down only, and the core is
 * sans-I/O (it imports only @noble/*, @scure/* and itself, and touches no DOM, storage, network or clock).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', 'src');
const layers = ['core', 'device', 'net', 'protocol', 'chain', 'app'] as const;
// Which layers each layer may import (docs/architecture.md "Layers").
const allowed: Record<(typeof layers)[number], readonly string[]> = {
  core: ['core'],
  device: ['core', 'device'],
  net: ['core', 'device', 'net'],
  protocol: ['core', 'device', 'net', 'protocol'],
  chain: ['core', 'chain'],
  app: layers,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const importsOf = (source: string) =>
  [...source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);

describe('architecture', () => {
  // Negative control: the checks below pass vacuously if the scan finds no files or the regex finds no imports.
  it('the scan sees the source tree and every import form', () => {
    for (const layer of layers) expect(files(join(root, layer)).length).toBeGreaterThan(0);
    const sample = "import { a } from './a.ts';\nimport type { B } from '../b.ts';\nexport * from './c.ts';\nconst d = await import('./d.ts');";
    expect(importsOf(sample)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts']);
    expect(
      files(join(root, 'protocol'))
        .flatMap((f) => importsOf(readFileSync(f, 'utf8')))
        .some((spec) => spec.startsWith('../core/')),
    ).toBe(true);
  });

  for (const layer of layers) {
    it(`src/${layer} imports only the layers below it`, () => {
      const bad: string[] = [];
      for (const file of files(join(root, layer))) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = relative(root, join(file, '..', spec)).split('/')[0]!;
          if ((layers as readonly string[]).includes(target) && !allowed[layer].includes(target)) bad.push(`${relative(root, file)} → ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('src/core is sans-I/O: only @noble/*, @scure/* and itself; no DOM, storage, network, clock or Math.random', () => {
    const bad: string[] = [];
    for (const file of files(join(root, 'core'))) {
      const source = readFileSync(file, 'utf8');
      for (const spec of importsOf(source)) if (!spec.startsWith('.') && !/^@(noble|scure)\//.test(spec)) bad.push(`${relative(root, file)} imports ${spec}`);
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const word of ['Math.random', 'Date.now', 'new Date(', 'fetch(', 'localStorage', 'indexedDB', 'document.', 'window.', 'setTimeout', 'console.'])
        if (code.includes(word)) bad.push(`${relative(root, file)} uses ${word}`);
    }
    expect(bad).toEqual([]);
  });
});
