#!/usr/bin/env node
// `npm test`: every test — unit, property, adversarial, contracts (vitest) and browser e2e (Playwright).
import { spawn } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';
import { ensureTurnserver } from './turn.mjs';

/** Runs a test runner with its output passed through, and returns its exit code and output. */
function run(title, args) {
  console.log(`\n=== ${title} ===`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the runners' ANSI colour codes (ESC [ … m)
    child.on('close', (code) => resolve({ ok: code === 0, output: output.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

/** The runners' own summary counts (vitest: "Tests  N failed | M passed"; Playwright: "M passed", "N failed"). */
function counts(output, summary) {
  const text = summary ? (output.match(summary)?.[0] ?? '') : output;
  const n = (re) => Number(text.match(re)?.[1] ?? 0);
  return { passed: n(/(\d+) passed/), failed: n(/(\d+) failed/) };
}

// Lint first: cheap, and a finding fails the run like a failing test.
const biome = await run('format, lint and accessibility rules (biome ci)', ['node_modules/@biomejs/biome/bin/biome', 'ci', '.']);
const knip = await run('unused files, exports and dependencies (knip)', ['node_modules/knip/bin/knip.js']);
if (!ensureChromium() || !ensureTurnserver()) process.exit(1);
const unit = await run('unit, property, adversarial and contract tests (vitest)', ['node_modules/vitest/vitest.mjs', 'run']);
const e2e = await run('browser end-to-end tests (Playwright + Chromium)', ['node_modules/@playwright/test/cli.js', 'test']);
const u = counts(unit.output, /^\s*Tests\s+.*$/m);
const e = counts(e2e.output.split('\n').slice(-30).join('\n'));
const failed = u.failed + e.failed + (unit.ok ? 0 : u.failed ? 0 : 1) + (e2e.ok ? 0 : e.failed ? 0 : 1);
const lint = [biome.ok ? '' : 'biome', knip.ok ? '' : 'knip'].filter(Boolean);
console.log(`\nlint: ${lint.length ? `${lint.join(' and ')} found problems (above)` : 'clean'}`);
console.log(`vitest: ${u.passed} passed, ${u.failed} failed   e2e: ${e.passed} passed, ${e.failed} failed`);
console.log(`tests: ${u.passed + e.passed} passed, ${failed} failed`);
process.exit(biome.ok && knip.ok && unit.ok && e2e.ok ? 0 : 1);
