// Prints one plain closing line, "e2e: N passed, N failed, N skipped", which CI logs can be read by
// (Playwright's own summary is indented and split over several lines). It also writes the failed
// tests, each with the first lines of its error, to test-results/failures.txt: with-server.sh prints
// that file again after the server log, so the end of a CI log (often all that is kept) names them.
// A test that failed and then passed on a retry (only the multi-browser media specs allow one) is
// counted as passed but named, with its first failure, in test-results/flaky.txt, which
// with-server.sh prints after a green run too: a retry must not hide a failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FullConfig, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** How many lines of each failure's message are kept: enough for the assertion and its values. */
const ERROR_LINES = 24;

export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };
  private failures: string[] = [];
  private flaky: string[] = [];
  private outputDir = 'test-results';

  onBegin(config: FullConfig) {
    this.outputDir = config.projects[0]?.outputDir ?? this.outputDir;
  }

  onTestEnd(test: TestCase, result: TestResult) {
    // Called once per attempt; only the final outcome counts.
    if (test.results.length <= test.retries && test.outcome() === 'unexpected') return;
    const outcome = test.outcome();
    if (outcome === 'skipped') this.counts.skipped++;
    else if (outcome === 'unexpected') {
      this.counts.failed++;
      this.failures.push(describe('✘', test, result));
    } else {
      this.counts.passed++;
      const failed = test.results.find((r) => r.status !== 'passed' && r.status !== 'skipped');
      if (outcome === 'flaky' && failed) this.flaky.push(describe('↻ passed on a retry, after:', test, failed));
    }
  }

  onEnd() {
    const { passed, failed, skipped } = this.counts;
    const line = `e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`;
    console.log(this.flaky.length ? `${line} (${this.flaky.length} passed on a retry)` : line);
    this.write('failures.txt', this.failures, line);
    this.write('flaky.txt', this.flaky, line);
  }

  private write(file: string, entries: string[], line: string) {
    if (entries.length === 0) return;
    try {
      fs.mkdirSync(this.outputDir, { recursive: true });
      fs.writeFileSync(path.join(this.outputDir, file), `${entries.join('\n')}\n${line}\n`);
    } catch (e) {
      console.log(`could not write ${file}: ${e}`);
    }
  }

  printsToStdio() {
    return false; // let the list reporter keep the terminal
  }
}

/** A test and the first lines of `result`'s error, colour codes removed (they make a log hard to read). */
function describe(mark: string, test: TestCase, result: TestResult): string {
  const where = `${path.basename(test.location.file)}:${test.location.line}`;
  const error = (result.error?.message ?? result.status).split('\n').slice(0, ERROR_LINES);
  const plain = error.map((l) => '    ' + l.replace(/\u001b\[[0-9;]*m/g, ''));
  return `${mark} ${test.titlePath().slice(1).join(' › ')} (${where})\n${plain.join('\n')}`;
}
