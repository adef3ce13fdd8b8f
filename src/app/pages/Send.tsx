/** Send ETH or the test token, make a contract call or sign typed data; follow the approvals, signing and confirmation. */
import { useState, type FormEvent } from 'react';
import { isAddress, getAddress, type Hex } from 'viem';
import { useAsync } from '../hooks/useAsync.ts';
import { sendFromVault } from '../services/sendPayment.ts';
import { sendFromEoa } from '../services/sendFromEoa.ts';
import { loadSettings } from '../services/settings.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ContractCallForm } from '../components/ContractCallForm.tsx';
import { RequestKind, type RequestKindName } from '../components/RequestKind.tsx';
import { TypedDataForm } from '../components/TypedDataForm.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { RequestOutcome, TransactionDone } from '../components/RequestOutcome.tsx';

export function Send({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const [kind, setKind] = useState<RequestKindName>('payment');
  const [from, setFrom] = useState<'vault' | 'eoa'>('vault');
  const [asset, setAsset] = useState<'ETH' | 'CTT'>('ETH');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [requestId, setRequestId] = useState<string>();
  const [result, setResult] = useState<{ transactionHash: Hex; blockNumber: bigint }>();
  const hasToken = Boolean(loadSettings().chain?.token);
  const { run, busy, error } = useAsync(async () => {
    setResult(undefined);
    setRequestId(undefined);
    if (!isAddress(to.trim(), { strict: false })) throw new Error('The recipient is not an Ethereum address (0x followed by 40 hex digits).');
    // Mixed-case addresses carry an EIP-55 checksum: a wrong one means a mistyped character.
    if (!isAddress(to.trim(), { strict: true }))
      throw new Error('The recipient address has a wrong checksum (its capital letters do not match): a character is probably mistyped. Copy it again.');
    // "0,1" is how many people write 0.1: accept one comma as the decimal point.
    const typed = /^\d+,\d+$/.test(amount.trim()) ? amount.trim().replace(',', '.') : amount.trim();
    if (!/^\d+(\.\d+)?$/.test(typed) || Number(typed) <= 0) throw new Error('Type an amount greater than 0 with a point for decimals, like 0.5.');
    const payment = { asset, to: getAddress(to.trim()), amount: typed };
    setResult(from === 'vault' ? await sendFromVault(session, payment, setRequestId) : await sendFromEoa(session, payment, setRequestId));
  });
  const request = requestId ? snap.requests.find((r) => r.id === requestId) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  if (kind !== 'payment')
    return (
      <section className="narrow">
        <h1>Send</h1>
        <RequestKind value={kind} onChange={setKind} />
        {kind === 'call' ? <ContractCallForm session={session} snap={snap} /> : <TypedDataForm session={session} snap={snap} />}
      </section>
    );
  return (
    <section className="narrow">
      <h1>Send</h1>
      <RequestKind value={kind} onChange={setKind} />
      <form className="card form" onSubmit={submit}>
        <fieldset className="choice">
          <legend>From</legend>
          <label>
            <input type="radio" name="from" checked={from === 'vault'} onChange={() => setFrom('vault')} /> The vault (the guardians' joint signature is checked
            on chain)
          </label>
          <label>
            <input type="radio" name="from" checked={from === 'eoa'} onChange={() => setFrom('eoa')} /> The plain address (an ordinary account the guardians
            sign for together)
          </label>
        </fieldset>
        <label>
          Asset
          <select value={asset} onChange={(e) => setAsset(e.target.value as 'ETH' | 'CTT')}>
            <option value="ETH">ETH</option>
            {hasToken && <option value="CTT">CTT (test token)</option>}
          </select>
        </label>
        <label>
          Recipient
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="0x…" autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Amount
          <input value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.1" inputMode="decimal" />
        </label>
        <p className="muted">
          Your approval counts as one of the {snap.info.threshold} needed; the other guardians see the request decoded and approve it on their devices.
        </p>
        {/* A failed sending is told once, in the progress below, with where to retry it. */}
        <ErrorNote text={request?.submissionFailed ? undefined : error} />
        <button type="submit" className="primary" disabled={busy}>
          Ask the guardians to approve
        </button>
      </form>
      <RequestOutcome busy={busy} request={request} submits />
      {result && <TransactionDone title="Sent" result={result} testId="send-result" />}
    </section>
  );
}
