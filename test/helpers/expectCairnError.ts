/** Asserts that `fn` throws a CairnError with `code` naming exactly `culprits` (in any order). */
import { expect } from 'vitest';
import { CairnError } from '../../src/core/index.ts';

export function expectCulprits(fn: () => unknown, code: CairnError['code'], culprits: readonly string[]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(CairnError);
  expect((thrown as CairnError).code).toBe(code);
  expect([...(thrown as CairnError).culprits].sort()).toEqual([...culprits].sort());
}
