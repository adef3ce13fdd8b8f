// Node-side driver for the guardian harness page: shared by e2e/guardians.spec.ts and the e2e
// benchmark, so both run exactly the same flow (separate browser contexts = separate devices,
// one virtual passkey with PRF each).
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { addVirtualAuthenticator } from '../helpers/webauthn.ts';

export const GUARDIAN_HARNESS = '/e2e/harness/guardian.html';

type Api = {
  setUp(passphrase?: string): Promise<unknown>;
  unlock(passphrase?: string): Promise<unknown>;
  createWallet(t: number, n: number): Promise<unknown>;
  join(link: string): Promise<unknown>;
  whenReady(): Promise<unknown>;
  open(walletId: string): Promise<unknown>;
  requestSignature(message: string): Promise<unknown>;
  waitForRequest(requestId: string): Promise<unknown>;
  approve(requestId: string): Promise<unknown>;
  signature(requestId: string): Promise<unknown>;
  webrtcConnCount(): number;
  publicKey(): string;
  reshare(holders: string[], t: number): Promise<unknown>;
  approveKeyChanges(): Promise<unknown>;
  logEntryIds(): string[];
  left(): boolean;
  roomName(): string;
  inviteRoomName(link: string): Promise<unknown>;
  candidatePairs(): Promise<Record<string, { local: string; remote: string; state: string } | undefined>>;
  progress(): string[];
  timeline(): string[];
  exportShareForTest(walletId: string): Promise<unknown>;
  close(): Promise<unknown>;
};
declare global {
  interface Window {
    guardian: Api;
  }
}

export type GuardianPage = { context: BrowserContext; page: Page; call<T>(name: keyof Api, ...args: unknown[]): Promise<T> };

/** Calls `window.guardian[name](...args)`; a returned `{error}` becomes a thrown Error. */
async function callApi<T>(page: Page, name: keyof Api, args: unknown[]): Promise<T> {
  const out = await page.evaluate(([n, a]) => (window.guardian[n as keyof Api] as (...x: unknown[]) => unknown)(...(a as unknown[])), [name, args] as const);
  if (out && typeof out === 'object' && 'error' in out) throw new Error(`${name}: ${JSON.stringify((out as { error: unknown }).error)}`);
  return out as T;
}

/**
 * `ice`, `signaling`: the STUN/TURN servers and signaling URLs this guardian creates its wallet with
 * (as typed in Settings; default: the build's); joiners get them from the invite.
 */
export async function openGuardianPage(browser: Browser, baseURL: string, opts: { ice?: unknown; signaling?: string[] } = {}): Promise<GuardianPage> {
  const context = await browser.newContext({ baseURL, permissions: ['camera', 'microphone'] });
  // Other engineers edit this checkout while tests run: Vite's HMR would reload the page
  // mid-protocol. The harness needs no HMR, so its socket is answered here and stays silent.
  const appHost = new URL(baseURL).host;
  await context.routeWebSocket(
    (url) => url.host === appHost,
    () => undefined,
  );
  const page = await context.newPage();
  const query = new URLSearchParams();
  if (opts.ice) query.set('ice', JSON.stringify(opts.ice));
  if (opts.signaling) query.set('signaling', opts.signaling.join(','));
  await page.goto(`${GUARDIAN_HARNESS}${query.size ? `?${query}` : ''}`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  await addVirtualAuthenticator(page, { prf: true });
  return { context, page, call: (name, ...args) => callApi(page, name, args) };
}

export async function reloadGuardianPage(g: GuardianPage): Promise<void> {
  await g.page.reload();
  await g.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

export type WalletSetup = { walletId: string; groupKey: string; links: string[]; dkgMs: number; joinToReadyMs: number };

/**
 * Creator + joiners → DKG. `dkgMs`: from the first guardian starting the DKG (all n joined) to the
 * last one holding its confirmed share. `joinToReadyMs` also counts the last joiner's connecting
 * (WebRTC set-up to the others, sync) and its join reaching everyone.
 */
export async function createWalletAcross(guardians: GuardianPage[], threshold: number): Promise<WalletSetup> {
  const [creator, ...others] = guardians;
  const { walletId, links } = await creator!.call<{ walletId: string; links: string[] }>('createWallet', threshold, guardians.length);
  let lastJoin = 0;
  for (const [i, g] of others.entries()) {
    lastJoin = await g.page.evaluate(() => performance.timeOrigin + performance.now());
    await g.call('join', links[i]);
  }
  const ready = await Promise.all(guardians.map((g) => g.call<{ walletId: string; groupKey: string; readyAt: number; dkgStartAt: number }>('whenReady')));
  const keys = new Set(ready.map((r) => r.groupKey));
  if (keys.size !== 1) throw new Error('guardians disagree on the group key');
  const lastReady = Math.max(...ready.map((r) => r.readyAt));
  return { walletId, groupKey: ready[0]!.groupKey, links, dkgMs: lastReady - Math.min(...ready.map((r) => r.dkgStartAt)), joinToReadyMs: lastReady - lastJoin };
}

export type SignOutcome = { requestId: string; signature: string; digest: string; signers: string[]; signMs: number };

/** `requester` asks, each of `approvers` approves; `signMs`: last approval → aggregated signature at the requester. */
export async function signAcross(requester: GuardianPage, approvers: GuardianPage[], message: string): Promise<SignOutcome> {
  const requestId = await requester.call<string>('requestSignature', message);
  let lastApproval = 0;
  for (const g of approvers) {
    await g.call('waitForRequest', requestId);
    lastApproval = (await g.call<{ approvedAt: number }>('approve', requestId)).approvedAt;
  }
  const res = await requester.call<{ signature: string; digest: string; signers: string[]; at: number }>('signature', requestId);
  return { requestId, signature: res.signature, digest: res.digest, signers: res.signers, signMs: res.at - lastApproval };
}
