/**
 * Device and net figures (issue 5), medians in Node on this machine: the passphrase KDF, sealing,
 * log entry signing/verification, paper-backup restore, and the request log over the memory hub.
 */
import * as Y from 'yjs';
import { randomBytes } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { DEFAULT_SCRYPT, unlockKeyFromPassphrase } from '../src/device/unlockKey.ts';
import { openRecord, sealRecord } from '../src/device/sealedRecord.ts';
import { createDeviceIdentity } from '../src/device/deviceIdentity.ts';
import { decodeLogEntry, encodeLogEntry } from '../src/net/logEntryCodec.ts';
import { restoreShareFromWords, shareToBackupWords } from '../src/device/backup.ts';
import { toHex } from '../src/device/byteCodec.ts';
import { createMemoryHub } from '../src/net/memoryHub.ts';
import { openRequestLog } from '../src/net/requestLog.ts';
import { medianMs } from './util.ts';

export async function run(): Promise<Record<string, number>> {
  const salt = randomBytes(16);
  const key = randomBytes(32);
  const record = randomBytes(600); // about a key package
  const sealed = sealRecord(key, 'wallet/w/current', record);
  const identity = createDeviceIdentity();
  const body = randomBytes(1024);
  const entry = encodeLogEntry({ identity, scope: 'w', kind: 'request', at: 1, body }).bytes;

  const share = secp256k1.utils.randomSecretKey();
  const identifier = toHex(randomBytes(32));
  const groupKey = toHex(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
  const words = shareToBackupWords({ walletId: 'w', groupKey, identifier, epoch: 1, share });
  const expected = { walletId: 'w', groupKey, epoch: 1, holders: [{ identifier, verifyingShare: toHex(secp256k1.getPublicKey(share, true)) }] };

  return {
    'device.passphraseScryptN17Ms': await medianMs(() => unlockKeyFromPassphrase('correct horse', salt, DEFAULT_SCRYPT), { runs: 5, warmup: 1 }),
    'device.sealRecord600BMs': await medianMs(() => sealRecord(key, 'wallet/w/current', record), { runs: 200 }),
    'device.openRecord600BMs': await medianMs(() => openRecord(key, 'wallet/w/current', sealed), { runs: 200 }),
    'device.backupRestoreMs': await medianMs(() => restoreShareFromWords(words, expected), { runs: 50 }),
    'net.logEntrySign1KiBMs': await medianMs(() => encodeLogEntry({ identity, scope: 'w', kind: 'request', at: 1, body }), { runs: 100 }),
    'net.logEntryVerify1KiBMs': await medianMs(() => decodeLogEntry(entry), { runs: 100 }),
    'net.hub5x20EntriesSyncedMs': await medianMs(
      async () => {
        const hub = createMemoryHub();
        const ids = Array.from({ length: 5 }, () => createDeviceIdentity());
        const members = ids.map((i) => i.publicKey);
        const logs = ids.map((identity) => {
          const doc = new Y.Doc();
          hub.join(doc);
          return openRequestLog({ doc, identity, members, scope: 'w' });
        });
        for (let k = 0; k < 20; k++) for (const log of logs) log.append('request', body.subarray(0, 64));
        await hub.settle();
        if (logs.some((l) => l.entries().length !== 100)) throw new Error('hub lost entries');
      },
      { runs: 3, warmup: 1 },
    ),
  };
}
