/* Cairn's service worker: the app shell offline, and an update prompt for new versions.
 *
 * - Every same-origin GET goes network-first; each good response is kept in the cache, and when
 *   the network fails the cached copy answers (navigations fall back to the cached app page). The
 *   wallet's data is not here: the log lives in y-indexeddb and the shares in IndexedDB.
 * - The page sends the URLs it loaded before this worker controlled it ("cache-urls"), so the
 *   first visit is enough to work offline — in the dev server and in a build alike.
 * - A new version installs beside the old one and waits; the page shows "A new version is ready"
 *   and sends "skip-waiting" when the person chooses to reload.
 * The build (sw/vitePlugin.ts) replaces the version and the precache list below.
 */
const VERSION = '__CAIRN_SW_VERSION__';
const PRECACHE = /* __CAIRN_PRECACHE__ */ ['/', '/icon.svg', '/manifest.webmanifest'];
const CACHE = `cairn-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(PRECACHE.map((url) => cache.add(new Request(url, { cache: 'reload' })).catch(() => undefined)));
      // The very first install takes over at once; later versions wait for the person's go.
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('cairn-shell-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg?.type === 'skip-waiting') void self.skipWaiting();
  if (msg?.type === 'cache-urls' && Array.isArray(msg.urls)) {
    event.waitUntil(
      (async () => {
        const cache = await caches.open(CACHE);
        for (const url of msg.urls) {
          if (typeof url !== 'string' || new URL(url, self.location.origin).origin !== self.location.origin) continue;
          if (await cache.match(url)) continue;
          try {
            const res = await fetch(url, { credentials: 'same-origin' });
            if (res.ok) await cache.put(url, res);
          } catch {
            // offline already: nothing to add
          }
        }
        event.source?.postMessage({ type: 'cached', count: msg.urls.length });
      })(),
    );
  }
  if (msg?.type === 'version') event.source?.postMessage({ type: 'version', version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(networkFirst(req));
});

async function networkFirst(req) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok && res.type === 'basic') await cache.put(req, res.clone());
    return res;
  } catch (err) {
    // ignoreVary: the dev server answers with "Vary: Origin", and module scripts send an Origin the
    // page's first-visit copies (fetched by this worker) didn't.
    const hit = (await cache.match(req, { ignoreVary: true })) ?? (req.mode === 'navigate' ? await appPage(cache) : undefined);
    if (hit) return hit;
    throw err;
  }
}

async function appPage(cache) {
  return (await cache.match('/')) ?? (await cache.match('/index.html'));
}
