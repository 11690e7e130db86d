// The Content-Security-Policy guard: the `test` (and `expect`) every spec uses, via helpers.ts.
import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test';

// ---------------------------------------------------------------------------------------------------
// Content-Security-Policy guard. Every spec imports `test` and `expect` from here (through helpers.ts),
// not from @playwright/test: this `test` watches every browser context a test opens (the `page`/`context`
// fixtures, `browser.newContext()`/`browser.newPage()`, and launchParticipant's own Chromium) and fails
// the test if any page reported a CSP violation. Two sources, so that no-JS pages are covered too:
//  - the `securitypolicyviolation` DOM event, sent to Node by an init script (JavaScript pages);
//  - Chromium's console error "Executing inline script / Applying inline style / Refused to frame …
//    violates the following Content Security Policy directive …", logged with or without JavaScript.
// A test that provokes a violation on purpose takes it out of the `cspViolations` fixture
// (security.spec.ts and security.nojs.spec.ts do, to prove the guard works).
// ---------------------------------------------------------------------------------------------------

/** Violations seen during the current test (workers run one test at a time). */
const cspViolations: string[] = [];
const watchedContexts = new WeakSet<BrowserContext>();
const CSP_CONSOLE = /Content[ -]Security[ -]Policy/i;

/** Runs in every page before its own scripts: forwards each CSP violation event to Node. */
function listenForCspViolations() {
  const report = (window as any).__reportCspViolation;
  if (typeof report !== 'function') return;
  document.addEventListener(
    'securitypolicyviolation',
    (e: SecurityPolicyViolationEvent) =>
      report({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : '',
        disposition: e.disposition,
      }),
    true,
  );
}

/** Starts recording CSP violations of every page in `context` (idempotent). */
export async function watchCsp(context: BrowserContext): Promise<void> {
  if (watchedContexts.has(context)) return;
  watchedContexts.add(context);
  context.on('console', (m) => {
    if (CSP_CONSOLE.test(m.text())) cspViolations.push(`console.${m.type()} on ${m.page()?.url() ?? '?'}: ${m.text()}`);
  });
  await context.exposeBinding('__reportCspViolation', ({ page }, v: Record<string, string>) => {
    cspViolations.push(
      `securitypolicyviolation on ${page.url()}: ${v.directive} blocked ${v.blocked || '(inline)'}` +
        `${v.sample ? ` "${v.sample}"` : ''}${v.source ? ` at ${v.source}` : ''} (${v.disposition})`,
    );
  });
  await context.addInitScript(listenForCspViolations);
}

/** Makes `browser.newContext()` (and so `browser.newPage()`, which uses it) watch what it creates. */
function watchContextsOf(browser: Browser) {
  if ((browser as any).__cspWatched) return;
  (browser as any).__cspWatched = true;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await watchCsp(context);
    return context;
  };
}

export const test = base.extend<{ cspViolations: string[]; cspGuard: void }>({
  context: async ({ context }, use) => {
    await watchCsp(context);
    await use(context);
  },
  /** What the guard has collected so far in this test; splice out the violations a test expects. */
  cspViolations: async ({}, use) => use(cspViolations),
  cspGuard: [
    async ({ browser }, use, testInfo) => {
      watchContextsOf(browser);
      cspViolations.length = 0;
      await use();
      const found = cspViolations.splice(0);
      if (found.length === 0) return;
      const text = found.map((v) => `- ${v}`).join('\n');
      await testInfo.attach('csp-violations.txt', { body: text, contentType: 'text/plain' });
      throw new Error(`${found.length} Content-Security-Policy violation(s):\n${text}`);
    },
    { auto: true },
  ],
});
export { expect };
