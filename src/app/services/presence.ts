/**
 * Presence: each device writes "seen at" for its own key into the wallet's Y.Doc every few seconds,
 * so the other guardians can show who is online. A shared map, not a log entry: only the latest beat matters.
 */
import type * as Y from 'yjs';

const PRESENCE_EVERY_MS = 5_000;
const presenceMap = (doc: Y.Doc) => doc.getMap<number>('cairn/presence');

/** Beats now and every few seconds, calls `onChange` whenever any device's beat arrives; returns the stop function. */
export function startPresence(doc: Y.Doc, self: string, onChange: () => void): () => void {
  const map = presenceMap(doc);
  const beat = () => map.set(self, Date.now());
  beat();
  const timer = setInterval(beat, PRESENCE_EVERY_MS);
  map.observe(onChange);
  return () => {
    clearInterval(timer);
    map.unobserve(onChange);
  };
}

/** Device key → last time it was seen online (ms). */
export function lastSeen(doc: Y.Doc | undefined): Record<string, number> {
  const seen: Record<string, number> = {};
  if (doc) presenceMap(doc).forEach((v, k) => (seen[k] = v));
  return seen;
}
