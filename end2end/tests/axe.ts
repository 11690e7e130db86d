// Running axe-core on a page and reporting it: serious or critical violations fail the test (softly),
// milder findings are attached. Used by a11y.spec.ts.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test } from './helpers';

// ESM-safe: the package is "type": "module", so there is no global `require`.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * Runs axe on the whole document. The source goes in through `evaluate` rather than a <script> tag:
 * that also works with JavaScript disabled (a tag would never execute) and under any CSP.
 */
async function axeViolations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n: any) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
}

function describe(findings: Finding[]): string {
  return findings
    .map((v) =>
      [
        `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}`,
        ...v.nodes.map(
          (n) =>
            `    • ${JSON.stringify(n.target)}\n      ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/** Soft: every state of a flow is checked even when an earlier one fails. */
export async function checkA11y(page: Page, state: string) {
  // Let CSS transitions end first: a button caught mid-fade (120 ms) has in-between colours.
  await page.evaluate(() =>
    Promise.all(
      document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {})),
    ),
  );
  const all = await axeViolations(page);
  const fatal = all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const mild = all.filter((v) => !fatal.includes(v));
  if (mild.length) {
    console.log(`${state}: minor/moderate axe findings (not fatal)\n${describe(mild)}`);
    await test.info().attach(`axe-minor-${state}.txt`, { body: describe(mild), contentType: 'text/plain' });
  }
  expect.soft(fatal, `${state}: ${fatal.length} serious/critical axe violation(s)\n${describe(fatal)}\n`).toEqual([]);
}
