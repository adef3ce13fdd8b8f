/**
 * The one round-runner (docs/architecture.md: every protocol, one runner). Given a descriptor and its
 * parameters it: registers the session with the envelope router; sends this device's packages of
 * each round as signed envelopes in the request log (direct rounds encrypted per recipient);
 * collects the packages of each round from every participant, rejecting anything from another
 * protocol, round or roster before the core sees it; enforces a timeout per round with the
 * injected clock; and turns every failure that names culprits into **blame** (event + `blame` log
 * entry). Errors leaving the runner are `CairnError`s whose `culprits` are device keys (hex).
 *
 * A device that is not a participant can run a session as an *observer* (no sending, no blame):
 * the requester of a signature outside the signing quorum uses this to aggregate the result.
 */
import { CairnError, identifierOf, type Identifier } from '../core/index.ts';
import { equalBytes, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { RequestLog } from '../net/requestLog.ts';
import { BLAME_LOG_KIND, encodeBlame } from './blame.ts';
import type { Clock } from './clock.ts';
import type { Outgoing, ProtocolDescriptor } from './descriptor.ts';
import { encodeEnvelopeBatches, sealEnvelope, type Envelope } from './envelope.ts';
import { ENVELOPE_LOG_KIND, type EnvelopeRouter } from './envelopeRouter.ts';
import { createSessionKeyPair, directMessageKey, openDirectEnvelope, parseSessionPublicKey, sealDirectEnvelope } from './envelopeSeal.ts';
import type { EventSink } from './events.ts';

export type RunnerEnv = {
  identity: DeviceIdentity;
  log: RequestLog;
  router: EnvelopeRouter;
  clock: Clock;
  /** How long to wait for one round's packages before blaming the silent guardians. */
  roundTimeoutMs: number;
  onEvent: EventSink;
};

export type ProtocolRun<R> = {
  readonly session: Uint8Array;
  readonly participants: readonly string[];
  readonly result: Promise<R>;
  /** Stops the run (no blame). */
  cancel(reason?: string): void;
};

export function runProtocol<P, R>(descriptor: ProtocolDescriptor<P, R>, params: P, env: RunnerEnv): ProtocolRun<R> {
  const setup = descriptor.setup(params);
  const { session, party } = setup;
  const sessionHex = toHex(session);
  const self = env.identity.publicKey;
  const participants = new Set(setup.participants);
  const isParticipant = participants.has(self);
  const idByKey = new Map(setup.participants.map((k) => [k, identifierOf(hexToBytesStrict(k, 'participant', 33))]));
  const keyById = new Map([...idByKey].map(([k, id]) => [id, k]));
  const rounds = descriptor.rounds;
  const roles = rounds.map((_, i) => setup.roles?.[i] ?? { senders: setup.participants, recipients: setup.participants });
  // Whom this device waits for in each round: the round's senders, if it is one of the recipients.
  const expected = roles.map((r) => (r.recipients.includes(self) ? r.senders.filter((k) => k !== self) : []));
  const inbox = rounds.map(() => new Map<string, Uint8Array>());
  const protocol = descriptor.protocol;

  // Sessions with direct rounds: each participant announces a fresh session key (hello, round 0,
  // sent with its first packages); direct bodies are encrypted between session keys, which are
  // wiped when the run ends (forward secrecy; envelopeSeal.ts).
  const sessionKeys = isParticipant && rounds.includes('direct') ? createSessionKeyPair() : undefined;
  const hellos = new Map<string, Uint8Array>();
  const parked = new Map<string, Envelope[]>(); // direct envelopes that arrived before their sender's hello
  // An honest sender has at most one direct envelope per round and recipient: more can only be a flood.
  const maxParked = rounds.filter((k) => k === 'direct').length * participants.size;

  let failure: CairnError | null = null;
  let done = false;
  let waiter: { ready: () => boolean; resolve: () => void; reject: (e: CairnError) => void } | null = null;
  let timer: unknown;

  const asDeviceKeys = (culprits: readonly string[]) => [
    ...new Set(culprits.map((c) => (participants.has(c) ? c : keyById.get(c))).filter((k): k is string => k !== undefined)),
  ];

  function fail(err: CairnError): void {
    if (done || failure) return;
    failure = err;
    waiter?.reject(err);
  }

  /** Waits until `ready()` (re-checked after every accepted message), failing with `timeout()` after the round timeout. */
  function waitUntil(ready: () => boolean, timeout: () => CairnError): Promise<void> {
    if (failure) return Promise.reject(failure);
    if (ready()) return Promise.resolve();
    return new Promise((resolve, rejectWait) => {
      const finish = () => {
        env.clock.clearTimeout(timer);
        waiter = null;
      };
      waiter = { ready, resolve: () => (finish(), resolve()), reject: (e) => (finish(), rejectWait(e)) };
      timer = env.clock.setTimeout(() => fail(timeout()), env.roundTimeoutMs);
    });
  }

  function keyFor(from: string, to: string): Uint8Array {
    const peer = from === self ? to : from;
    return directMessageKey({
      session,
      from,
      to,
      fromSessionKey: from === self ? sessionKeys!.publicKey : hellos.get(from)!,
      toSessionKey: to === self ? sessionKeys!.publicKey : hellos.get(to)!,
      mySecret: sessionKeys!.secret,
      peerSessionKey: hellos.get(peer)!,
    });
  }

  function onHello(e: Envelope): void {
    if (e.to !== undefined) return reject(e, 'MALFORMED', 'A session key announcement is broadcast');
    let key: Uint8Array;
    try {
      key = parseSessionPublicKey(e.body, e.from);
    } catch (err) {
      return fail(err as CairnError);
    }
    const earlier = hellos.get(e.from);
    if (earlier) {
      if (!equalBytes(earlier, key)) fail(new CairnError('DUPLICATE_SENDER', 'Two different session keys from one guardian', { culprits: [e.from] }));
      return;
    }
    hellos.set(e.from, key);
    for (const waiting of parked.get(e.from) ?? []) onEnvelope(waiting);
    parked.delete(e.from);
    if (waiter?.ready()) waiter.resolve();
  }

  function reject(e: Envelope, code: CairnError['code'], reason: string): void {
    env.onEvent({ type: 'rejected', from: e.from, code, reason, session: sessionHex });
  }

  function complete(round: number): boolean {
    const got = inbox[round - 1]!;
    return expected[round - 1]!.every((k) => got.has(k));
  }

  function onEnvelope(e: Envelope): void {
    if (done || failure) return;
    if (e.protocol !== protocol) return reject(e, 'WRONG_SESSION', `Envelope for ${e.protocol} in a ${protocol} session`);
    if (e.round > rounds.length) return reject(e, 'WRONG_ROUND', `Envelope for round ${e.round} of a ${rounds.length}-round protocol`);
    if (!participants.has(e.from)) return reject(e, 'UNKNOWN_SENDER', 'Envelope from a device outside this session');
    if (e.from === self) return;
    if (e.round === 0) return sessionKeys ? onHello(e) : undefined;
    if (!roles[e.round - 1]!.senders.includes(e.from)) return reject(e, 'WRONG_ROUND', `This guardian sends nothing in round ${e.round}`);
    const kind = rounds[e.round - 1]!;
    if ((kind === 'direct') !== (e.to !== undefined)) return reject(e, 'MALFORMED', `Round ${e.round} is ${kind}`);
    if (kind === 'direct' && !hellos.has(e.from)) {
      const waiting = parked.get(e.from) ?? [];
      if (waiting.length >= maxParked) return reject(e, 'MALFORMED', 'More direct messages than the protocol has, before the sender’s session key');
      parked.set(e.from, [...waiting, e]);
      return;
    }
    let body: Uint8Array;
    try {
      body = kind === 'direct' ? openWith(e) : e.body;
    } catch (err) {
      return fail(err instanceof CairnError ? err : new CairnError('DECRYPTION_FAILED', 'Envelope body does not open', { culprits: [e.from] }));
    }
    const got = inbox[e.round - 1]!;
    const earlier = got.get(e.from);
    if (earlier) {
      if (equalBytes(earlier, body)) return;
      return fail(new CairnError('DUPLICATE_SENDER', `Two different round-${e.round} packages from one guardian`, { culprits: [e.from] }));
    }
    got.set(e.from, body);
    if (waiter?.ready()) waiter.resolve();
  }

  function openWith(e: Envelope): Uint8Array {
    const key = keyFor(e.from, self);
    try {
      return openDirectEnvelope(e, key);
    } finally {
      key.fill(0);
    }
  }

  async function collect(round: number): Promise<Map<Identifier, Uint8Array>> {
    await waitUntil(
      () => complete(round),
      () => {
        const missing = expected[round - 1]!.filter((k) => !inbox[round - 1]!.has(k));
        const label = descriptor.roundLabels?.[round - 1] ?? `round-${round} packages`;
        return new CairnError('ABORTED', `No ${label} from ${missing.length} guardian(s) in time`, { culprits: missing });
      },
    );
    return new Map([...inbox[round - 1]!].map(([k, v]) => [idByKey.get(k)!, v]));
  }

  /** Sends this device's packages of `round` (the hello rides along with its first batch). */
  async function send(round: number, out: Outgoing, hello = false): Promise<void> {
    if (!isParticipant) return;
    const kind = rounds[round - 1]!;
    const sealed: Uint8Array[] = [];
    if (roles[round - 1]!.senders.includes(self)) {
      if (kind === 'broadcast' && out.broadcast) sealed.push(sealEnvelope(env.identity, { session, protocol, round }, out.broadcast));
      if (kind === 'direct' && out.direct) {
        const recipients = [...out.direct.keys()].map((id) => keyById.get(id));
        for (const to of recipients)
          if (!to || to === self || !roles[round - 1]!.recipients.includes(to))
            throw new CairnError('BAD_PARAMETERS', 'A direct package for someone outside the round');
        const targets = recipients as string[];
        await waitUntil(
          () => targets.every((k) => hellos.has(k)),
          () => new CairnError('ABORTED', 'No session key from some guardian(s) in time', { culprits: targets.filter((k) => !hellos.has(k)) }),
        );
        for (const [id, bytes] of out.direct) {
          const to = keyById.get(id)!;
          const key = keyFor(self, to);
          sealed.push(sealDirectEnvelope(env.identity, { session, protocol, round, to }, key, bytes));
          key.fill(0);
        }
      }
    }
    // Last in the batch, so the batch's first envelope is still the round's package.
    if (hello && sessionKeys) sealed.push(sealEnvelope(env.identity, { session, protocol, round: 0 }, sessionKeys.publicKey));
    for (const batch of encodeEnvelopeBatches(sealed)) env.log.append(ENVELOPE_LOG_KIND, batch);
  }

  function progress(round: number): void {
    env.onEvent({
      type: 'progress',
      protocol,
      session: sessionHex,
      requestId: toHex(setup.requestId),
      round,
      rounds: rounds.length,
      label: descriptor.roundLabels?.[round - 1],
    });
  }

  function publishBlame(err: CairnError, culprits: string[]): void {
    if (culprits.length === 0) return;
    env.onEvent({ type: 'blame', protocol, session: sessionHex, culprits, code: err.code, reason: err.shortMessage, requestId: toHex(setup.requestId) });
    if (!isParticipant) return; // an observer's view (its own connectivity) is no evidence
    try {
      env.log.append(BLAME_LOG_KIND, encodeBlame({ session, protocol, requestId: setup.requestId, culprits, code: err.code, reason: err.shortMessage }));
    } catch {
      // The log may be closed (device shutting down); the event above still reports the blame.
    }
  }

  const unregister = env.router.register(session, onEnvelope);

  async function main(): Promise<R> {
    try {
      progress(1);
      const first = await party.start();
      // A direct first round waits for the recipients' session keys: announce ours on its own first.
      const helloFirst = sessionKeys !== undefined && rounds[0] === 'direct';
      if (helloFirst)
        env.log.append(ENVELOPE_LOG_KIND, encodeEnvelopeBatches([sealEnvelope(env.identity, { session, protocol, round: 0 }, sessionKeys.publicKey)])[0]!);
      await send(1, first, !helloFirst);
      for (let round = 1; round <= rounds.length; round++) {
        const packages = await collect(round);
        const step = await party.receive(round, packages);
        if ('result' in step) {
          done = true;
          env.onEvent({ type: 'finished', protocol, session: sessionHex });
          return step.result;
        }
        if (round === rounds.length) throw new CairnError('ABORTED', 'The protocol ended without a result');
        if (failure) throw failure;
        progress(round + 1);
        await send(round + 1, step.next);
      }
      throw new CairnError('ABORTED', 'The protocol ended without a result');
    } catch (err) {
      done = true;
      env.clock.clearTimeout(timer);
      const cairn = err instanceof CairnError ? err : new CairnError('ABORTED', 'The protocol failed', { cause: err });
      const culprits = asDeviceKeys(cairn.culprits);
      try {
        await party.abort?.();
      } catch {
        // cleanup is best effort; the original error matters
      }
      publishBlame(cairn, culprits);
      env.onEvent({ type: 'aborted', protocol, session: sessionHex, code: cairn.code, reason: cairn.shortMessage, culprits });
      throw new CairnError(cairn.code, cairn.shortMessage, { culprits, details: cairn.details, cause: cairn });
    } finally {
      unregister();
      sessionKeys?.secret.fill(0);
    }
  }

  return {
    session,
    participants: setup.participants,
    result: main(),
    cancel: (reason = 'Cancelled') => fail(new CairnError('ABORTED', reason)),
  };
}
