/**
 * The all-holders acknowledgement that stops forget-and-forgive (Aumasson–Shlomovits, eprint
 * 2020/1052): a staged epoch may be promoted only when *every* new holder confirmed the same
 * public package. A holder that aborted (e.g. it received a bad share) never confirms, so nobody
 * promotes and everyone keeps the current epoch.
 */
import { CairnError } from '../errors.ts';
import { equalBytes } from '../encoding.ts';
import type { Identifier } from '../identifier.ts';
import { checkEcho, checkSenders } from './lifecycleSession.ts';
import { decodeConfirmation, type StagedEpoch } from './stagedEpoch.ts';

/**
 * Requires one confirmation from every other new holder (`confirmations` maps authenticated sender →
 * package). Throws, naming the culprits: MISSING_PACKAGE (who did not confirm), UNKNOWN_SENDER,
 * MALFORMED / WRONG_SESSION (bad package), INCONSISTENT_COMMITMENTS (a dealer showed different
 * broadcasts to different holders — dealer and reporter named — or a holder confirmed another
 * public package — that holder named). Pure: the staged epoch is unchanged either way.
 */
export function checkConfirmations(staged: StagedEpoch, confirmations: ReadonlyMap<Identifier, Uint8Array>): void {
  const self = staged.key.identifier;
  const others = staged.key.public.roster.identifiers.filter((id) => id !== self);
  checkSenders(confirmations, others, 'Epoch confirmation');
  const bodies = others.map((from) => [from, decodeConfirmation(confirmations.get(from)!, staged.session, from)] as const);
  for (const [from, body] of bodies) checkEcho(staged.echo, body.echo, from);
  const disagree = bodies.filter(([, body]) => !equalBytes(body.publicHash, staged.publicHash)).map(([from]) => from);
  if (disagree.length)
    throw new CairnError('INCONSISTENT_COMMITMENTS', `${disagree.length} guardian(s) confirmed a different new public package`, { culprits: disagree });
}
