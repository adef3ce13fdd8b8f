/**
 * ICE configuration: the STUN and TURN servers WebRTC uses to find a path between two devices, and
 * whether it may only use a relay (`iceTransportPolicy: 'relay'`).
 *
 * Where it comes from: Settings (typed in as JSON), or `VITE_CAIRN_ICE_SERVERS` at build time, and
 * an invite carries its inviter's (`invite.ts`), so a joiner needs no set-up. There is no default
 * server: no public infrastructure is contacted unless someone configured it (host candidates
 * still connect devices on one network).
 *
 * TURN credentials are relay credentials, not wallet secrets: a relay sees only DTLS ciphertext
 * (DESIGN invariant 7), and a build-time credential ships in the app bundle anyway. They travel in
 * invites (a URL fragment, like the room secret) and sit in Settings (localStorage).
 *
 * Canonical bytes (inside invites and the sealed room record):
 *
 *     policy u8 (0 = all, 1 = relay) ‖ servers u8 (0..8) × { urls u8 (1..4) × str16 url (≤ 512) ‖
 *     str16 username (≤ 256) ‖ str16 credential (≤ 256) }
 */
import { CairnError } from '../core/errors.ts';
import type { ByteReader, ByteWriter } from '../device/byteCodec.ts';

export type IceServer = { urls: string[]; username?: string; credential?: string };
export type IceConfig = { iceServers: IceServer[]; iceTransportPolicy: 'all' | 'relay' };

export const MAX_ICE_SERVERS = 8;
const MAX_URLS = 4;
const MAX_URL = 512;
const MAX_CREDENTIAL = 256;
const ICE_URL = /^(stun|stuns|turn|turns):[^\s/?#]+(\?transport=(udp|tcp))?$/;

export const noIceServers = (): IceConfig => ({ iceServers: [], iceTransportPolicy: 'all' });

const bad = (why: string) => new CairnError('BAD_PARAMETERS', `ICE servers: ${why}`);

/** Checks a config built in code; returns a normalised copy (no empty username/credential). */
export function validateIceConfig(c: IceConfig): IceConfig {
  if (!c || typeof c !== 'object' || !Array.isArray(c.iceServers)) throw bad('expected { iceServers: [...] }');
  if (c.iceTransportPolicy !== 'all' && c.iceTransportPolicy !== 'relay') throw bad("policy must be 'all' or 'relay'");
  if (c.iceServers.length > MAX_ICE_SERVERS) throw bad(`at most ${MAX_ICE_SERVERS} servers`);
  const iceServers = c.iceServers.map((s) => {
    if (!s || typeof s !== 'object' || !Array.isArray(s.urls) || s.urls.length < 1 || s.urls.length > MAX_URLS)
      throw bad(`each server needs 1–${MAX_URLS} URLs`);
    for (const u of s.urls) {
      if (typeof u !== 'string' || u.length > MAX_URL || !ICE_URL.test(u)) throw bad('URLs look like stun:host:port or turn:host:port?transport=udp');
    }
    for (const v of [s.username, s.credential]) {
      if (v !== undefined && (typeof v !== 'string' || v.length > MAX_CREDENTIAL))
        throw bad(`username and credential are text of at most ${MAX_CREDENTIAL} characters`);
    }
    const turn = s.urls.some((u) => u.startsWith('turn'));
    if (turn && (!s.username || !s.credential)) throw bad('a TURN server needs a username and a credential');
    return { urls: [...s.urls], ...(s.username ? { username: s.username } : {}), ...(s.credential ? { credential: s.credential } : {}) };
  });
  if (c.iceTransportPolicy === 'relay' && !iceServers.some((s) => s.urls.some((u) => u.startsWith('turn')))) throw bad('relay-only needs a TURN server');
  return { iceServers, iceTransportPolicy: c.iceTransportPolicy };
}

/**
 * Parses the JSON a person types in Settings or a build sets in `VITE_CAIRN_ICE_SERVERS`: either
 * an array of `{urls, username?, credential?}` (`urls` may be one string, as in RTCIceServer) or
 * `{ iceServers: [...], iceTransportPolicy?: 'all' | 'relay' }`. Empty text = no servers.
 */
export function parseIceConfigJson(text: string): IceConfig {
  if (typeof text !== 'string' || text.length > 16 * 1024) throw bad('text too long');
  if (text.trim() === '') return noIceServers();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CairnError('BAD_PARAMETERS', 'ICE servers: not valid JSON', { cause });
  }
  const obj = Array.isArray(raw) ? { iceServers: raw } : raw;
  if (!obj || typeof obj !== 'object') throw bad('expected a list of servers');
  const { iceServers, iceTransportPolicy = 'all', ...rest } = obj as { iceServers?: unknown; iceTransportPolicy?: unknown };
  if (Object.keys(rest).length) throw bad(`unknown field "${Object.keys(rest)[0]}"`);
  if (!Array.isArray(iceServers)) throw bad('expected a list of servers');
  const servers = iceServers.map((s: unknown) => {
    if (!s || typeof s !== 'object') throw bad('each server is an object');
    const { urls, username, credential, ...more } = s as { urls?: unknown; username?: unknown; credential?: unknown };
    if (Object.keys(more).length) throw bad(`unknown field "${Object.keys(more)[0]}"`);
    return { urls: typeof urls === 'string' ? [urls] : urls, username, credential } as IceServer;
  });
  return validateIceConfig({ iceServers: servers, iceTransportPolicy: iceTransportPolicy as IceConfig['iceTransportPolicy'] });
}

/**
 * What a device uses in a wallet's room: the wallet's servers (from the invite or the creator's
 * settings) plus this device's own, relay-only if either says so. Capped at `MAX_ICE_SERVERS`.
 */
export function mergeIceConfigs(wallet: IceConfig, device: IceConfig): IceConfig {
  const seen = new Set<string>();
  const iceServers = [...wallet.iceServers, ...device.iceServers]
    .filter((s) => {
      const key = JSON.stringify([s.urls, s.username ?? '', s.credential ?? '']);
      return !seen.has(key) && (seen.add(key), true);
    })
    .slice(0, MAX_ICE_SERVERS);
  const relay = wallet.iceTransportPolicy === 'relay' || device.iceTransportPolicy === 'relay';
  return validateIceConfig({ iceServers, iceTransportPolicy: relay ? 'relay' : 'all' });
}

/** For the Settings text box (the servers only; the policy has its own checkbox). */
export function iceServersToJson(c: IceConfig): string {
  return c.iceServers.length === 0 ? '' : JSON.stringify(c.iceServers, null, 2);
}

/** `VITE_CAIRN_ICE_SERVERS` (set at build time); none when unset. A bad value fails loudly. */
export function defaultIceConfig(env: Record<string, unknown> | undefined = import.meta.env): IceConfig {
  const raw = env?.VITE_CAIRN_ICE_SERVERS;
  return typeof raw === 'string' ? parseIceConfigJson(raw) : noIceServers();
}

export function writeIceConfig(w: ByteWriter, c: IceConfig): ByteWriter {
  const v = validateIceConfig(c);
  w.u8(v.iceTransportPolicy === 'relay' ? 1 : 0).u8(v.iceServers.length);
  for (const s of v.iceServers) {
    w.u8(s.urls.length);
    for (const u of s.urls) w.str16(u);
    w.str16(s.username ?? '').str16(s.credential ?? '');
  }
  return w;
}

/** Reads what `writeIceConfig` wrote; bad bytes → `MALFORMED` naming the field. */
export function readIceConfig(r: ByteReader): IceConfig {
  const policy = r.u8('ICE policy');
  if (policy > 1) throw r.malformed('unknown ICE policy');
  const count = r.u8('ICE server count');
  if (count > MAX_ICE_SERVERS) throw r.malformed('too many ICE servers');
  const iceServers: IceServer[] = [];
  for (let k = 0; k < count; k++) {
    const n = r.u8('ICE URL count');
    if (n < 1 || n > MAX_URLS) throw r.malformed('bad ICE URL count');
    const urls = Array.from({ length: n }, () => r.str16('ICE URL', MAX_URL));
    const username = r.str16('ICE username', MAX_CREDENTIAL);
    const credential = r.str16('ICE credential', MAX_CREDENTIAL);
    iceServers.push({ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) });
  }
  try {
    return validateIceConfig({ iceServers, iceTransportPolicy: policy === 1 ? 'relay' : 'all' });
  } catch (err) {
    throw r.malformed(err instanceof CairnError ? err.shortMessage : 'bad ICE servers');
  }
}
