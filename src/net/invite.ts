/**
 * Invites: everything a new guardian's device needs to find and enter the wallet's room.
 *
 * Carried in a URL **fragment** (`https://app/#invite=<base64url>`): browsers never send fragments
 * to servers, so the room secret reaches no web server or log. Payload v2 (canonical bytes):
 *
 *     version u8 = 2 ‖ walletId str16 (≤ 200) ‖ roomSecret 32 ‖ signaling: u8 count (1..8) ×
 *     str16 ws(s):// URL (≤ 512) ‖ ICE config (`iceConfig.ts`) ‖ inviter 33 (device key) ‖ t u8 ‖
 *     n u8 ‖ expiresAt u64 (ms) ‖ inviteId 16
 *
 * The inviter's signaling URLs and ICE servers (TURN credentials included) travel with the invite,
 * so a joiner needs no set-up. Version 1 (no ICE config) still decodes, with no ICE servers.
 *
 * Single use: the joiner's `join` log entry starts with the invite id (`encodeJoinBody`); readers
 * of the request log accept only the first join per invite id (`requestLog.ts`).
 */
import { randomBytes } from '@noble/hashes/utils.js';
import QRCode from 'qrcode';
import { CairnError } from '../core/errors.ts';
import { base64urlDecode, base64urlEncode, ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import { parseDevicePublicKey } from '../device/deviceIdentity.ts';
import { hasInviteInLocation, INVITE_FRAGMENT_KEY as FRAGMENT_KEY } from './inviteLink.ts';
import { JOIN_INVITE_ID_BYTES } from './requestLog.ts';
import { noIceServers, readIceConfig, validateIceConfig, writeIceConfig, type IceConfig } from './iceConfig.ts';

export type Invite = {
  walletId: string;
  /** 32 random bytes: the room password is derived from it (`webrtcRoom.ts`). */
  roomSecret: Uint8Array;
  signalingUrls: string[];
  /** The inviter's STUN/TURN servers and ICE policy. */
  ice: IceConfig;
  /** The inviter's device public key (33-byte hex). */
  inviter: string;
  threshold: number;
  guardians: number;
  /** ms since the epoch. */
  expiresAt: number;
  /** 16 random bytes, hex: referenced by the join entry, usable once. */
  inviteId: string;
};

const VERSION = 2;
const MAX_INVITE_BYTES = 8 * 1024;

export function createInvite(p: Omit<Invite, 'roomSecret' | 'inviteId' | 'ice'> & { roomSecret?: Uint8Array; ice?: IceConfig }): Invite {
  const invite = { ...p, ice: p.ice ?? noIceServers(), roomSecret: p.roomSecret ?? randomBytes(32), inviteId: toHex(randomBytes(JOIN_INVITE_ID_BYTES)) };
  validateInvite(invite);
  return invite;
}

function validateInvite(i: Invite): void {
  const bad = (why: string) => new CairnError('BAD_PARAMETERS', `Invite: ${why}`);
  if (typeof i.walletId !== 'string' || i.walletId.length === 0 || i.walletId.length > 200) throw bad('wallet id must be 1–200 characters');
  if (!(i.roomSecret instanceof Uint8Array) || i.roomSecret.length !== 32) throw bad('room secret must be 32 bytes');
  if (!Array.isArray(i.signalingUrls) || i.signalingUrls.length < 1 || i.signalingUrls.length > 8) throw bad('1–8 signaling URLs');
  for (const u of i.signalingUrls) if (!isSignalingUrl(u)) throw bad('signaling URLs must be ws:// or wss:// URLs');
  validateIceConfig(i.ice);
  parseDevicePublicKey(i.inviter, 'inviter device key');
  if (!Number.isInteger(i.guardians) || i.guardians < 2 || i.guardians > 255) throw bad('guardians must be 2–255');
  if (!Number.isInteger(i.threshold) || i.threshold < 2 || i.threshold > i.guardians) throw bad('threshold must be 2..guardians');
  if (!Number.isSafeInteger(i.expiresAt) || i.expiresAt < 0) throw bad('expiry must be a time in ms');
  hexToBytesStrict(i.inviteId, 'invite id', JOIN_INVITE_ID_BYTES);
}

function isSignalingUrl(u: unknown): boolean {
  if (typeof u !== 'string' || u.length > 512) return false;
  try {
    const url = new URL(u);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export function encodeInvite(i: Invite): Uint8Array {
  validateInvite(i);
  const w = new ByteWriter().u8(VERSION).str16(i.walletId).bytes(i.roomSecret).u8(i.signalingUrls.length);
  for (const u of i.signalingUrls) w.str16(u);
  return writeIceConfig(w, i.ice)
    .bytes(parseDevicePublicKey(i.inviter))
    .u8(i.threshold)
    .u8(i.guardians)
    .u64(i.expiresAt)
    .bytes(hexToBytesStrict(i.inviteId, 'invite id', JOIN_INVITE_ID_BYTES))
    .finish();
}

/** Decodes and validates an invite; throws only `CairnError` (`MALFORMED`, or `EXPIRED` at `now`). */
export function decodeInvite(bytes: Uint8Array, now: number = Date.now()): Invite {
  if (!(bytes instanceof Uint8Array) || bytes.length > MAX_INVITE_BYTES) throw new CairnError('MALFORMED', 'Invite is not bytes or is too large');
  const r = new ByteReader(bytes, 'invite');
  const version = r.u8('version');
  if (version !== 1 && version !== VERSION) throw r.malformed('unknown version (update Cairn?)');
  const walletId = r.str16('wallet id', 200);
  const roomSecret = r.bytes(32, 'room secret');
  const count = r.u8('signaling URL count');
  const signalingUrls: string[] = [];
  for (let k = 0; k < count && k < 9; k++) signalingUrls.push(r.str16('signaling URL', 512));
  const ice = version === 1 ? noIceServers() : readIceConfig(r);
  const invite: Invite = {
    walletId,
    roomSecret,
    signalingUrls,
    ice,
    inviter: toHex(r.bytes(33, 'inviter')),
    threshold: r.u8('threshold'),
    guardians: r.u8('guardians'),
    expiresAt: r.u64('expiry'),
    inviteId: toHex(r.bytes(JOIN_INVITE_ID_BYTES, 'invite id')),
  };
  r.end();
  try {
    validateInvite(invite);
  } catch (err) {
    throw new CairnError('MALFORMED', err instanceof CairnError ? err.shortMessage : 'Invite is invalid', { cause: err });
  }
  if (now >= invite.expiresAt) {
    throw new CairnError('EXPIRED', 'This invite has expired. Ask the guardian who sent it for a new one.', {
      details: [`Expired at ${new Date(invite.expiresAt).toISOString()}`],
    });
  }
  return invite;
}

/** `#invite=<base64url>` — append to the app's URL. */
export function inviteToFragment(i: Invite): string {
  return `#${FRAGMENT_KEY}${base64urlEncode(encodeInvite(i))}`;
}

/** Accepts a full URL, a `#invite=…` fragment, or the bare base64url payload. */
export function inviteFromFragment(input: string, now: number = Date.now()): Invite {
  if (typeof input !== 'string' || input.length > 16 * 1024) throw new CairnError('MALFORMED', 'Invite link is not text or is too long');
  const hash = input.includes('#') ? input.slice(input.indexOf('#') + 1) : input;
  const payload = hash.startsWith(FRAGMENT_KEY) ? hash.slice(FRAGMENT_KEY.length) : hash;
  try {
    return decodeInvite(base64urlDecode(payload, 'Invite'), now);
  } catch (err) {
    // A person sees this: what broke (cut short, mistyped, bad encoding) goes into the details.
    if (err instanceof CairnError && err.code === 'MALFORMED')
      throw new CairnError('MALFORMED', 'This invite link is damaged — ask the guardian who sent it for a new one.', {
        details: [err.shortMessage],
        cause: err,
      });
    throw err;
  }
}

/**
 * Opening an invite link: reads `#invite=…` from the address bar and removes it *before* decoding
 * (even a bad invite's secret shouldn't linger in the URL bar or session history). Returns null
 * when the page was not opened through an invite link.
 */
export function takeInviteFromLocation(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location,
  hist: Pick<History, 'replaceState'> = history,
  now: number = Date.now(),
): Invite | null {
  if (!hasInviteInLocation(loc)) return null;
  const fragment = loc.hash;
  hist.replaceState(null, '', `${loc.pathname}${loc.search}`);
  return inviteFromFragment(fragment, now);
}

/** QR code (PNG data URL) of an invite link, for the UI. */
export function inviteQrDataUrl(link: string): Promise<string> {
  return QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2 });
}

/** Body of the joiner's `join` log entry: invite id first (single use), then free-form bytes. */
export function encodeJoinBody(inviteId: string, rest: Uint8Array = new Uint8Array()): Uint8Array {
  return new ByteWriter()
    .bytes(hexToBytesStrict(inviteId, 'invite id', JOIN_INVITE_ID_BYTES))
    .bytes(rest)
    .finish();
}

export function joinBodyInviteId(body: Uint8Array): string {
  if (!(body instanceof Uint8Array) || body.length < JOIN_INVITE_ID_BYTES) throw new CairnError('MALFORMED', 'Join entry names no invite');
  return toHex(body.subarray(0, JOIN_INVITE_ID_BYTES));
}
