#!/usr/bin/env node
// `npm test`: every test — unit, property, adversarial, contracts (vitest) and browser e2e (Playwright).
import { spawnSync } from 'node:child_process';
import { hasChromium, chromiumHint } from './chromium.mjs';

function run(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

if (!hasChromium()) {
  console.error(chromiumHint);
  process.exit(1);
}
const node = process.execPath;
const unit = run('unit, property, adversarial and contract tests (vitest)', node, ['node_modules/vitest/vitest.mjs', 'run']);
const e2e = run('browser end-to-end tests (Playwright + Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test']);
console.log(`\nvitest: ${unit ? 'green' : 'FAILED'}   e2e: ${e2e ? 'green' : 'FAILED'}`);
process.exit(unit && e2e ? 0 : 1);
