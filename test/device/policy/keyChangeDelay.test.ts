/**
 * The key-change delay (docs/key-changes.md): a guardian's own waiting time before its device approves
 * a refresh or a change of guardians. Encoded as policy v2 (v1 policies still read), counted from the
 * later of the proposal's timestamp and when this device saw it.
 */
import { describe, expect, it } from 'vitest';
import { checkKeyChangeDelay } from '../../../src/device/policy/checkKeyChangeDelay.ts';
import { decodePolicy, encodePolicy } from '../../../src/device/policy/index.ts';
import { makePolicy } from './fixtures.ts';

const HOUR = 3_600_000;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('key-change delay', () => {
  it('encodes as v2 with the field, v1 without it; both decode, and v1 policies published before still read', () => {
    const v2 = encodePolicy(makePolicy({ keyChangeDelayHours: 48 }));
    expect(JSON.parse(new TextDecoder().decode(v2))).toMatchObject({ v: 2, keyChangeDelayHours: 48 });
    expect(decodePolicy(v2)).toMatchObject({ v: 2, keyChangeDelayHours: 48 });
    const v1 = encodePolicy(makePolicy({}));
    expect(JSON.parse(new TextDecoder().decode(v1))).not.toHaveProperty('keyChangeDelayHours');
    expect(decodePolicy(v1).keyChangeDelayHours).toBeUndefined();
    const json = JSON.parse(new TextDecoder().decode(v2));
    for (const bad of [
      { ...json, keyChangeDelayHours: 0 },
      { ...json, keyChangeDelayHours: 24 * 365 + 1 },
      { ...json, keyChangeDelayHours: 1.5 },
      { ...json, v: 1 },
    ])
      expect(() => decodePolicy(utf8(JSON.stringify(bad)))).toThrow(/Invalid policy/);
    const { keyChangeDelayHours: _, ...withoutField } = json;
    expect(() => decodePolicy(utf8(JSON.stringify(withoutField)))).toThrow(/exactly the fields/);
  });

  it('holds until the delay passed, counted from the later of the proposal and when this device saw it', () => {
    const policy = makePolicy({ keyChangeDelayHours: 48 });
    const proposedAt = 1_000 * HOUR;
    expect(checkKeyChangeDelay(policy, { proposedAt }, proposedAt + 47 * HOUR)).toMatchObject({ rule: 'keyChangeDelay', retryAt: proposedAt + 48 * HOUR });
    expect(checkKeyChangeDelay(policy, { proposedAt }, proposedAt + 48 * HOUR)).toBeUndefined();
    // A backdated proposal (its author's clock says 3 days ago) still waits 48 h from when this device saw it.
    expect(checkKeyChangeDelay(policy, { proposedAt: proposedAt - 72 * HOUR, seenAt: proposedAt }, proposedAt + 1 * HOUR)?.message).toMatch(
      /wait 48 h before you approve them: 47 h/,
    );
    expect(checkKeyChangeDelay(makePolicy({}), { proposedAt }, proposedAt)).toBeUndefined();
    expect(checkKeyChangeDelay(undefined, { proposedAt }, proposedAt)).toBeUndefined();
  });
});
