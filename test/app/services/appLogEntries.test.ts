import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/device/byteCodec.ts';
import type { LogEntry } from '../../../src/net/requestLog.ts';
import { GUARDIAN_LOG_KINDS } from '../../../src/protocol/logKinds.ts';
import { APP_LOG_KINDS, holdsOf, readAppEntry, receiptsOf } from '../../../src/app/services/appLogEntries.ts';
import { holdTextFor } from '../../../src/app/services/policyService.ts';
import type { WalletInfo } from '../../../src/app/services/walletInfo.ts';

const CREATOR = '02' + '11'.repeat(32);
const OTHER = '03' + '22'.repeat(32);
const entry = (kind: string, author: string, value: unknown, id = kind): LogEntry => ({ id, kind, author, at: 1, body: utf8(JSON.stringify(value)) });
const info: WalletInfo = { walletId: 'w', name: '', threshold: 2, guardians: 3, creator: CREATOR, members: [CREATOR, OTHER], names: {} };

describe("the app's reader of the log", () => {
  it('accepts every kind the guardian facade reads (ecdsa-setup included) and its own three', () => {
    for (const kind of GUARDIAN_LOG_KINDS) expect(APP_LOG_KINDS).toContain(kind);
    expect(APP_LOG_KINDS).toContain('ecdsa-setup');
    for (const kind of ['profile', 'vault', 'receipt', 'hold']) expect(APP_LOG_KINDS).toContain(kind);
  });

  it('receipts map request ids to transaction hashes; bodies that are not JSON are skipped', () => {
    const broken: LogEntry = { id: 'x', kind: 'receipt', author: OTHER, at: 1, body: utf8('{not json') };
    const receipts = receiptsOf([entry('receipt', OTHER, { requestId: 'r1', txHash: '0xab' }), broken, entry('profile', OTHER, { name: 'n' })]);
    expect([...receipts]).toEqual([['r1', '0xab']]);
  });

  it("a profile names its author; only the creator's names the wallet, and only once", () => {
    expect(readAppEntry(entry('profile', OTHER, { name: 'Bob', wallet: 'Not this' }), info)).toEqual({ info: { names: { [OTHER]: 'Bob' }, name: '' } });
    expect(readAppEntry(entry('profile', CREATOR, { name: 'Alice', wallet: 'Family' }), info)).toEqual({
      info: { names: { [CREATOR]: 'Alice' }, name: 'Family' },
    });
    expect(readAppEntry(entry('profile', CREATOR, { wallet: 'No name' }), info)).toBeUndefined();
  });

  it("the vault's address is taken from the creator only", () => {
    const vault = '0x00000000000000000000000000000000000000aa';
    expect(readAppEntry(entry('vault', OTHER, { vault, chainId: 31337 }), info)).toBeUndefined();
    expect(readAppEntry(entry('vault', CREATOR, { vault, chainId: 31337 }), info)).toEqual({
      info: { vault: '0x00000000000000000000000000000000000000AA', chainId: 31337, registered: true },
    });
  });

  it("a guardian's published hold is shown to everyone in plain words, with when it lifts; malformed holds are skipped", () => {
    const id = 'ab'.repeat(32);
    const at = new Date(2026, 0, 5, 14, 9).getTime();
    const holds = holdsOf([
      entry('hold', OTHER, { requestId: id, rule: 'timeLock', reason: 'old', retryAt: at - 1 }, 'h1'),
      entry('hold', OTHER, { requestId: id, rule: 'dailyLimit', reason: 'Over your daily limit of 1 ETH: 0.6 ETH already sent', retryAt: at }, 'h2'),
      entry('hold', CREATOR, { requestId: 'r1', rule: 'dailyLimit', reason: 'x' }, 'h3'), // not a request id
      entry('hold', CREATOR, { requestId: id, rule: 7, reason: 'x' }, 'h4'),
      entry('hold', CREATOR, null, 'h5'),
    ]);
    expect([...holds.keys()]).toEqual([id]);
    const h = holds.get(id)!.get(OTHER)!;
    expect(h).toEqual({ guardian: OTHER, rule: 'dailyLimit', reason: 'Over your daily limit of 1 ETH: 0.6 ETH already sent', retryAt: at });
    expect(holdTextFor('Bob', h, at - 3_600_000)).toMatch(
      /^Bob's daily limit holds their approval: Over their daily limit of 1 ETH: 0\.6 ETH already sent — it can go through today at .+; their approval is then given by itself\.$/,
    );
    expect(holdTextFor('Bob', { rule: 'unknownData', reason: 'x' })).toContain("data the app can't read");
    expect(holdTextFor('Mallory', { rule: 'constructor', reason: 'x' })).toBe("Mallory's rule holds their approval: x. Waiting will not change this.");
  });
});
