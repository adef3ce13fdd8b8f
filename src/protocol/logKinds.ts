/**
 * Every log entry kind the guardian facade reads: the request log's own kinds plus those of the
 * coordinators. One list, so the facade's log and the app's second reader of the same array agree.
 */
import { DEFAULT_LOG_ENTRY_KINDS } from '../net/requestLog.ts';
import { BACKUP_RESTORED_LOG_KIND } from './backupRestored.ts';
import { BLAME_LOG_KIND } from './blame.ts';
import { ECDSA_SETUP_LOG_KIND } from './ecdsaCoordinator.ts';
import { EPOCH_PROMOTED_KIND } from './epochCommit.ts';
import { ROOM_KEY_LOG_KIND } from './roomKeyEntry.ts';
import { VAULT_LOG_KINDS } from './secretsLogCodec.ts';
import { QUORUM_LOG_KIND } from './signingRequestCodec.ts';
import { REQUEST_CLOSED_LOG_KIND, SUBMISSION_FAILED_LOG_KIND } from './submissionCodec.ts';

export const GUARDIAN_LOG_KINDS: readonly string[] = [
  ...DEFAULT_LOG_ENTRY_KINDS,
  BLAME_LOG_KIND,
  QUORUM_LOG_KIND,
  ...VAULT_LOG_KINDS,
  ECDSA_SETUP_LOG_KIND,
  BACKUP_RESTORED_LOG_KIND,
  EPOCH_PROMOTED_KIND,
  ROOM_KEY_LOG_KIND,
  SUBMISSION_FAILED_LOG_KIND,
  REQUEST_CLOSED_LOG_KIND,
];
