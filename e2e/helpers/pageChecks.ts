/**
 * What every page of the app must satisfy, checked on the page as it is now (issue 16):
 * - axe-core finds no serious or critical violation, at 390 px and at 1280 px;
 * - the text a person sees (outside `<details>` disclosures) names no protocol (`test/helpers/jargon.ts`);
 * - every form field's accessible name is its visible label.
 * Each returns the problems found, named, so one failing run lists them all.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { JARGON } from '../../test/helpers/jargon.ts';

export const WIDTHS = [390, 1280] as const;

/** Serious or critical axe violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  expect(passes.length).toBeGreaterThan(0); // axe really looked at the page
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Full-page screenshots at 1280 and 390 px (`<name>-wide.png`, `<name>-phone.png`, to look at); with
 * `axe`, no serious or critical violation at either width. Leaves the page at 1280 px.
 */
export async function screenshotBothWidths(page: Page, path: (file: string) => string, name: string, { axe = false } = {}): Promise<void> {
  for (const [width, label] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path(`${name}-${label}.png`), fullPage: true });
    if (axe) expect((await seriousViolations(page)).map((v) => `${name} @${width}: ${v}`)).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Visible text outside `<details>`, one string per text node. */
function visibleText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      const text = n.textContent?.trim();
      if (!parent || !text || parent.closest('details, script, style') || !parent.checkVisibility()) continue;
      out.push(text);
    }
    return out;
  });
}

/**
 * Form fields whose accessible name differs from their visible label (or that have none), as
 * "name ≠ label". The name follows the ARIA order: aria-labelledby, aria-label, then the <label>.
 */
function misnamedFields(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    const textWithoutControls = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      for (const c of copy.querySelectorAll('input, select, textarea, button')) c.remove();
      return squash(copy.textContent ?? '');
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if ((el instanceof HTMLInputElement && el.type === 'hidden') || !el.checkVisibility()) continue;
      const labelledBy = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id));
      const visible = labelledBy.length
        ? squash(labelledBy.map((e) => e?.textContent ?? '').join(' '))
        : squash([...(el.labels ?? [])].map(textWithoutControls).join(' '));
      const ariaLabel = el.getAttribute('aria-label');
      const name = labelledBy.length ? visible : ariaLabel !== null ? squash(ariaLabel) : visible;
      if (!visible || name !== visible) out.push(`${el.tagName.toLowerCase()} "${name}" ≠ label "${visible}"`);
    }
    return out;
  });
}

/** Every check at both widths; `where` names the page in the problems. */
export async function pageProblems(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const v of await seriousViolations(page)) found.push(`${where} @${width}px axe — ${v}`);
  }
  for (const t of await visibleText(page)) if (JARGON.test(t)) found.push(`${where} jargon — "${t.slice(0, 100)}"`);
  for (const f of await misnamedFields(page)) found.push(`${where} label — ${f}`);
  return found;
}
