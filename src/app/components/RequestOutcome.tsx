/**
 * What follows a request form, the same for a payment, a contract call and typed data: "putting it in
 * the log", then the request's progress (with where to retry or close it if its sending failed), then
 * the confirmed transaction with its block-explorer link.
 */
import type { Hex } from 'viem';
import type { RequestState } from '../services/sessionSnapshot.ts';
import { Address } from './Address.tsx';
import { ExplorerLink } from './ExplorerLink.tsx';
import { RequestProgress } from './RequestProgress.tsx';
import { Waiting } from './Waiting.tsx';

/** `submits`: once signed, this device sends a transaction and waits for it (not so for typed data). */
export function RequestOutcome({ busy, request, submits }: { busy: boolean; request?: RequestState; submits: boolean }) {
  return (
    <>
      {busy && !request && <Waiting label="Putting the request in the log…" />}
      {request && (
        <div className="card">
          <h2>Progress</h2>
          <RequestProgress r={request} />
          {request.submissionFailed && !request.closed && (
            <p className="muted" data-testid="retry-hint">
              Any guardian can retry it or close it on the Requests page.
            </p>
          )}
          {submits && busy && request.status === 'signed' && <Waiting label="Submitting and waiting for confirmation…" />}
        </div>
      )}
    </>
  );
}

export function TransactionDone({ title, result, testId }: { title: string; result: { transactionHash: Hex; blockNumber: bigint }; testId: string }) {
  return (
    <div className="card success" data-testid={testId}>
      <h2>{title}</h2>
      <p>Confirmed in block {String(result.blockNumber)}.</p>
      <p>
        Transaction: <Address value={result.transactionHash} label="tx-hash" />
      </p>
      <ExplorerLink kind="tx" value={result.transactionHash} paragraph>
        See it in the block explorer
      </ExplorerLink>
    </div>
  );
}
