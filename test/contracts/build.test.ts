import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { evmVersion, solcVersion } from '../../src/chain/generated/index.ts';

describe('generated contract modules', () => {
  it('are fresh: built from the current contracts/ sources, compiler and settings', () => {
    const r = spawnSync(process.execPath, ['scripts/build-contracts.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/fresh/);
    expect(r.status).toBe(0);
  });

  it('are pinned to solc 0.8.37 and the prague EVM that the test and devnet anvils run', () => {
    expect(solcVersion).toMatch(/^0\.8\.37\+/);
    expect(evmVersion).toBe('prague');
  });
});
