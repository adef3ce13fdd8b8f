/**
 * Refresh requests in the log: an `epoch-announcement` entry (`v ‖ kind u8 = 1 (refresh) ‖ epoch
 * u32`) by any guardian asks every holder of that epoch to refresh; each holder that sees it while
 * that epoch is current runs the refresh descriptor with the whole roster (request id = entry id,
 * so all devices share one session). Promotion hands the new key package to `onPromoted`.
 */
import { CairnError, type KeyPackage } from '../core/index.ts';
import { ByteReader, ByteWriter, hexToBytesStrict, toHex } from '../device/byteCodec.ts';
import type { DeviceIdentity } from '../device/deviceIdentity.ts';
import type { LogEntry, RequestLog } from '../net/requestLog.ts';
import { refreshDescriptor, type RefreshRunResult } from './descriptors/refresh.ts';
import type { EpochStore } from './epochStore.ts';
import type { NonceStore } from './nonceStore.ts';
import { runProtocol, type RunnerEnv } from './roundRunner.ts';

export const EPOCH_ANNOUNCEMENT_KIND = 'epoch-announcement';
const REFRESH = 1;

export function encodeRefreshAnnouncement(epoch: number): Uint8Array {
  return new ByteWriter().u8(1).u8(REFRESH).u32(epoch).finish();
}

export function decodeRefreshAnnouncement(bytes: Uint8Array): { epoch: number } {
  const r = new ByteReader(bytes, 'epoch announcement');
  if (r.u8('version') !== 1) throw r.malformed('unknown version');
  if (r.u8('kind') !== REFRESH) throw r.malformed('unknown kind');
  const epoch = r.u32('epoch');
  r.end();
  return { epoch };
}

export function createRefreshCoordinator(p: {
  identity: DeviceIdentity;
  log: RequestLog;
  env: RunnerEnv;
  current: () => KeyPackage | undefined;
  epochs: EpochStore;
  nonces: NonceStore;
  onPromoted: (r: RefreshRunResult) => void;
}) {
  const runs = new Map<string, Promise<RefreshRunResult>>();
  const startedEpochs = new Set<number>();
  const waiting: LogEntry[] = [];

  function consider(e: LogEntry): void {
    if (runs.has(e.id)) return;
    const key = p.current();
    let epoch: number;
    try {
      epoch = decodeRefreshAnnouncement(e.body).epoch;
    } catch (err) {
      p.env.onEvent({ type: 'rejected', from: e.author, code: err instanceof CairnError ? err.code : 'MALFORMED', reason: 'Unreadable epoch announcement' });
      return;
    }
    if (!key || epoch > key.public.epoch) return void waiting.push(e); // not there yet
    // One refresh per epoch: two concurrent announcements would stage the same next epoch twice.
    if (epoch !== key.public.epoch || startedEpochs.has(epoch)) return;
    startedEpochs.add(epoch);
    const run = runProtocol(refreshDescriptor, {
      current: key, participants: key.public.roster.deviceKeys.map(toHex), requestId: hexToBytesStrict(e.id, 'entry id', 32), epochs: p.epochs, nonces: p.nonces,
    }, p.env);
    runs.set(e.id, run.result);
    run.result.then(
      (res) => {
        p.onPromoted(res);
        reevaluate();
      },
      () => startedEpochs.delete(epoch), // blame is in the log; a new announcement may retry
    );
  }

  function reevaluate(): void {
    for (const e of waiting.splice(0)) consider(e);
  }

  const unsubscribe = p.log.subscribe((e) => e.kind === EPOCH_ANNOUNCEMENT_KIND && consider(e));

  return {
    /** Asks every holder to refresh the current epoch; resolves once this device promoted it. */
    refresh(): Promise<RefreshRunResult> {
      const key = p.current();
      if (!key) throw new CairnError('NOT_FOUND', 'This device holds no share of the wallet yet');
      if (startedEpochs.has(key.public.epoch)) throw new CairnError('BAD_PARAMETERS', 'A refresh of this epoch is already running');
      const entry = p.log.append(EPOCH_ANNOUNCEMENT_KIND, encodeRefreshAnnouncement(key.public.epoch)); // delivered to `consider` synchronously
      return runs.get(entry.id) ?? Promise.reject(new CairnError('ABORTED', 'The refresh did not start'));
    },
    reevaluate,
    destroy: () => unsubscribe(),
  };
}

export type RefreshCoordinator = ReturnType<typeof createRefreshCoordinator>;
