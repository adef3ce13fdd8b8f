import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CairnError } from '../../src/core/errors.ts';
import { ByteReader, ByteWriter } from '../../src/device/byteCodec.ts';
import {
  defaultIceConfig,
  mergeIceConfigs,
  noIceServers,
  parseIceConfigJson,
  readIceConfig,
  validateIceConfig,
  writeIceConfig,
  type IceConfig,
} from '../../src/net/iceConfig.ts';

const turn: IceConfig = {
  iceServers: [
    { urls: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'], username: 'test', credential: 'secret' },
    { urls: ['stun:stun.example.org:3478'] },
  ],
  iceTransportPolicy: 'relay',
};

const roundTrip = (c: IceConfig) => {
  const r = new ByteReader(writeIceConfig(new ByteWriter(), c).finish(), 'ice');
  const out = readIceConfig(r);
  r.end();
  return out;
};

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof CairnError ? e.code : 'not a CairnError';
  }
  return 'no error';
};

describe('ICE configuration', () => {
  it('round-trips through canonical bytes', () => {
    expect(roundTrip(turn)).toEqual(turn);
    expect(roundTrip(noIceServers())).toEqual(noIceServers());
  });

  it('parses what a person types in Settings or a build sets in VITE_CAIRN_ICE_SERVERS', () => {
    expect(parseIceConfigJson('')).toEqual(noIceServers());
    expect(parseIceConfigJson('[{"urls":"stun:stun.example.org:3478"}]')).toEqual({
      iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
      iceTransportPolicy: 'all',
    });
    expect(parseIceConfigJson(JSON.stringify(turn))).toEqual(turn);
    expect(defaultIceConfig({ VITE_CAIRN_ICE_SERVERS: JSON.stringify(turn) })).toEqual(turn);
    expect(defaultIceConfig({})).toEqual(noIceServers());
  });

  it('refuses bad servers with a typed error', () => {
    const bad = (text: string) => codeOf(() => parseIceConfigJson(text));
    expect(bad('{')).toBe('BAD_PARAMETERS');
    expect(bad('[{"urls":"http://x"}]')).toBe('BAD_PARAMETERS');
    expect(bad('[{"urls":"turn:x:1"}]')).toBe('BAD_PARAMETERS'); // TURN without a credential
    expect(bad('[{"urls":"stun:x:1","extra":1}]')).toBe('BAD_PARAMETERS');
    expect(bad('{"iceServers":[{"urls":"stun:x:1"}],"iceTransportPolicy":"relay"}')).toBe('BAD_PARAMETERS'); // relay-only needs TURN
    expect(bad(JSON.stringify(Array.from({ length: 9 }, () => ({ urls: 'stun:x:1' }))))).toBe('BAD_PARAMETERS');
    expect(bad(`[{"urls":"stun:${'x'.repeat(600)}:1"}]`)).toBe('BAD_PARAMETERS');
    expect(() => defaultIceConfig({ VITE_CAIRN_ICE_SERVERS: 'nope' })).toThrow(CairnError);
  });

  it('decoding checks every count, length and URL', () => {
    const good = writeIceConfig(new ByteWriter(), turn).finish();
    expect(codeOf(() => readIceConfig(new ByteReader(Uint8Array.of(2, 0), 'ice')))).toBe('MALFORMED'); // unknown policy
    expect(codeOf(() => readIceConfig(new ByteReader(Uint8Array.of(0, 9), 'ice')))).toBe('MALFORMED'); // too many servers
    expect(codeOf(() => readIceConfig(new ByteReader(Uint8Array.of(0, 1, 0), 'ice')))).toBe('MALFORMED'); // a server without URLs
    expect(codeOf(() => readIceConfig(new ByteReader(Uint8Array.of(1, 0), 'ice')))).toBe('MALFORMED'); // relay-only without TURN
    const url = new TextEncoder().encode('turn:127.0.0.1:3478?transport=udp');
    const i = good.indexOf(url[0]!, 4);
    const tampered = good.slice();
    tampered[i] = 'h'.charCodeAt(0); // "hurn:…"
    expect(codeOf(() => readIceConfig(new ByteReader(tampered, 'ice')))).toBe('MALFORMED');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const code = codeOf(() => readIceConfig(new ByteReader(b, 'ice')));
        return code === 'MALFORMED' || code === 'no error';
      }),
      { numRuns: 2000 },
    );
  });

  it("a device's own servers join the wallet's; relay-only wins", () => {
    const own: IceConfig = { iceServers: [{ urls: ['stun:mine.example.org:3478'] }], iceTransportPolicy: 'all' };
    const merged = mergeIceConfigs(turn, own);
    expect(merged.iceServers.map((s) => s.urls[0])).toEqual(['turn:127.0.0.1:3478?transport=udp', 'stun:stun.example.org:3478', 'stun:mine.example.org:3478']);
    expect(merged.iceTransportPolicy).toBe('relay');
    expect(mergeIceConfigs(turn, turn)).toEqual(validateIceConfig(turn));
  });
});
