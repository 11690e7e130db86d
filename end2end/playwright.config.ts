import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';

// The server is started by run.sh (inside its own network namespace), so there is no webServer block.
export default defineConfig({
  testDir: 'tests',
  workers: 1, // 2 cores; each call test already runs several Chromium processes
  fullyParallel: false,
  timeout: 90_000,
  retries: 0,
  reporter: [
    ['list'],
    ['./lib/summary-reporter.ts'], // plain "e2e: N passed, N failed, N skipped" closing line
    ...(process.env.CI ? [] : [['html', { open: 'never' }] as const]),
  ],
  use: {
    baseURL: process.env.CLASSROOM_URL || 'http://127.0.0.1:3000',
    browserName: 'chromium',
    locale: 'en-US',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'hydrated',
      testMatch: /.*\.spec\.ts$/,
      testIgnore: /.*\.nojs\.spec\.ts$/,
      use: { javaScriptEnabled: true },
    },
    {
      name: 'nojs',
      testMatch: /.*\.nojs\.spec\.ts$/,
      use: { javaScriptEnabled: false },
    },
  ],
});
