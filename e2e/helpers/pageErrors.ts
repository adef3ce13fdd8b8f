import type { Page } from '@playwright/test';

/**
 * Collects a page's uncaught errors so a test can fail on them. `allow` lists the only errors a
 * test accepts (e.g. y-webrtc's `OperationError` when an outsider with a wrong room password
 * talks to legitimate peers — see TESTING.md).
 */
export function collectPageErrors(page: Page, allow: RegExp[] = []): { unexpected(): string[]; allowed(): string[] } {
  const all: string[] = [];
  page.on('pageerror', (e) => all.push(`${e.name}: ${e.message}`));
  return {
    unexpected: () => all.filter((m) => !allow.some((re) => re.test(m))),
    allowed: () => all.filter((m) => allow.some((re) => re.test(m))),
  };
}
