/**
 * Contract calls as people type them and as approvers read them: arguments parsed per Solidity type
 * with errors naming the argument; a pasted ABI bounded and checked; call data decoded against the
 * known ABIs with warnings in words (unlimited approve, setApprovalForAll, an address never paid or
 * called), undecodable data shown as an unknown call with its selector in the details; token amounts
 * in the token's own decimals once read from the chain; typed data (a Permit) in words.
 */
import { describe, expect, it } from 'vitest';
import { encodeFunctionData, erc20Abi, erc721Abi, getAddress, maxUint256, toHex, type AbiFunction, type Address } from 'viem';
import type { SigningRequest } from '../../../src/core/index.ts';
import { decodeCall, encodeCall, parseAbiJson, parseArgument, parseEthValue, writableFunctions } from '../../../src/app/services/contractCall.ts';
import { describeRequest, paidBefore } from '../../../src/app/services/describeRequest.ts';
import { permitOf, typedDataFromJson } from '../../../src/app/services/typedDataRequest.ts';
import { callAbiBody, requesterAbisOf } from '../../../src/app/services/requesterAbi.ts';
import { permit, TOKEN, VAULT } from '../../helpers/permit.ts';
import { cairnRegistryAbi } from '../../../src/chain/generated/index.ts';

const SPENDER: Address = '0x2222222222222222222222222222222222222222';
const item = (name: string) => writableFunctions(erc20Abi).find((f) => f.item.name === name)!.item;
const vaultCall = (to: Address, data: `0x${string}`, value = 0n): SigningRequest => ({
  type: 'vault-execute',
  chainId: 31337n,
  vault: VAULT,
  to,
  value,
  data: new Uint8Array(Buffer.from(data.slice(2), 'hex')),
  nonce: 0n,
  minGas: 100_000n,
  validUntil: 2_000_000_000,
});

describe('contract calls', () => {
  it('parses each argument per Solidity type, and names the argument when it is wrong', () => {
    const p = (type: string, text: string, name = 'x') => parseArgument({ name, type } as never, text, 0);
    expect(p('address', SPENDER)).toBe(getAddress(SPENDER));
    expect(p('uint256', 'max')).toBe(maxUint256);
    expect(p('uint8', '0xff')).toBe(255n);
    expect(p('int16', '-32768')).toBe(-32768n);
    expect(p('bool', 'true')).toBe(true);
    expect(p('bytes4', '0x01020304')).toBe('0x01020304');
    expect(p('address[]', `["${SPENDER}"]`)).toEqual([getAddress(SPENDER)]);
    expect(p('uint256[2]', '[1, "2"]')).toEqual([1n, 2n]);
    expect(
      parseArgument(
        {
          type: 'tuple',
          name: 't',
          components: [
            { name: 'a', type: 'uint8' },
            { name: 'b', type: 'bool' },
          ],
        } as never,
        '[7, true]',
        0,
      ),
    ).toEqual([7n, true]);
    for (const [type, text, why] of [
      ['uint256', '1.5', /amount \(uint256\): type a whole number/],
      ['uint8', '256', /amount \(uint8\): out of range/],
      ['uint256', '-1', /out of range/],
      ['address', '0x1234', /not an address/],
      ['address', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'.replace('a', 'A'), /wrong checksum/],
      ['bool', 'yes', /true or false/],
      ['bytes4', '0x0102', /exactly 4 bytes/],
      ['uint256[2]', '[1]', /exactly 2 items/],
      ['address[]', 'not json', /JSON list/],
    ] as const)
      expect(() => p(type, text, 'amount'), `${type} ${text}`).toThrow(why);
    expect(parseEthValue('0,5')).toBe(500_000_000_000_000_000n);
    expect(parseEthValue('')).toBe(0n);
    expect(() => parseEthValue('abc')).toThrow(/ETH amount/);
  });

  it('takes a pasted ABI (list or artifact) with writable functions only, bounded, and says what is wrong', () => {
    const abi = parseAbiJson(JSON.stringify({ abi: erc20Abi }));
    expect(writableFunctions(abi).map((f) => f.signature)).toEqual([
      'approve(address,uint256)',
      'transfer(address,uint256)',
      'transferFrom(address,address,uint256)',
    ]);
    expect(() => parseAbiJson('[{')).toThrow(/not valid JSON/);
    expect(() => parseAbiJson('{"x": 1}')).toThrow(/JSON list/);
    expect(() => parseAbiJson(JSON.stringify(erc20Abi.filter((i) => i.type === 'function' && i.stateMutability === 'view')))).toThrow(
      /no function that changes anything/,
    );
    expect(() => parseAbiJson(JSON.stringify([{ type: 'function', name: 'f', inputs: 'garbage', stateMutability: 'nonpayable' }]))).toThrow(/no function/);
    expect(() => parseAbiJson(' '.repeat(200_001))).toThrow(/too long/);
    // Garbled ABIs don't crash the form: every entry that isn't a well-formed function is dropped.
    for (const junk of ['null', '[null, 1, "x", {"type": "function"}]', '[{"type":"function","name":{"a":1},"inputs":[]}]'])
      expect(() => parseAbiJson(junk)).toThrow(Error);
  });

  it('decodes call data against the known ABIs; warns for an unlimited approve, an operator for a collection and a new address', () => {
    const unlimited = encodeCall(item('approve'), [SPENDER, 'max']);
    expect(decodeCall(unlimited)?.abi.id).toBe('erc20');
    const never = paidBefore([])('x');
    const d = describeRequest(vaultCall(TOKEN, unlimited), { knownRecipient: never });
    expect(d.title).toBe(`Allow 0x2222…2222 to spend unlimited tokens`);
    expect(d.warnings[0]).toMatch(/^Unlimited approval: 0x2222222222222222222222222222222222222222 could take all of this token from the vault/);
    expect(d.warnings[1]).toMatch(/never paid or called 0x2222222222222222222222222222222222222222/);
    expect(d.details).toContainEqual(['Function', 'approve(address,uint256)']);
    expect(d.tokens).toEqual([getAddress(TOKEN)]);
    // A limited approve: no unlimited warning.
    const limited = describeRequest(vaultCall(TOKEN, encodeCall(item('approve'), [SPENDER, '1000'])));
    expect(limited.warnings).toEqual([]);
    expect(limited.lines).toContainEqual(['Amount', expect.stringContaining('1000 units of the token')]);
    // setApprovalForAll(operator, true) on an NFT collection.
    const all = encodeFunctionData({ abi: erc721Abi, functionName: 'setApprovalForAll', args: [SPENDER, true] });
    const nft = describeRequest({
      ...vaultCall(TOKEN, all),
      type: 'eoa-transaction',
      nonce: 0n,
      gas: 1n,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 1n,
    } as SigningRequest);
    expect(nft.warnings[0]).toMatch(/could move every item of this collection that the plain address holds/);
    // An address this wallet paid before (a signed request) is not "new".
    const paid = paidBefore([{ id: 'old', status: 'sent', request: vaultCall(TOKEN, encodeCall(item('transfer'), [SPENDER, '1'])) }]);
    expect(describeRequest(vaultCall(TOKEN, encodeCall(item('approve'), [SPENDER, '5'])), { knownRecipient: paid('new') }).warnings).toEqual([]);
    expect(describeRequest(vaultCall(TOKEN, encodeCall(item('approve'), [SPENDER, '5'])), { knownRecipient: paid('old') }).warnings).toHaveLength(1);
  });

  it("says the wallet's own registry calls as what they do, not as a function name", () => {
    const sig = { rx: 1n, ry: 2n, z: 3n };
    const register = encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'register', args: [1n, 2n, 2, `0x${'11'.repeat(32)}`, sig] });
    const advance = encodeFunctionData({
      abi: cairnRegistryAbi,
      functionName: 'advanceEpoch',
      args: [`0x${'22'.repeat(32)}`, 3n, `0x${'11'.repeat(32)}`, 2, sig],
    });
    const registry = { registry: SPENDER };
    expect(describeRequest(vaultCall(SPENDER, register), registry).title).toBe('Pay the fee to register this wallet on chain');
    expect(describeRequest(vaultCall(SPENDER, advance), registry).title).toBe("Pay the fee to record the guardians' new shares on chain (share set 4)");
  });

  it('a hostile guardian: a registry-shaped call to another contract, or one that sends ETH, is not said as the wallet’s bookkeeping', () => {
    const sig = { rx: 1n, ry: 2n, z: 3n };
    const register = encodeFunctionData({ abi: cairnRegistryAbi, functionName: 'register', args: [1n, 2n, 2, `0x${'11'.repeat(32)}`, sig] });
    const ATTACKER: Address = '0x3333333333333333333333333333333333333333';
    for (const [to, value, ctx] of [
      [ATTACKER, 5n * 10n ** 18n, { registry: SPENDER }],
      [ATTACKER, 0n, { registry: SPENDER }],
      [SPENDER, 0n, {}],
      [SPENDER, 5n * 10n ** 18n, { registry: SPENDER }],
    ] as const) {
      const d = describeRequest(vaultCall(to, register, value), ctx);
      expect(d.title).toBe(`Call register on ${to.slice(0, 6)}…${to.slice(-4)}${value ? ', and 5 ETH with it' : ''}`);
      expect(d.lines).toContainEqual(['Contract', getAddress(to)]);
      if (value) expect(d.lines).toContainEqual(['Also sends', '5 ETH']);
    }
  });

  it('a hostile dapp: ETH sent with a known call is said in the title, not only in a line below a token amount', () => {
    const ONE = 10n ** 18n;
    const transfer = describeRequest(vaultCall(TOKEN, encodeCall(item('transfer'), [SPENDER, '5']), ONE));
    expect(transfer.title).toMatch(/^Send 5 units of the token at .*, and 1 ETH with it$/);
    const approve = describeRequest(vaultCall(TOKEN, encodeCall(item('approve'), [SPENDER, 'max']), 2n * ONE));
    expect(approve.title).toMatch(/, and 2 ETH with it$/);
    expect(describeRequest(vaultCall(SPENDER, '0xdeadbeef0000', ONE)).title).toBe('Unknown contract call, and 1 ETH with it');
    // No ETH, no words about it; a plain payment is said as one.
    expect(describeRequest(vaultCall(TOKEN, encodeCall(item('transfer'), [SPENDER, '5']))).title).not.toMatch(/ETH/);
    expect(describeRequest(vaultCall(SPENDER, '0x', ONE)).title).toBe('Send 1 ETH');
  });

  it('a hostile guardian: the fee a plain-address transaction may burn is shown, like the vault’s', () => {
    const tx = (maxFeePerGas: bigint): SigningRequest => ({
      type: 'eoa-transaction',
      chainId: 31337n,
      nonce: 3n,
      to: SPENDER,
      value: 10n ** 17n,
      data: new Uint8Array(),
      gas: 21_000n,
      maxFeePerGas,
      maxPriorityFeePerGas: maxFeePerGas,
    });
    // 0.1 ETH to send, but up to 21 ETH of fees (a tip the block's proposer keeps).
    expect(describeRequest(tx(10n ** 15n)).lines).toContainEqual(['Network fee, at most', '21 ETH (paid by the plain address)']);
    expect(describeRequest(tx(2n * 10n ** 9n)).lines).toContainEqual(['Network fee, at most', '0.000042 ETH (paid by the plain address)']);
  });

  it('shows undecodable data as an unknown call with its selector in the details, and never throws on garbage', () => {
    const d = describeRequest(vaultCall(SPENDER, '0xdeadbeef0000'));
    expect(d.title).toBe('Unknown contract call');
    expect(d.details).toContainEqual(['Function selector', '0xdeadbeef']);
    expect(d.warnings[0]).toMatch(/can’t read what this call does/);
    // A known selector with truncated arguments is unknown too, not a crash.
    const cut = encodeCall(item('transfer'), [SPENDER, '1']).slice(0, 20) as `0x${string}`;
    expect(describeRequest(vaultCall(TOKEN, cut)).title).toBe('Unknown contract call');
    const broken = { type: 'eoa-typed-data', typedData: new TextEncoder().encode('{') } as SigningRequest;
    expect(describeRequest(broken).title).toBe('A request this device can’t read');
  });

  it('describes a Permit in words with its token, spender and amount; other typed data field by field', () => {
    const { doc, bytes } = typedDataFromJson(JSON.stringify({ ...permit, message: { ...permit.message, value: maxUint256.toString() } }));
    expect(permitOf(doc)).toMatchObject({ token: getAddress(TOKEN), value: maxUint256 });
    const d = describeRequest({ type: 'vault-typed-data', chainId: 31337n, vault: VAULT, typedData: bytes }, { chainId: 1 });
    expect(d.title).toBe('Sign a permit: allow 0x2222…2222 to spend unlimited tokens');
    expect(d.lines).toContainEqual(['For', 'Cairn Test Token']);
    expect(d.lines).toContainEqual(['Contract', getAddress(TOKEN)]);
    expect(d.warnings.join(' ')).toMatch(/Unlimited permit/);
    expect(d.warnings.join(' ')).toMatch(/another network \(chain 31337\)/);
    const vote = typedDataFromJson(
      JSON.stringify({
        types: {
          Vote: [
            { name: 'proposal', type: 'bytes32' },
            { name: 'choice', type: 'uint32' },
            { name: 'voter', type: 'address' },
          ],
        },
        primaryType: 'Vote',
        domain: { name: 'snapshot', version: '0.1.4' },
        message: { proposal: toHex(7, { size: 32 }), choice: 1, voter: SPENDER },
      }),
    );
    const v = describeRequest({ type: 'eoa-typed-data', typedData: vote.bytes });
    expect(v.title).toBe('Sign a Vote message for snapshot with the plain address');
    expect(v.lines).toContainEqual(['choice', '1']);
    expect(v.lines).toContainEqual(['voter', getAddress(SPENDER)]);
    expect(() => typedDataFromJson('{"types":')).toThrow(/not valid JSON/);
    expect(() => typedDataFromJson(JSON.stringify({ ...permit, message: { ...permit.message, owner: 'me' } }))).toThrow(/message.owner must be an address/);
  });

  it('reads a call with the ABI the requester published, as its word only; garbled or foreign entries are ignored', () => {
    const fn = parseAbiJson(
      JSON.stringify([
        {
          type: 'function',
          name: 'castVote',
          stateMutability: 'nonpayable',
          inputs: [
            { name: 'proposalId', type: 'uint256' },
            { name: 'support', type: 'uint8' },
          ],
        },
      ]),
    )[0] as AbiFunction;
    const data = encodeCall(fn, ['42', '1']);
    const requestId = 'ab'.repeat(32);
    let n = 0;
    const entry = (author: string, body: unknown) => ({
      id: `${author}-${n++}`,
      author,
      kind: 'call-abi',
      at: 0,
      body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
    });
    const junk = [
      entry('alice', '{not json'),
      entry('alice', { requestId, fn: { name: 'x', inputs: 'no' } }),
      entry('alice', { requestId, fn: { name: 'x', inputs: [{ type: 'uint7' }] } }),
      entry('alice', { requestId, fn: { name: '__bad name', inputs: [] } }),
      entry('alice', {
        requestId,
        fn: {
          name: 'deep',
          inputs: [
            {
              type: 'tuple',
              components: [
                {
                  type: 'tuple',
                  components: [
                    { type: 'tuple', components: [{ type: 'tuple', components: [{ type: 'tuple', components: [{ type: 'tuple', components: [] }] }] }] },
                  ],
                },
              ],
            },
          ],
        },
      }),
      entry('alice', 'x'.repeat(9000)),
      entry('mallory', callAbiBody(requestId, { ...fn, name: 'transfer' })), // not the requester
    ];
    expect(requesterAbisOf(junk, () => 'alice').size).toBe(0);
    const abis = requesterAbisOf([...junk, entry('alice', callAbiBody(requestId, fn))], (id) => (id === requestId ? 'alice' : undefined));
    const d = describeRequest(vaultCall(SPENDER, data), { requesterAbi: abis.get(requestId) });
    expect(d.title).toBe('Call castVote on 0x2222…2222, as the person who asked describes it');
    expect(d.lines).toContainEqual(['proposalId', '42']);
    expect(d.warnings[0]).toMatch(/^Only the person who asked says what this call does/);
    // A published function that doesn't read the data changes nothing: still an unknown call.
    expect(describeRequest(vaultCall(SPENDER, '0xdeadbeef'), { requesterAbi: abis.get(requestId) }).title).toBe('Unknown contract call');
  });

  it('encodes what it decodes (round trip through viem)', () => {
    const f = item('transfer') as AbiFunction;
    const data = encodeCall(f, [SPENDER, '42']);
    expect(decodeCall(data)).toMatchObject({ item: { name: 'transfer' }, args: [getAddress(SPENDER), 42n] });
  });
});
