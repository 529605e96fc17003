// What "readable" means in the browser suite: axe-core finds no serious or critical violation (WCAG 2.1
// A and AA), and nothing a technician must read in full (marked `.keep`: serials, versions, dates) is cut
// by an ellipsis or by a box that clips it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousAxeViolations(page: Page, include?: string): Promise<AxeFinding[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`) }));
}

/** The texts of `.keep` elements that are cut: by their own ellipsis, or by an ancestor that clips. */
export function clippedKeepTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.keep')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const text = el.textContent ?? '';
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        cut.push(`${text} (ellipsis: ${el.scrollWidth} > ${el.clientWidth})`);
        continue;
      }
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible') continue;
        const box = a.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1) {
          cut.push(`${text} (clipped by ${a.className || a.tagName})`);
          break;
        }
      }
    }
    return cut;
  });
}
