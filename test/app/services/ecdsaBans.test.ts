/** The Guardians page's notice for a guardian banned from plain-address signing names it and offers the lifting button. */
import { describe, expect, it } from 'vitest';
import { ecdsaBanNotices } from '../../../src/app/services/ecdsaBans.ts';

const bob = '02' + 'b0'.repeat(32);
const eve = '03' + 'e0'.repeat(32);

describe('ECDSA ban notices', () => {
  it('one notice per banned guardian, in plain words, with "Allow set-up with <name> again"', () => {
    const notices = ecdsaBanNotices([bob, eve], { [bob]: 'Bob phone' });
    expect(notices.map((n) => n.peer)).toEqual([bob, eve]);
    expect(notices[0]!.button).toBe('Allow set-up with Bob phone again');
    expect(notices[0]!.text).toMatch(/^Bob phone failed a security check/);
    expect(notices[0]!.text).toContain('allow it');
    expect(notices[1]!.button).toBe('Allow set-up with this guardian again'); // no name known on this device
    expect(notices[1]!.text).toMatch(/^A guardian failed/);
    expect(ecdsaBanNotices([], { [bob]: 'Bob phone' })).toEqual([]);
  });
});
