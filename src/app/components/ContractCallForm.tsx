/**
 * "New request → a contract call": contract address, its ABI (one the app knows, or pasted JSON), a
 * function that changes something, one labelled field per argument, ETH to send along. The guardians
 * see the call decoded on their own devices (Requests page).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { getAddress, hexToBytes, isAddress, type Abi, type Hex } from 'viem';
import { useAsync } from '../hooks/useAsync.ts';
import { useTokenInfo } from '../hooks/useTokenInfo.ts';
import { encodeCall, KNOWN_ABIS, parseAbiJson, parseEthValue, writableFunctions } from '../services/contractCall.ts';
import { sendContractCall } from '../services/contractRequests.ts';
import { describeCallPreview, type RequestDescription } from '../services/describeRequest.ts';
import { callAbiBody } from '../services/requesterAbi.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { FromChoice } from './RequestKind.tsx';
import { RequestFields } from './RequestFields.tsx';
import { RequestOutcome, TransactionDone } from './RequestOutcome.tsx';

const PASTE = 'paste';

/** What to type for a Solidity type, in words. */
function hint(type: string): string {
  if (type === 'address') return '0x…';
  if (type === 'bool') return 'true or false';
  if (/^uint\d*$/.test(type)) return 'whole number in the smallest unit, or max';
  if (/^int\d*$/.test(type)) return 'whole number';
  if (type.startsWith('bytes')) return '0x…';
  if (type.endsWith(']') || type === 'tuple') return 'JSON list, like ["0x…", 1]';
  return '';
}

export function ContractCallForm({ session, snap }: { session: WalletSession; snap: Snapshot }) {
  const [from, setFrom] = useState<'vault' | 'eoa'>('vault');
  const [to, setTo] = useState('');
  const [abiId, setAbiId] = useState(KNOWN_ABIS[0]!.id);
  const [abiText, setAbiText] = useState('');
  const [fnIndex, setFnIndex] = useState(0);
  const [args, setArgs] = useState<string[]>([]);
  const [value, setValue] = useState('');
  const [requestId, setRequestId] = useState<string>();
  const [result, setResult] = useState<{ transactionHash: Hex; blockNumber: bigint }>();
  const parsed = useMemo((): { abi?: Abi; error?: string } => {
    if (abiId !== PASTE) return { abi: KNOWN_ABIS.find((k) => k.id === abiId)!.abi };
    if (!abiText.trim()) return {};
    try {
      return { abi: parseAbiJson(abiText) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }, [abiId, abiText]);
  const functions = parsed.abi ? writableFunctions(parsed.abi) : [];
  const fn = functions[fnIndex]?.item;
  // What the other guardians will see, as soon as the call is complete (errors wait for the button).
  const preview = ((): RequestDescription | undefined => {
    if (!fn || !isAddress(to.trim(), { strict: true })) return undefined;
    try {
      const data = hexToBytes(encodeCall(fn, args));
      return describeCallPreview({ from, vault: snap.info.vault, to: getAddress(to.trim()), value: parseEthValue(value), data });
    } catch {
      return undefined;
    }
  })();
  useTokenInfo(preview?.tokens ?? []); // re-renders (and so re-describes) once the token's units are read
  const { run, busy, error, setError } = useAsync(async () => {
    setResult(undefined);
    setRequestId(undefined);
    if (!isAddress(to.trim(), { strict: false })) throw new Error('The contract address is not an Ethereum address (0x followed by 40 hex digits).');
    if (!isAddress(to.trim(), { strict: true }))
      throw new Error('The contract address has a wrong checksum (its capital letters do not match): a character is probably mistyped.');
    if (!fn) throw new Error(parsed.error ?? 'Choose a function to call.');
    const data = encodeCall(fn, args);
    const call = { from, to: getAddress(to.trim()), value: parseEthValue(value), data };
    // A pasted ABI: the function goes into the log beside the request, so approvers can read the call (as this person's word).
    const publish = (id: string) => {
      if (abiId === PASTE) session.appendJson('call-abi', callAbiBody(id, fn));
      setRequestId(id);
    };
    setResult(await sendContractCall(session, call, publish));
  });
  const request = requestId ? snap.requests.find((r) => r.id === requestId) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const chooseAbi = (id: string) => {
    setAbiId(id);
    setFnIndex(0);
    setArgs([]);
  };
  return (
    <>
      <form className="card form" onSubmit={submit} data-testid="contract-call-form">
        <FromChoice value={from} onChange={setFrom} />
        <label>
          Contract address
          <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="0x…" autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Kind of contract
          <select value={abiId} onChange={(e) => chooseAbi(e.target.value)}>
            {KNOWN_ABIS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
            <option value={PASTE}>Another contract: paste its ABI (JSON)</option>
          </select>
        </label>
        {abiId === PASTE && (
          <label>
            Contract ABI (JSON)
            <textarea
              value={abiText}
              onChange={(e) => setAbiText(e.target.value)}
              rows={5}
              spellCheck={false}
              placeholder='[{"type":"function","name":"…","inputs":[…]}]'
            />
          </label>
        )}
        {parsed.error && <ErrorNote text={parsed.error} />}
        {abiId === PASTE && (
          <p className="muted">
            The other guardians’ devices don’t know this contract: they see the call as you describe it here, and each must choose to sign data their device
            can’t check.
          </p>
        )}
        {functions.length > 0 && (
          <label>
            Function
            <select
              value={fnIndex}
              onChange={(e) => {
                setFnIndex(Number(e.target.value));
                setArgs([]);
              }}
            >
              {functions.map((f, i) => (
                <option key={f.signature} value={i}>
                  {f.item.name}({f.item.inputs.map((p) => p.name || p.type).join(', ')})
                </option>
              ))}
            </select>
          </label>
        )}
        {fn?.inputs.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a function's inputs are positional (names may be empty or repeat)
          <label key={`${fn.name}-${i}`}>
            <span>
              {p.name || `Argument ${i + 1}`} <span className="muted">({p.type})</span>
            </span>
            <input
              value={args[i] ?? ''}
              onChange={(e) => {
                setError(undefined);
                setArgs((a) => Object.assign([...a], { [i]: e.target.value }));
              }}
              placeholder={hint(p.type)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        ))}
        <label>
          ETH to send with the call
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="0" inputMode="decimal" />
        </label>
        {preview && (
          <section className="request preview" aria-label="What the other guardians will see" data-testid="call-preview">
            <h2>What the other guardians will see</h2>
            <p className="preview-title">{preview.title}</p>
            <RequestFields d={preview} open />
          </section>
        )}
        <p className="muted">The other guardians see this call decoded on their devices before they approve it.</p>
        <ErrorNote text={error} />
        <button type="submit" className="primary" disabled={busy}>
          Ask the guardians to approve
        </button>
      </form>
      <RequestOutcome busy={busy} request={request} submits />
      {result && <TransactionDone title="Done" result={result} testId="call-result" />}
    </>
  );
}
