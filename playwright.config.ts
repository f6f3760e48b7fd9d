import { defineConfig, devices } from '@playwright/test';

// End-to-end tests drive Debian's Chromium (Playwright cannot download its own browser here) against
// Concord started with the README's run command (`npm start`: build when needed, migrate, serve) on
// its own port with a throw-away data folder.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const DATA_DIR = 'test-results/e2e-data';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `rm -rf ${DATA_DIR} && node server/cli/start.mjs`,
    url: `${BASE_URL}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      CONCORD_DATA_DIR: DATA_DIR,
      PORT: String(PORT),
      NEXTAUTH_URL: BASE_URL,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      // The tests' REST peers (json-server) listen on 127.0.0.1.
      CONCORD_ALLOW_PRIVATE_URLS: '1',
    },
  },
});
