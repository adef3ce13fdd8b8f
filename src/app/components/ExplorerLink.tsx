import { loadSettings } from '../services/settings.ts';

/**
 * A link to a transaction or an address in the block explorer set in Settings; nothing when none is
 * set. `paragraph`: in a paragraph of its own (so no empty one is left when there is no explorer).
 */
export function ExplorerLink({ kind, value, children, paragraph }: { kind: 'tx' | 'address'; value: string; children: string; paragraph?: boolean }) {
  const base = loadSettings().chain?.explorerUrl;
  if (!base) return null;
  const link = (
    <a href={`${base.replace(/\/+$/, '')}/${kind}/${value}`} target="_blank" rel="noreferrer" data-testid={`explorer-${kind}`}>
      {children}
    </a>
  );
  return paragraph ? <p>{link}</p> : link;
}
