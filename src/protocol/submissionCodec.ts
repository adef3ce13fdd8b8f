/**
 * After a request is signed, the device that asked submits it (for the vault: a user operation
 * through a bundler). When that fails — the call reverted, the vault couldn't pay the fee, the bundler
 * refused it — the request ends as failed for everyone with the cause in plain words
 * (`submission-failed`, counted only from the requester: the one device that submits), and any
 * guardian may end it for good (`request-closed`: closed, or retried as a new request that the
 * guardians approve again). Read by `requestLifecycle.ts`.
 */
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';

export const SUBMISSION_FAILED_LOG_KIND = 'submission-failed';
export const REQUEST_CLOSED_LOG_KIND = 'request-closed';

/** A failed request is closed as it is, or closed because it was asked again. */
export type CloseHow = 'closed' | 'retried';
const HOWS: readonly CloseHow[] = ['closed', 'retried'];

/** Characters of a failure's cause kept in the log (a cause longer than that is cut). */
export const MAX_FAILURE_REASON = 300;

/** `v1 ‖ requestId (32) ‖ reason (u16-length UTF-8)`. */
export function encodeSubmissionFailed(requestId: string, reason: string): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(requestId, 'request id', 32))
    .str16(reason.slice(0, MAX_FAILURE_REASON))
    .finish();
}

export function decodeSubmissionFailed(bytes: Uint8Array): { requestId: string; reason: string } {
  const r = new ByteReader(bytes, 'submission failed');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const requestId = toHex(r.bytes(32, 'request id'));
  const reason = r.str16('reason', 4 * MAX_FAILURE_REASON);
  r.end();
  return { requestId, reason };
}

/** `v1 ‖ requestId (32) ‖ how (u8: 0 closed, 1 retried)`. */
export function encodeRequestClosed(requestId: string, how: CloseHow): Uint8Array {
  return new ByteWriter()
    .u8(1)
    .bytes(hexToBytesStrict(requestId, 'request id', 32))
    .u8(HOWS.indexOf(how))
    .finish();
}

export function decodeRequestClosed(bytes: Uint8Array): { requestId: string; how: CloseHow } {
  const r = new ByteReader(bytes, 'request closed');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  const requestId = toHex(r.bytes(32, 'request id'));
  const how = HOWS[r.u8('how')];
  if (!how) throw r.malformed('how is neither closed nor retried');
  r.end();
  return { requestId, how };
}
