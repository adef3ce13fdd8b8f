import type { Page } from '@playwright/test';

/**
 * Known, harmless library errors every test accepts. y-webrtc 10.3 (src/y-webrtc.js, signaling
 * handler) sets `glareToken` on the connection an incoming *answer* belongs to without checking
 * that it still exists: when that connection closed meanwhile (a peer reloading), the handler
 * throws and the stale answer is dropped — which is the right outcome for it.
 */
const KNOWN_LIBRARY_ERRORS = [/^TypeError: Cannot set properties of undefined \(setting 'glareToken'\)$/];

/**
 * Collects a page's uncaught errors so a test can fail on them. `allowForTest` lists the only other
 * errors a test accepts (e.g. y-webrtc's `OperationError` when an outsider with a wrong room password
 * talks to legitimate peers — y-webrtc's decrypt throws on their pages); `allowed()` returns those that occurred.
 */
export function collectPageErrors(page: Page, allowForTest: RegExp[] = []): { unexpected(): string[]; allowed(): string[] } {
  const allow = [...KNOWN_LIBRARY_ERRORS, ...allowForTest];
  const all: string[] = [];
  page.on('pageerror', (e) => all.push(`${e.name}: ${e.message}`));
  return {
    unexpected: () => all.filter((m) => !allow.some((re) => re.test(m))),
    allowed: () => all.filter((m) => allowForTest.some((re) => re.test(m))),
  };
}
