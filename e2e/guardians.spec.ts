// Three guardians on three separate Chromium contexts (own IndexedDB, own virtual passkey with PRF),
// real y-webrtc through the real signaling server: invite → join → DKG → FROST signature (verified
// here with noble), shares only as ciphertext in raw IndexedDB, reload → passkey unlock → sign
// again, and nothing secret in the signaling traffic. (The passphrase fallback is covered by
// device-net.spec.ts.)
import { test, expect, type WebSocket } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { secp256k1_FROST } from '@noble/curves/secp256k1.js';
import { collectPageErrors } from './helpers/pageErrors.ts';
import { createWalletAcross, openGuardianPage, reloadGuardianPage, signAcross, type GuardianPage } from './harness/guardian.driver.ts';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

/** Every value of every IndexedDB database of the page's origin, read raw, as hex. */
function rawIndexedDb(g: GuardianPage): Promise<{ db: string; store: string; hex: string }[]> {
  return g.page.evaluate(async () => {
    const toHex = (v: unknown): string => {
      if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
      if (v instanceof ArrayBuffer) return toHex(new Uint8Array(v));
      if (Array.isArray(v)) return v.map(toHex).join('');
      if (v && typeof v === 'object') return Object.values(v).map(toHex).join('');
      return Array.from(new TextEncoder().encode(String(v)), (b) => b.toString(16).padStart(2, '0')).join('');
    };
    const out: { db: string; store: string; hex: string }[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((res, rej) => {
          const r = db.transaction(name, 'readonly').objectStore(name).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const v of values) out.push({ db: info.name!, store: name, hex: toHex(v) });
      }
      db.close();
    }
    return out;
  });
}

/** Forms a secret may take in a text or binary frame. */
function encodings(h: string): string[] {
  const b = Buffer.from(h, 'hex');
  return [h, b.toString('base64'), b.toString('base64url'), b.toString('latin1')];
}

test('three guardians: invite → join → DKG → FROST over WebRTC; sealed storage; reload, unlock, sign again', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const guardians = [await openGuardianPage(browser, baseURL!), await openGuardianPage(browser, baseURL!), await openGuardianPage(browser, baseURL!)];
  const [g1, g2, g3] = guardians as [GuardianPage, GuardianPage, GuardianPage];
  // y-webrtc may send on a signaling socket that a reload is closing: harmless, allowed.
  const errors = guardians.map((g) => collectPageErrors(g.page, [/WebSocket is already in CLOSING or CLOSED state/]));
  const frames: string[] = [];
  const capture = (ws: WebSocket) => {
    if (ws.url().includes(new URL(baseURL!).host)) return; // the app server's own socket, not signaling
    const push = (f: { payload: string | Buffer }) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'));
    ws.on('framesent', push);
    ws.on('framereceived', push);
  };
  for (const g of guardians) g.page.on('websocket', capture);
  const t0 = Date.now();
  const step = (what: string) => console.log(`[guardians] ${what} at ${Date.now() - t0} ms`);

  for (const g of guardians) expect(await g.call('setUp')).toMatchObject({ method: 'passkey-prf' });
  step('set up');
  const wallet = await createWalletAcross(guardians, 2);
  step('wallet created');
  if (process.env.CAIRN_TIMELINE) for (const g of guardians) console.log((await g.call<string[]>('timeline')).join('\n'), '\n--');
  for (const g of guardians) expect(await g.call<number>('webrtcConnCount')).toBeGreaterThan(0);
  expect(await g2.call<string[]>('progress')).toEqual(expect.arrayContaining(['dkg round 1 of 3', 'dkg round 2 of 3', 'dkg round 3 of 3']));

  const secretMessage = `cairn e2e request ${randomBytes(12).toString('hex')}`;
  const first = await signAcross(g1, [g3], secretMessage);
  const groupKey = hex(wallet.groupKey);
  expect(secp256k1_FROST.verify(hex(first.signature), hex(first.digest), groupKey)).toBe(true);
  expect(await g3.call<string[]>('progress')).toEqual(expect.arrayContaining(['2 of 2 approvals', 'frost-sign round 2 of 2']));

  step('signed');
  // Raw IndexedDB of every device: the share and the nonces it wrote appear nowhere in plaintext.
  for (const g of guardians) {
    const { share, nonces } = await g.call<{ share: string; nonces: string[] }>('exportShareForTest', wallet.walletId);
    const raw = await rawIndexedDb(g);
    expect(raw.some((r) => r.store === 'records')).toBe(true);
    // A stored nonce record: version ‖ session (32) ‖ identifier (32) ‖ hiding (32) ‖ binding (32) ‖ [public commitment].
    const secrets = [share, ...nonces.flatMap((n) => [n.slice(130, 194), n.slice(194, 258)])];
    const disk = raw.map((r) => r.hex).join(' ');
    const wire = frames.join(' ');
    for (const s of secrets) {
      expect(disk.includes(s)).toBe(false);
      expect(encodings(s).filter((e) => wire.includes(e))).toEqual([]);
    }
  }
  expect((await g1.call<{ nonces: string[] }>('exportShareForTest', wallet.walletId)).nonces).toHaveLength(1);

  step('storage checked');
  // Reload two devices: unlock with the passkey, reopen the wallet, sign again.
  for (const g of [g1, g2]) {
    await reloadGuardianPage(g);
    expect(await g.call('unlock')).toMatchObject({ method: 'passkey-prf', lastWallet: wallet.walletId });
    expect(await g.call('open', wallet.walletId)).toEqual({ walletId: wallet.walletId, groupKey: wallet.groupKey });
  }
  const second = await signAcross(g2, [g1], `${secretMessage} again`);
  expect(secp256k1_FROST.verify(hex(second.signature), hex(second.digest), groupKey)).toBe(true);
  await expect.poll(() => g2.call<number>('webrtcConnCount')).toBeGreaterThan(0);
  step('signed after reload');

  // The signaling server saw traffic, but no share, nonce or request plaintext.
  expect(frames.length).toBeGreaterThan(0);
  const wire = frames.join(' ');
  const messageHex = Buffer.from(secretMessage).toString('hex');
  expect([secretMessage, ...encodings(messageHex)].filter((e) => wire.includes(e))).toEqual([]);
  for (const g of guardians) {
    const { share, nonces } = await g.call<{ share: string; nonces: string[] }>('exportShareForTest', wallet.walletId);
    for (const s of [share, ...nonces.flatMap((n) => [n.slice(-128, -64), n.slice(-64)])]) expect(encodings(s).filter((e) => wire.includes(e))).toEqual([]);
  }
  for (const e of errors) expect(e.unexpected()).toEqual([]);
  test
    .info()
    .annotations.push({ type: 'timing', description: `dkgMs=${wallet.dkgMs.toFixed(0)} signMs=${first.signMs.toFixed(0)}/${second.signMs.toFixed(0)}` });
  console.log(
    `[guardians] dkgMs=${wallet.dkgMs.toFixed(0)} joinToReadyMs=${wallet.joinToReadyMs.toFixed(0)} signMs=${first.signMs.toFixed(0)} signAfterReloadMs=${second.signMs.toFixed(0)}`,
  );
  for (const g of guardians) await g.context.close();
});
