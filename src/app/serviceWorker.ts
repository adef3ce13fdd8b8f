/**
 * Registers the service worker (sw/sw.js), hands it the URLs this page loaded so the first visit
 * already works offline, and announces a waiting new version (`cairn:update-ready`).
 */
export const UPDATE_READY_EVENT = 'cairn:update-ready';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  // The dev server loads hundreds of modules; the default buffer keeps only 250 of their URLs.
  performance.setResourceTimingBufferSize?.(10_000);
  void navigator.serviceWorker.register('/sw.js').then(
    (reg) => {
      const announce = () => {
        if (reg.waiting && navigator.serviceWorker.controller) window.dispatchEvent(new CustomEvent(UPDATE_READY_EVENT));
      };
      announce();
      reg.addEventListener('updatefound', () => {
        reg.installing?.addEventListener('statechange', announce);
      });
      void navigator.serviceWorker.ready.then((ready) => {
        const urls = [location.origin + '/', ...performance.getEntriesByType('resource').map((e) => e.name)].filter((u) => u.startsWith(location.origin));
        ready.active?.postMessage({ type: 'cache-urls', urls });
        // Lazy chunks loaded later pass through the worker and are cached by it.
      });
    },
    () => undefined,
  );
}

/** Activates the waiting version and reloads once it controls the page. */
export function applyUpdate(): void {
  void navigator.serviceWorker.getRegistration().then((reg) => {
    if (!reg?.waiting) return location.reload();
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    reg.waiting.postMessage({ type: 'skip-waiting' });
  });
}
