/**
 * A payment whose nonce a sent payment already used fails before anyone approves it; a receipt counts
 * only for a request t guardians approved (one guardian's made-up receipt fails nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import type { SigningRequest } from '../../../src/core/index.ts';
import { utf8 } from '../../../src/device/byteCodec.ts';
import type { LogEntry } from '../../../src/net/requestLog.ts';
import { encodeApproval, encodeRequestBody } from '../../../src/protocol/signingRequestCodec.ts';
import { staleNonceReason, usedNonces } from '../../../src/app/services/usedNonces.ts';

const [A, B, C] = ['02' + '11'.repeat(32), '03' + '22'.repeat(32), '02' + '33'.repeat(32)];
const VAULT = '0x9999999999999999999999999999999999999999' as Address;
const OTHER_VAULT = '0x8888888888888888888888888888888888888888' as Address;
const pay = (nonce: bigint, vault = VAULT): SigningRequest => ({
  type: 'vault-execute',
  chainId: 31337n,
  vault,
  to: VAULT,
  value: 1n,
  data: new Uint8Array(),
  nonce,
  minGas: 50_000n,
  validUntil: 2 ** 40,
});
const id = (n: number) => n.toString(16).padStart(64, '0');
let seq = 0;
const entry = (kind: string, author: string, body: Uint8Array, entryId = `e${seq++}`): LogEntry => ({ id: entryId, kind, author, at: 1, body });
const request = (n: number, r: SigningRequest) => entry('request', A, encodeRequestBody({ epoch: 0, request: r }), id(n));
const approval = (n: number, by: string) => entry('approval', by, encodeApproval(id(n)));
const receipt = (n: number, by = A) => entry('receipt', by, utf8(JSON.stringify({ requestId: id(n), txHash: '0xab' })));

describe('used nonces', () => {
  it('a sent payment approved by t guardians makes every other payment with its nonce or a lower one from that vault fail', () => {
    const entries = [
      request(1, pay(5n)),
      approval(1, A),
      approval(1, B),
      receipt(1),
      request(2, pay(5n)),
      request(3, pay(4n)),
      request(4, pay(6n)),
      request(5, pay(5n, OTHER_VAULT)),
    ];
    const used = usedNonces(entries, [A, B, C], 2);
    expect(staleNonceReason(used, pay(5n), id(2))).toMatch(/can no longer go through/);
    expect(staleNonceReason(used, pay(4n), id(3))).toMatch(/can no longer go through/);
    expect(staleNonceReason(used, pay(5n), id(1))).toBeUndefined(); // the sent one itself
    expect(staleNonceReason(used, pay(6n), id(4))).toBeUndefined();
    expect(staleNonceReason(used, pay(5n, OTHER_VAULT), id(5))).toBeUndefined();
  });

  it("one guardian's receipt for a request that never had t approvals fails nothing", () => {
    const entries = [request(1, pay(9n)), approval(1, A), receipt(1, A), request(2, pay(5n))];
    expect(staleNonceReason(usedNonces(entries, [A, B, C], 2), pay(5n), id(2))).toBeUndefined();
  });
});
