/**
 * One subscription to the request log per device, routing `envelope` entries to the protocol run of
 * their session. Envelopes of a session not yet started here (another guardian got going first)
 * wait in a bounded buffer; those of finished sessions are dropped.
 *
 * Checks done here, before any run sees a message: the entry decodes as an envelope, the envelope's
 * `from` equals the log entry's (signature-verified) author, and — only for sessions this device
 * runs, so foreign traffic costs no verification — the envelope signature. Point-to-point envelopes
 * addressed to other devices are ignored unread.
 */
import { CairnError } from '../core/index.ts';
import { toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { decodeEnvelope, decodeEnvelopeBatch, verifyEnvelope, type Envelope } from './envelope.ts';
import type { EventSink } from './events.ts';

export const ENVELOPE_LOG_KIND = 'envelope';
/** Sessions not (yet) run here whose envelopes are kept: the oldest is forgotten first. */
const MAX_BUFFERED_SESSIONS = 256;
const MAX_BUFFERED_PER_SESSION = 1_000;

export type EnvelopeHandler = (env: Envelope) => void;

export interface EnvelopeRouter {
  /** Routes this session's envelopes (buffered ones first) to `handler` until the returned function is called. */
  register(session: Uint8Array, handler: EnvelopeHandler): () => void;
  destroy(): void;
}

export function createEnvelopeRouter(p: { log: RequestLog; identity: DeviceIdentity; onEvent: EventSink }): EnvelopeRouter {
  const handlers = new Map<string, EnvelopeHandler>();
  const pending = new Map<string, Envelope[]>();
  const closed = new Set<string>();
  const evicted = new Set<string>();

  function reject(from: string | undefined, err: CairnError, session?: string): void {
    p.onEvent({ type: 'rejected', from, code: err.code, reason: err.shortMessage, session });
  }

  function dispatch(env: Envelope, key: string, handler: EnvelopeHandler): void {
    if (!verifyEnvelope(env)) return reject(env.from, new CairnError('BAD_SIGNATURE', 'Envelope signature does not verify'), key);
    handler(env);
  }

  function onEntry(entry: LogEntry): void {
    if (entry.kind !== ENVELOPE_LOG_KIND) return;
    let batch: Uint8Array[];
    try {
      batch = decodeEnvelopeBatch(entry.body);
    } catch (err) {
      return reject(entry.author, err instanceof CairnError ? err : new CairnError('MALFORMED', 'Envelope batch could not be read'));
    }
    for (const raw of batch) onEnvelope(entry, raw);
  }

  function onEnvelope(entry: LogEntry, raw: Uint8Array): void {
    let env: Envelope;
    try {
      env = decodeEnvelope(raw);
    } catch (err) {
      return reject(entry.author, err instanceof CairnError ? err : new CairnError('MALFORMED', 'Envelope could not be read'));
    }
    const key = toHex(env.session);
    if (env.from !== entry.author)
      return reject(entry.author, new CairnError('UNKNOWN_SENDER', 'Envelope names a sender other than its log entry author'), key);
    if (env.to !== undefined && env.to !== p.identity.publicKey) return; // someone else's ciphertext
    if (closed.has(key)) return;
    const handler = handlers.get(key);
    if (handler) return dispatch(env, key, handler);
    // Most buffered sessions are other devices' (signing quorums without this one) and never start
    // here. The log keeps every envelope, so an evicted session that does start rereads the log.
    const list = pending.get(key) ?? [];
    if (list.length >= MAX_BUFFERED_PER_SESSION) return reject(entry.author, new CairnError('ABORTED', 'Too many envelopes for one session; dropped'), key);
    list.push(env);
    pending.delete(key);
    pending.set(key, list);
    if (pending.size > MAX_BUFFERED_SESSIONS) {
      const oldest = pending.keys().next().value!;
      pending.delete(oldest);
      evicted.add(oldest);
    }
  }

  /** Routes this session's envelopes straight from the log (its buffer was evicted). */
  function rereadFromLog(key: string, handler: EnvelopeHandler): void {
    for (const entry of p.log.entries()) {
      if (entry.kind !== ENVELOPE_LOG_KIND) continue;
      let batch: Uint8Array[];
      try {
        batch = decodeEnvelopeBatch(entry.body);
      } catch {
        continue; // reported when it first arrived
      }
      for (const raw of batch) {
        try {
          const env = decodeEnvelope(raw);
          if (toHex(env.session) !== key || env.from !== entry.author) continue;
          if (env.to !== undefined && env.to !== p.identity.publicKey) continue;
          dispatch(env, key, handler);
        } catch {
          continue;
        }
      }
    }
  }

  const unsubscribe = p.log.subscribe(onEntry);

  return {
    register(session, handler) {
      const key = toHex(session);
      if (handlers.has(key) || closed.has(key)) throw new CairnError('STATE_CONSUMED', 'This session already ran on this device');
      handlers.set(key, handler);
      if (evicted.delete(key)) rereadFromLog(key, handler);
      const waiting = pending.get(key) ?? [];
      pending.delete(key);
      for (const env of waiting) if (handlers.get(key) === handler) dispatch(env, key, handler);
      return () => {
        handlers.delete(key);
        closed.add(key);
      };
    },
    destroy() {
      unsubscribe();
      handlers.clear();
      pending.clear();
    },
  };
}
