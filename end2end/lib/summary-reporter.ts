// Prints one plain closing line, "e2e: N passed, N failed, N skipped", which CI logs can be read by
// (Playwright's own summary is indented and split over several lines).
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };

  onTestEnd(test: TestCase, _result: TestResult) {
    // Called once per attempt; only the final outcome counts (retries are 0 in CI anyway).
    if (test.results.length <= test.retries && test.outcome() === 'unexpected') return;
    const outcome = test.outcome();
    if (outcome === 'skipped') this.counts.skipped++;
    else if (outcome === 'unexpected') this.counts.failed++;
    else this.counts.passed++;
  }

  onEnd() {
    const { passed, failed, skipped } = this.counts;
    console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }

  printsToStdio() {
    return false; // let the list reporter keep the terminal
  }
}
