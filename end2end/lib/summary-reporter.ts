// Prints one plain closing line, "e2e: N passed, N failed, N skipped", which CI logs can be read by
// (Playwright's own summary is indented and split over several lines). It also writes the failed
// tests, each with the first lines of its error, to test-results/failures.txt: with-server.sh prints
// that file again after the server log, so the end of a CI log (often all that is kept) names them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FullConfig, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** How many lines of each failure's message are kept: enough for the assertion and its values. */
const ERROR_LINES = 12;

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };
  private failures: string[] = [];
  private outputDir = 'test-results';

  onBegin(config: FullConfig) {
    this.outputDir = config.projects[0]?.outputDir ?? this.outputDir;
  }

  onTestEnd(test: TestCase, result: TestResult) {
    // Called once per attempt; only the final outcome counts (retries are 0 in CI anyway).
    if (test.results.length <= test.retries && test.outcome() === 'unexpected') return;
    const outcome = test.outcome();
    if (outcome === 'skipped') this.counts.skipped++;
    else if (outcome === 'unexpected') {
      this.counts.failed++;
      const where = `${path.basename(test.location.file)}:${test.location.line}`;
      const error = (result.error?.message ?? result.status).split('\n').slice(0, ERROR_LINES);
      // Colour codes make a log file hard to read.
      const plain = error.map((l) => '    ' + l.replace(/\u001b\[[0-9;]*m/g, ''));
      this.failures.push(`✘ ${test.titlePath().slice(1).join(' › ')} (${where})\n${plain.join('\n')}`);
    } else this.counts.passed++;
  }

  onEnd() {
    const { passed, failed, skipped } = this.counts;
    const line = `e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`;
    console.log(line);
    if (this.failures.length === 0) return;
    try {
      fs.mkdirSync(this.outputDir, { recursive: true });
      fs.writeFileSync(path.join(this.outputDir, 'failures.txt'), `${this.failures.join('\n')}\n${line}\n`);
    } catch (e) {
      console.log(`could not write failures.txt: ${e}`);
    }
  }

  printsToStdio() {
    return false; // let the list reporter keep the terminal
  }
}
