/**
 * "Fund the vault from the plain address": the plain address pays its own gas (an ordinary
 * transaction the guardians sign with threshold ECDSA), and the vault then pays its own user
 * operations from what it received.
 */
import { useState, type FormEvent } from 'react';
import type { Address } from 'viem';
import { useAsync } from '../hooks/useAsync.ts';
import { sendFromEoa } from '../services/sendFromEoa.ts';
import type { WalletSession } from '../services/walletSession.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { Waiting } from './Waiting.tsx';

export function FundVault({ session, vault }: { session: WalletSession; vault: Address }) {
  const [amount, setAmount] = useState('');
  const [sent, setSent] = useState(false);
  const { run, busy, error } = useAsync(async () => {
    setSent(false);
    const typed = /^\d+,\d+$/.test(amount.trim()) ? amount.trim().replace(',', '.') : amount.trim();
    if (!/^\d+(\.\d+)?$/.test(typed) || Number(typed) <= 0) throw new Error('Type an amount greater than 0 with a point for decimals, like 0.05.');
    await sendFromEoa(session, { asset: 'ETH', to: vault, amount: typed }, () => undefined);
    setSent(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="form" onSubmit={submit}>
      <label>
        Amount for the vault, from the plain address (ETH)
        <input value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.05" inputMode="decimal" />
      </label>
      {busy ? (
        <Waiting label="Waiting for the guardians to approve…" />
      ) : (
        <button type="submit" className="secondary">
          Fund the vault
        </button>
      )}
      {sent && (
        <p className="status" data-testid="fund-vault-done">
          Sent to the vault.
        </p>
      )}
      <ErrorNote text={error} />
    </form>
  );
}
