import { describe, expect, it } from 'vitest';
import { CairnError, culpritsOf, ensure } from '../src/core/errors.ts';

describe('CairnError', () => {
  it('carries a stable code and the culprits', () => {
    const err = new CairnError('BAD_SHARE', 'share does not match commitments', { culprits: ['ab'.repeat(32)] });
    expect(err.code).toBe('BAD_SHARE');
    expect(culpritsOf(err)).toEqual(['ab'.repeat(32)]);
    expect(err.message).toContain('Culprit: abab');
    expect(() => ensure(false, 'MALFORMED', 'x')).toThrow(CairnError);
  });
});
