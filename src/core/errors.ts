/**
 * The one error type of the core. Modelled on viem's BaseError (short message + details) and on
 * frost-rs's error enum (stable codes, culprits). Messages never contain secret material.
 */

/** Stable error codes. Add new ones here; never reuse or rename one (tests and UI match on them). */
export type CairnErrorCode =
  | 'MALFORMED' // bytes that don't decode: wrong length, out of range, not a point, list too long
  | 'UNKNOWN_SENDER' // a package from someone outside the roster
  | 'DUPLICATE_SENDER' // two packages from one sender in one round
  | 'MISSING_PACKAGE' // a roster member sent nothing for this round
  | 'WRONG_SESSION' // a package bound to another session (wallet, protocol, epoch, roster, request)
  | 'WRONG_ROUND' // a package for another round, or a state used out of order
  | 'WRONG_EPOCH' // shares or packages from different epochs mixed
  | 'BAD_COMMITMENT_LENGTH' // a VSS commitment vector whose length is not t
  | 'BAD_PROOF_OF_KNOWLEDGE' // DKG proof of knowledge fails
  | 'BAD_SHARE' // a secret share that fails its Feldman check
  | 'BAD_SIGNATURE_SHARE' // a FROST signature share that fails verification
  | 'INCONSISTENT_COMMITMENTS' // broadcast values differ between recipients / don't reproduce the key
  | 'NONCE_REUSED' // a signing nonce that was already consumed
  | 'STATE_CONSUMED' // a round state object used twice
  | 'BAD_PARAMETERS' // t, n, roster or request outside the allowed range
  | 'BAD_SIGNATURE' // an aggregate or envelope signature that does not verify
  | 'BAD_PROOF' // a zero-knowledge / DLEQ / consistency proof that fails
  | 'ABORTED' // a protocol aborted (e.g. a party stopped answering)
  | 'POLICY_DENIED' // the device's policy refuses
  | 'LOCKED' // the share store is locked
  | 'WRONG_UNLOCK' // a passphrase or passkey that doesn't unlock this device's store
  | 'WRONG_WALLET' // a backup, invite or record that belongs to another wallet
  | 'EXPIRED' // an invite (or other time-bound item) past its expiry
  | 'UNSUPPORTED' // the browser lacks a needed capability (e.g. WebAuthn PRF)
  | 'DECRYPTION_FAILED' // an AEAD that does not open (wrong key, label or associated data)
  | 'UNREACHABLE' // the other guardians (their log entries) could not be reached in time
  | 'ROLLED_BACK' // stored records changed without the unlock key (deleted, or an older copy put back)
  | 'REQUEST_ENDED' // a signing request that has ended (signed, denied, withdrawn, expired, failed) can't be approved
  | 'NOT_FOUND';

export type CairnErrorOptions = {
  /** Identifiers (canonical hex) of the parties whose input caused the error, when known. */
  culprits?: readonly string[];
  /** Extra human-readable lines (never secrets). */
  details?: readonly string[];
  cause?: unknown;
};

export class CairnError extends Error {
  override readonly name = 'CairnError';
  readonly code: CairnErrorCode;
  readonly shortMessage: string;
  readonly culprits: readonly string[];
  readonly details: readonly string[];

  constructor(code: CairnErrorCode, shortMessage: string, opts: CairnErrorOptions = {}) {
    const culprits = [...(opts.culprits ?? [])];
    const lines = [shortMessage];
    if (culprits.length) lines.push(`Culprit${culprits.length > 1 ? 's' : ''}: ${culprits.map(shortId).join(', ')}`);
    for (const d of opts.details ?? []) lines.push(d);
    super(lines.join('\n'), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.culprits = Object.freeze(culprits);
    this.details = Object.freeze([...(opts.details ?? [])]);
  }
}

/** The culprits an error names (empty when the error is not attributable). */
export function culpritsOf(err: unknown): readonly string[] {
  return err instanceof CairnError ? err.culprits : [];
}

export function isCairnError(err: unknown, code?: CairnErrorCode): err is CairnError {
  return err instanceof CairnError && (code === undefined || err.code === code);
}

/** Throws a CairnError when `cond` is false. */
export function ensure(cond: unknown, code: CairnErrorCode, message: string, opts?: CairnErrorOptions): asserts cond {
  if (!cond) throw new CairnError(code, message, opts);
}

/** Runs `fn`, converting any non-Cairn error (e.g. from noble's parsers) into the given CairnError. */
export function rethrowAs<T>(fn: () => T, code: CairnErrorCode, message: string, opts: CairnErrorOptions = {}): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError(code, message, { ...opts, cause: err });
  }
}

/** A short, human-friendly rendering of a 32-byte hex identifier for messages. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}
