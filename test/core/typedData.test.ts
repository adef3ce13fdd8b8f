/**
 * EIP-712 typed data in the core: the hash equals viem's `hashTypedData` for every type EIP-712 has
 * (nested structs, arrays of structs, fixed arrays, negative ints, bytes, bytesN, bool, an implied or
 * empty domain); the codec carries only the canonical encoding; hostile inputs are refused with
 * `MALFORMED`, never a crash; the vault and plain-address requests sign what viem and the vault expect.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, hashTypedData, type TypedDataDefinition } from 'viem';
import {
  CairnError,
  encodeTypedData,
  normalizeTypedData,
  parseTypedData,
  signingDigest,
  signingPath,
  typedDataHash,
  type SigningRequest,
} from '../../src/core/index.ts';
import { decodeRequestBody, encodeRequestBody } from '../../src/protocol/signingRequestCodec.ts';
import { getVaultMessageDigest } from '../../src/chain/vaultDigests.ts';
import { permit, VAULT } from '../helpers/permit.ts';

const mail = {
  types: {
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallets', type: 'address[]' },
      { name: 'score', type: 'int32' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'attachment', type: 'bytes' },
      { name: 'tag', type: 'bytes4' },
      { name: 'urgent', type: 'bool' },
      { name: 'grid', type: 'uint8[2][]' },
    ],
    Unused: [{ name: 'x', type: 'uint256' }],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', chainId: 1, salt: `0x${'ab'.repeat(32)}` },
  message: {
    from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826'], score: -5 },
    to: [
      { name: 'Bob', wallets: [], score: '2147483647' },
      { name: 'Eve', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB', '0xB0B0b0b0b0b0B000000000000000000000000000'], score: '-2147483648' },
    ],
    contents: 'Hello, Bob! ☕',
    attachment: '0xDEADBEEF',
    tag: '0x01020304',
    urgent: true,
    grid: [
      [1, 2],
      [255, 0],
    ],
  },
};

const viemHash = (td: unknown) => hashTypedData(td as TypedDataDefinition);
const bytesOf = (td: unknown) => encodeTypedData(normalizeTypedData(td));

describe('EIP-712 typed data in the core', () => {
  it('hashes as viem does: a Permit, and nested structs, arrays, ints, bytes, salt and an implied domain', () => {
    for (const td of [permit, mail, { ...permit, types: { Permit: permit.types.Permit } }, { ...mail, domain: {} }]) {
      const doc = parseTypedData(bytesOf(td));
      expect(bytesToHex(typedDataHash(doc))).toBe(viemHash(td));
    }
  });

  it('carries one canonical encoding: unused types dropped, EIP712Domain explicit, integers as decimal strings', () => {
    const doc = parseTypedData(bytesOf(mail));
    expect(Object.keys(doc.types)).toEqual(['EIP712Domain', 'Mail', 'Person']);
    expect(doc.domain).toEqual({ name: 'Ether Mail', chainId: '1', salt: `0x${'ab'.repeat(32)}` });
    expect((doc.message.from as Record<string, unknown>).wallets).toEqual(['0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826']);
    // The same data spelled differently (key order, whitespace, number forms) is not accepted as request bytes.
    const loose = new TextEncoder().encode(JSON.stringify(permit, null, 1));
    expect(() => parseTypedData(loose)).toThrow(/canonical/);
    const reordered = JSON.parse(new TextDecoder().decode(bytesOf(permit)));
    const swapped = new TextEncoder().encode(
      JSON.stringify({ primaryType: reordered.primaryType, types: reordered.types, domain: reordered.domain, message: reordered.message }),
    );
    expect(() => parseTypedData(swapped)).toThrow(/canonical/);
  });

  it('refuses hostile or wrong input with MALFORMED, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [null, /JSON object/],
      [{ ...permit, extra: 1 }, /unexpected key/],
      [{ ...permit, primaryType: 'EIP712Domain' }, /primaryType/],
      [{ ...permit, primaryType: 'Nope' }, /primaryType/],
      [{ ...permit, message: { ...permit.message, value: '-1' } }, /message.value does not fit in uint256/],
      [{ ...permit, message: { ...permit.message, value: (1n << 256n).toString() } }, /does not fit/],
      [{ ...permit, message: { ...permit.message, value: 1.5 } }, /whole number/],
      [{ ...permit, message: { ...permit.message, owner: '0x1234' } }, /message.owner must be an address/],
      [{ ...permit, message: { owner: VAULT, value: '1', nonce: 0, deadline: 1 } }, /message.spender is missing/],
      [{ ...permit, message: { ...permit.message, more: 1 } }, /does not list/],
      [{ ...permit, types: { ...permit.types, Permit: [{ name: 'x', type: 'uint7' }] } }, /unknown type/],
      [{ ...permit, types: { ...permit.types, Permit: [{ name: '__proto__', type: 'uint256' }] } }, /invalid name/],
      [{ ...permit, types: { ...permit.types, EIP712Domain: [{ name: 'chainId', type: 'string' }] } }, /EIP712Domain may list only/],
      [{ ...mail, message: { ...mail.message, tag: '0x0102' } }, /message.tag must be exactly 4 bytes/],
      [{ ...mail, message: { ...mail.message, grid: [[1, 2, 3]] } }, /must have 2 items/],
      [{ ...mail, message: { ...mail.message, from: { ...mail.message.from, score: 2 ** 31 } } }, /does not fit in int32/],
    ];
    for (const [td, why] of bad) {
      let err: unknown;
      try {
        normalizeTypedData(td);
      } catch (e) {
        err = e;
      }
      expect(err, String(why)).toBeInstanceOf(CairnError);
      expect((err as CairnError).code).toBe('MALFORMED');
      expect((err as CairnError).shortMessage).toMatch(why);
    }
    // Self-referencing data nests only as deep as the bound allows.
    const deep: Record<string, unknown> = { next: [] };
    let at = deep;
    for (let i = 0; i < 20; i++) {
      const child = { next: [] };
      at.next = [child];
      at = child;
    }
    expect(() => normalizeTypedData({ types: { Node: [{ name: 'next', type: 'Node[]' }] }, primaryType: 'Node', domain: {}, message: deep })).toThrow(
      /nested too deeply/,
    );
    for (const raw of ['{', '\u00ff', 'null', '[]', '"x"', '1e400']) expect(() => parseTypedData(new TextEncoder().encode(raw))).toThrow(CairnError);
    expect(() => parseTypedData(Uint8Array.of(0xc3, 0x28))).toThrow(/UTF-8/);
    expect(() => parseTypedData(new Uint8Array(16 * 1024 + 1))).toThrow(/too long/);
  });

  it('a hostile guardian: a struct named like a Solidity type (uint7, bytes33, uint) or a lone surrogate in a string is refused, not hashed', () => {
    // viem refuses these struct names (other implementations read them as Solidity types, so the hash
    // would not be theirs); a lone surrogate hashes like U+FFFD, so two different requests would share one hash.
    const shadow = (name: string) => ({
      types: { [name]: [{ name: 'a', type: 'uint8' }], M: [{ name: 'x', type: name }] },
      primaryType: 'M',
      domain: {},
      message: { x: { a: 1 } },
    });
    for (const name of ['uint', 'int', 'uint7', 'int300', 'bytes0', 'bytes33', 'bytes064']) {
      expect(() => hashTypedData(shadow(name) as unknown as TypedDataDefinition), name).toThrow();
      expect(() => normalizeTypedData(shadow(name)), name).toThrow(CairnError);
      const bytes = new TextEncoder().encode(
        JSON.stringify({ ...shadow(name), types: { EIP712Domain: [], ...shadow(name).types }, message: { x: { a: '1' } } }),
      );
      expect(() => parseTypedData(bytes), name).toThrow(/not a valid type name/);
    }
    const text = (s: string) => ({ types: { M: [{ name: 's', type: 'string' }] }, primaryType: 'M', domain: { name: s }, message: { s } });
    expect(typedDataHash(normalizeTypedData(text('\ufffd \ud83d\ude00')))).toBeDefined(); // a well-formed pair is fine
    for (const s of ['\ud800', 'a\udc00b', '\ude00\ud83d']) {
      expect(() => normalizeTypedData(text(s))).toThrow(/not well-formed text/);
      expect(() => parseTypedData(new TextEncoder().encode(JSON.stringify(text(s))))).toThrow(CairnError);
    }
    const escaped = new TextEncoder().encode(
      '{"types":{"EIP712Domain":[],"M":[{"name":"s","type":"string"}]},"primaryType":"M","domain":{},"message":{"s":"\\ud800"}}',
    );
    expect(() => parseTypedData(escaped)).toThrow(/message.s is not well-formed text/);
  });

  it('vault and plain-address requests: the digests the vault (ERC-1271) and ecrecover expect; the codec round-trips and refuses garbled typed data', () => {
    const typedData = bytesOf(permit);
    const vault: SigningRequest = { type: 'vault-typed-data', chainId: 31337n, vault: VAULT, typedData };
    const eoa: SigningRequest = { type: 'eoa-typed-data', typedData };
    expect(bytesToHex(signingDigest(vault))).toBe(getVaultMessageDigest({ chainId: 31337, vault: VAULT, hash: viemHash(permit) }));
    expect(bytesToHex(signingDigest(eoa))).toBe(viemHash(permit));
    expect(signingPath(vault)).toBe('frost');
    expect(signingPath(eoa)).toBe('ecdsa');
    for (const request of [vault, eoa]) expect(decodeRequestBody(encodeRequestBody({ epoch: 2, request }))).toEqual({ epoch: 2, request });

    // A hostile requester's bytes: the same request with its typed data garbled (valid length, bad JSON).
    const body = encodeRequestBody({ epoch: 2, request: eoa });
    const garbled = body.slice();
    garbled[garbled.length - 3] = 0x7b; // '{' inside the message
    expect(() => decodeRequestBody(garbled)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    // Non-canonical typed data can't be put in a request at all.
    const loose = new TextEncoder().encode(JSON.stringify(permit));
    expect(() => encodeRequestBody({ epoch: 0, request: { type: 'eoa-typed-data', typedData: loose } })).toThrow(CairnError);
  });
});
