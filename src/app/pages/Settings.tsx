/** Where the app connects (chain, signaling), lock now, and the devnet faucet. */
import { useState, type FormEvent } from 'react';
import { getAddress, isAddress, type Address } from 'viem';
import { devnetFaucet, openChain } from '../services/chain.ts';
import { deviceStore } from '../services/device.ts';
import { isDevnet, loadSettings, resetSettings, saveSettings } from '../services/settings.ts';
import { iceServersToJson, parseIceConfigJson, type IceConfig } from '../../net/iceConfig.ts';
import { CairnError } from '../../core/errors.ts';
import type { Snapshot } from '../services/sessionSnapshot.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { Waiting } from '../components/Waiting.tsx';

export function Settings({ snap }: { snap: Snapshot }) {
  const initial = loadSettings();
  const [rpcUrl, setRpcUrl] = useState(initial.chain?.rpcUrl ?? '');
  const [chainId, setChainId] = useState(String(initial.chain?.chainId ?? ''));
  const [registry, setRegistry] = useState(initial.chain?.registry ?? '');
  const [bundlerUrl, setBundlerUrl] = useState(initial.chain?.bundlerUrl ?? '');
  const [explorerUrl, setExplorerUrl] = useState(initial.chain?.explorerUrl ?? '');
  const [signaling, setSignaling] = useState(initial.signalingUrls.join('\n'));
  const [iceServers, setIceServers] = useState(iceServersToJson(initial.ice));
  const [relayOnly, setRelayOnly] = useState(initial.ice.iceTransportPolicy === 'relay');
  const [saved, setSaved] = useState(false);
  const [funded, setFunded] = useState(false);
  const save = useAsync(async () => {
    setSaved(false);
    const id = Number(chainId);
    if (!/^https?:\/\//.test(rpcUrl)) throw new Error('The RPC URL starts with http:// or https://.');
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error('The chain id is a whole number, like 1 or 31337.');
    if (registry && !isAddress(registry, { strict: false })) throw new Error('The registry is not an address.');
    if (bundlerUrl && !/^https?:\/\//.test(bundlerUrl)) throw new Error('The bundler URL starts with http:// or https://.');
    if (explorerUrl && !/^https?:\/\//.test(explorerUrl)) throw new Error('The block explorer URL starts with http:// or https://.');
    const urls = signaling.split(/\s+/).filter(Boolean);
    if (!urls.every((u) => /^wss?:\/\//.test(u))) throw new Error('Signaling servers start with ws:// or wss://.');
    let ice: IceConfig;
    try {
      ice = parseIceConfigJson(relayOnly ? JSON.stringify({ iceServers: JSON.parse(iceServers || '[]'), iceTransportPolicy: 'relay' }) : iceServers);
    } catch (err) {
      throw new Error(err instanceof CairnError ? err.shortMessage : 'The relay servers are not valid JSON.');
    }
    const actual = await openChain({ rpcUrl, chainId: id, registry: undefined, token: undefined })
      .publicClient.getChainId()
      .catch(() => undefined);
    if (actual !== undefined && actual !== id) throw new Error(`That RPC serves chain ${actual}, not ${id}.`);
    saveSettings({
      chain: {
        ...initial.chain,
        rpcUrl,
        chainId: id,
        registry: registry ? getAddress(registry) : undefined,
        token: initial.chain?.token,
        bundlerUrl: bundlerUrl || undefined,
        explorerUrl: explorerUrl || undefined,
      },
      signalingUrls: urls,
      ice,
    });
    setSaved(true);
  });
  const faucet = useAsync(async () => {
    setFunded(false);
    const chain = initial.chain;
    if (!chain) throw new Error('No chain configured.');
    const c = openChain(chain);
    for (const a of [snap.info.vault, snap.info.eoa].filter((x): x is Address => Boolean(x))) await devnetFaucet(c, a);
    setFunded(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <section className="narrow">
      <h1>Settings</h1>
      {isDevnet(initial.chain) && (
        <article className="card">
          <h2>Devnet faucet</h2>
          <p className="muted">On the local devnet, give the vault and the plain address 10 test ETH and 1000 CTT each.</p>
          {faucet.busy ? (
            <Waiting label="Adding test funds…" />
          ) : (
            <button type="button" className="secondary" onClick={() => void faucet.run()} disabled={!snap.info.vault}>
              Add test funds
            </button>
          )}
          {funded && (
            <p className="status" data-testid="faucet-done">
              Added. Balances update on Home.
            </p>
          )}
          <ErrorNote text={faucet.error} />
        </article>
      )}
      <form className="card form" onSubmit={submit}>
        <h2>Chain</h2>
        <label>
          RPC URL
          <input value={rpcUrl} onChange={(e) => setRpcUrl(e.target.value)} spellCheck={false} />
        </label>
        <label>
          Chain id
          <input value={chainId} onChange={(e) => setChainId(e.target.value)} inputMode="numeric" />
        </label>
        <label>
          Cairn registry
          <input value={registry} onChange={(e) => setRegistry(e.target.value)} spellCheck={false} />
        </label>
        <label>
          ERC-4337 bundler URL
          <input value={bundlerUrl} onChange={(e) => setBundlerUrl(e.target.value)} spellCheck={false} />
        </label>
        <p className="muted">The vault pays its own gas through a bundler that serves EntryPoint v0.8 (for example Pimlico or Alchemy on a real chain).</p>
        <label>
          Block explorer URL
          <input value={explorerUrl} onChange={(e) => setExplorerUrl(e.target.value)} placeholder="https://etherscan.io" spellCheck={false} />
        </label>
        <h2 id="signaling-title">Signaling servers</h2>
        <p className="muted">Guardians find each other through these (they see only encrypted traffic). One per line; new invites use them.</p>
        <textarea rows={2} value={signaling} onChange={(e) => setSignaling(e.target.value)} spellCheck={false} aria-labelledby="signaling-title" />
        <h2 id="relay-title">Relay servers</h2>
        <p className="muted">
          STUN and TURN servers help devices on different networks reach each other; a TURN relay passes on encrypted traffic it cannot read. A list like{' '}
          <code>
            [{'{'}"urls": "turn:turn.example.org:3478", "username": "…", "credential": "…"{'}'}]
          </code>
          . New invites carry them, so invited devices need no set-up.
        </p>
        <textarea rows={3} value={iceServers} onChange={(e) => setIceServers(e.target.value)} spellCheck={false} aria-labelledby="relay-title" />
        <label className="check">
          <input type="checkbox" checked={relayOnly} onChange={(e) => setRelayOnly(e.target.checked)} /> Always go through a TURN relay (hides this device's
          address from the other guardians)
        </label>
        <ErrorNote text={save.error} />
        {saved && <p className="status">Saved. Reload the app to reconnect.</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>
            Save
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              resetSettings();
              location.reload();
            }}
          >
            Use the defaults
          </button>
        </div>
      </form>
      <article className="card">
        <h2>Lock</h2>
        <p className="muted">Locking wipes the unlocked share from memory; unlock again with your passkey.</p>
        <button type="button" className="secondary" onClick={() => deviceStore().lock()}>
          Lock now
        </button>
      </article>
    </section>
  );
}
