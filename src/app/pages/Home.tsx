/** The wallet at a glance: its two addresses and balances, the guardians, the share changes recorded on chain. */
import { ExplorerLink } from '../components/ExplorerLink.tsx';
import { formatEther, formatUnits } from 'viem';
import { Address } from '../components/Address.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { GuardianList } from '../components/GuardianList.tsx';
import { FundVault } from '../components/FundVault.tsx';
import { Onboarding } from '../components/Onboarding.tsx';
import { useChainData } from '../hooks/useChainData.ts';
import type { Balances } from '../services/chain.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import type { WalletSession } from '../services/walletSession.ts';
import type { PageName } from '../Shell.tsx';

export function Home({ session, snap, go }: { session: WalletSession; snap: Snapshot; go: (p: PageName) => void }) {
  const info = snap.info;
  const chain = useChainData({ vault: info.vault, eoa: info.eoa, groupKey: info.groupKey });
  if (snap.left)
    return (
      <p className="muted">This device is not one of the wallet's guardians (any more). You can close this page, or use this browser to join another wallet.</p>
    );
  if (snap.phase !== 'ready' || !info.vault)
    return (
      <>
        <Onboarding session={session} snap={snap} />
        {/* The plain address exists with the key: usable (and fundable) before the vault is set up. */}
        {snap.phase === 'ready' && info.eoa && (
          <article className="card">
            <h2>Plain address</h2>
            <Address value={info.eoa} label="eoa-address" />
            <BalanceLines b={chain.eoa} testId="eoa-balance" />
            <p className="muted">It pays its own gas, on any chain. The vault comes next.</p>
          </article>
        )}
      </>
    );
  return (
    <section>
      <h1>{info.name || 'Your wallet'}</h1>
      <p className="explain">
        One key, two ways to use it: the <strong>vault</strong> checks the guardians' signature on chain; the <strong>plain address</strong> is an ordinary
        account any app or chain accepts.
      </p>
      <div className="grid two">
        <article className="card">
          <h2>Vault</h2>
          <Address value={info.vault} label="vault-address" />
          <BalanceLines b={chain.vault} testId="vault-balance" />
          <ExplorerLink kind="address" value={info.vault} paragraph>
            The vault in the block explorer
          </ExplorerLink>
        </article>
        <article className="card">
          <h2>Plain address</h2>
          {info.eoa && <Address value={info.eoa} label="eoa-address" />}
          <BalanceLines b={chain.eoa} testId="eoa-balance" />
          <p className="muted">It pays its own gas, on any chain.</p>
          {info.eoa && chain.eoa && chain.eoa.eth > 0n && <FundVault session={session} vault={info.vault} />}
        </article>
      </div>
      <ErrorNote text={chain.error} />
      <div className="actions">
        <button type="button" className="primary" onClick={() => go('Send')}>
          Send
        </button>
        <button type="button" className="secondary" onClick={() => go('Requests')}>
          Requests
        </button>
      </div>
      <article className="card">
        <h2>Guardians</h2>
        <p>
          Any {info.threshold} of {info.guardians} approve. Share changes recorded on chain:{' '}
          <strong data-testid="registry-epoch">{chain.registry ? String(chain.registry.epoch) : '…'}</strong>
        </p>
        <GuardianList snap={snap} keys={info.members} />
      </article>
    </section>
  );
}

function BalanceLines({ b, testId }: { b?: Balances; testId: string }) {
  if (!b) return <p className="muted">Reading balance…</p>;
  return (
    <p className="balance">
      <span data-testid={testId}>{trim(formatEther(b.eth))} ETH</span>
      {b.token !== undefined && b.tokenInfo && (
        <span className="muted">
          {' '}
          · {trim(formatUnits(b.token, b.tokenInfo.decimals))} {b.tokenInfo.symbol}
        </span>
      )}
    </p>
  );
}

const trim = (s: string) => (s.includes('.') ? s.replace(/(\.\d{0,6})\d*$/, '$1').replace(/\.$/, '') : s);
