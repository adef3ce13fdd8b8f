/**
 * Which path a WebRTC connection really took, from `getStats()`: the transport's selected
 * candidate pair and its two candidates' types ('host', 'srflx', 'prflx' or 'relay'). Tests use it
 * to prove traffic went through a TURN relay; a diagnostics view can show it.
 */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type SelectedCandidatePair = { local: CandidateType; remote: CandidateType; state: string };

type StatsEntry = { id: string; type: string; [k: string]: unknown };

/** The selected pair of `pc`, or undefined while ICE has not picked one. */
export async function selectedCandidatePair(pc: Pick<RTCPeerConnection, 'getStats'>): Promise<SelectedCandidatePair | undefined> {
  const stats = new Map<string, StatsEntry>();
  (await pc.getStats()).forEach((r: StatsEntry) => stats.set(r.id, r));
  const transport = [...stats.values()].find((r) => r.type === 'transport');
  const pairId = transport?.selectedCandidatePairId;
  const pair = typeof pairId === 'string' ? stats.get(pairId) : undefined;
  if (!pair) return undefined;
  const local = stats.get(String(pair.localCandidateId))?.candidateType;
  const remote = stats.get(String(pair.remoteCandidateId))?.candidateType;
  if (typeof local !== 'string' || typeof remote !== 'string') return undefined;
  return { local: local as CandidateType, remote: remote as CandidateType, state: String(pair.state) };
}
