/**
 * "New request → sign typed data": paste the EIP-712 JSON a dapp asks you to sign (a permit, a vote,
 * an order). The guardians see who it is for and every field; the signature comes back checked the
 * way the dapp will check it, ready to copy.
 */
import { useState, type FormEvent } from 'react';
import type { SigningRequest } from '../../core/index.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { useTokenInfo } from '../hooks/useTokenInfo.ts';
import { signTypedData, type TypedDataSignature } from '../services/contractRequests.ts';
import { describeRequest, type RequestDescription } from '../services/describeRequest.ts';
import { loadSettings } from '../services/settings.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import { typedDataFromJson } from '../services/typedDataRequest.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { Address } from './Address.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { FromChoice } from './RequestKind.tsx';
import { RequestFields } from './RequestFields.tsx';
import { RequestOutcome } from './RequestOutcome.tsx';

export function TypedDataForm({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const [from, setFrom] = useState<'vault' | 'eoa'>('vault');
  const [text, setText] = useState('');
  const [requestId, setRequestId] = useState<string>();
  const [result, setResult] = useState<TypedDataSignature>();
  // What the other guardians will see, as soon as the pasted JSON is valid typed data.
  const preview = ((): RequestDescription | undefined => {
    try {
      const { bytes } = typedDataFromJson(text);
      const vault = snap.info.vault;
      const chainId = loadSettings().chain?.chainId;
      const request: SigningRequest =
        from === 'vault' && vault
          ? { type: 'vault-typed-data', chainId: BigInt(chainId ?? 0), vault, typedData: bytes }
          : { type: 'eoa-typed-data', typedData: bytes };
      return describeRequest(request, { chainId });
    } catch {
      return undefined;
    }
  })();
  useTokenInfo(preview?.tokens ?? []); // re-renders (and so re-describes) once the token's units are read
  const { run, busy, error, setError } = useAsync(async () => {
    setResult(undefined);
    setRequestId(undefined);
    const typed = typedDataFromJson(text);
    setResult(await signTypedData(session, from, typed, setRequestId));
  });
  const request = requestId ? snap.requests.find((r) => r.id === requestId) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <>
      <form className="card form" onSubmit={submit} data-testid="typed-data-form">
        <FromChoice value={from} onChange={setFrom} />
        <label>
          Typed data to sign (JSON)
          <textarea
            value={text}
            onChange={(e) => {
              setError(undefined); // the last error was about the text before this edit
              setText(e.target.value);
            }}
            rows={10}
            spellCheck={false}
            placeholder='{"domain": {…}, "types": {…}, "primaryType": "…", "message": {…}}'
          />
        </label>
        {preview && (
          <section className="request preview" aria-label="What the other guardians will see" data-testid="typed-data-preview">
            <h2>What the other guardians will see</h2>
            <p className="preview-title">{preview.title}</p>
            <RequestFields d={preview} open />
          </section>
        )}
        <p className="muted">Paste what the app or website asks you to sign. The other guardians see who it is for and every field before they approve it.</p>
        <ErrorNote text={error} />
        <button type="submit" className="primary" disabled={busy}>
          Ask the guardians to sign
        </button>
      </form>
      <RequestOutcome busy={busy} request={request} submits={false} />
      {result && (
        <div className="card success" data-testid="typed-data-result">
          <h2>Signed</h2>
          <p>
            Signature, checked {from === 'vault' ? 'by the vault on chain' : 'against the plain address'}:{' '}
            <Address value={result.signature} label="typed-signature" />
          </p>
          <p className="muted">Give it to the app or website that asked for it.</p>
        </div>
      )}
    </>
  );
}
