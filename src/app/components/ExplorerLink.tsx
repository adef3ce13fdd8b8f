import { loadSettings } from '../services/settings.ts';

/** A link to a transaction or an address in the block explorer set in Settings; nothing when none is set. */
export function ExplorerLink({ kind, value, children }: { kind: 'tx' | 'address'; value: string; children: string }) {
  const base = loadSettings().chain?.explorerUrl;
  if (!base) return null;
  return (
    <a href={`${base.replace(/\/+$/, '')}/${kind}/${value}`} target="_blank" rel="noreferrer" data-testid={`explorer-${kind}`}>
      {children}
    </a>
  );
}
