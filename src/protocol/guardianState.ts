/**
 * What the parts of the guardian facade (`guardian.ts`) share: one device's mutable state for the
 * wallet it has open, and the context each part is handed (parameters, `emit`, `connectTo`, …)
 * instead of reaching into the facade's closure.
 */
import type { KeyPackage, PublicPackage } from '../core/index.ts';
import type { ShareStore } from '../device/shareStore.ts';
import type { RequestLog } from '../net/requestLog.ts';
import type { Clock } from './clock.ts';
import type { CreationRecord } from './creationRecord.ts';
import type { EcdsaCoordinator } from './ecdsaCoordinator.ts';
import type { EnvelopeRouter } from './envelopeRouter.ts';
import type { EpochCoordinator } from './epochCoordinator.ts';
import type { CreateGuardianParameters, GuardianEvent, WalletConnection, WalletInfo } from './guardian.ts';
import type { RunnerEnv } from './roundRunner.ts';
import type { SigningCoordinator } from './signingCoordinator.ts';
import type { SecretsCoordinator } from './secretsCoordinator.ts';
import type { PendingRoster } from './walletCreation.ts';
import type { WalletRoom } from './walletRoomRecord.ts';
import type { RoomRotation } from './roomRotation.ts';

export type ReadySignal = { promise: Promise<WalletInfo>; resolve: (w: WalletInfo) => void; reject: (e: unknown) => void };

/** Everything `close()` clears: set while a wallet is open (or being created / joined). */
export type GuardianState = {
  conn: WalletConnection | undefined;
  log: RequestLog | undefined;
  router: EnvelopeRouter | undefined;
  coordinator: SigningCoordinator | undefined;
  refresher: EpochCoordinator | undefined;
  vault: SecretsCoordinator | undefined;
  ecdsa: EcdsaCoordinator | undefined;
  current: { pub: PublicPackage; key: KeyPackage; walletId: string } | undefined;
  onboarding: { room: WalletRoom; pending: PendingRoster } | undefined;
  /** Created or joined a wallet whose key is not made yet: sealed so that a reload can pick up here (`creationRecord.ts`). */
  creating: CreationRecord | undefined;
  /** A device joining an existing wallet: the public package its inviter published. */
  newcomer: PublicPackage | undefined;
  /** The write of this joining device's record (`joiningRecord.ts`), awaited before it is relied on. */
  joiningSaved: Promise<void> | undefined;
  stopWatchingJoins: (() => void) | undefined;
  /** Moves the wallet's room to a new secret after a reshare removed a device (`roomRotation.ts`). */
  rotation: RoomRotation | undefined;
  /** Stops watching the pending roster and cancels a DKG run in progress (`close`). */
  stopOnboarding: (() => void) | undefined;
  ready: ReadySignal;
};

export type GuardianContext = {
  readonly p: CreateGuardianParameters;
  readonly self: string;
  readonly clock: Clock;
  readonly s: GuardianState;
  emit(e: GuardianEvent): void;
  connectTo(room: WalletRoom, members: string[]): Promise<{ log: RequestLog; env: RunnerEnv }>;
  close(): Promise<void>;
  becomeReady(walletId: string, key: KeyPackage): WalletInfo;
  resetReady(): void;
  invitedFor(pub: PublicPackage | undefined): string[];
  showInvited(): void;
};

/** Nonces of sessions cut short by a reload can never be used (a run doesn't survive one): deleting them is always safe. */
export async function deleteUnusedNonces(store: ShareStore, walletId: string): Promise<void> {
  for (const name of await store.listRecords(`wallet/${walletId}/nonce/`)) await store.deleteRecord(name);
}
