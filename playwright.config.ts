import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./e2e/chromium";

/**
 * Browser specs (one per user behaviour) against the production build (`next build --webpack` first), served by the
 * real start command on a throw-away data directory. Debian's chromium only: no downloaded browsers.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA_DIR = process.env.E2E_DATA_DIR ?? `/tmp/nacpredict-e2e-${process.pid}`;
/** Server-side cohort import root of the test server (issue 13); specs generate cohorts into it. Fixed per port. */
export const E2E_COHORT_ROOT = process.env.E2E_COHORT_ROOT ?? `/tmp/nacpredict-e2e-cohorts-${PORT}`;
// The test OpenID Connect provider (e2e/oidc-test-provider.ts) for the single sign-on specs, 1000 ports above the app.
const OIDC_PORT = PORT + 1000;
const OIDC_ENV = {
  NAC_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
  NAC_OIDC_CLIENT_ID: "nacpredict-test",
  NAC_OIDC_CLIENT_SECRET: "nacpredict-test-secret-not-for-production",
  NAC_OIDC_NAME: "Test hospital",
  NAC_OIDC_SCOPE: "openid profile groups",
  NAC_OIDC_ROLE_CLAIM: "groups",
  NAC_OIDC_ROLE_MAP: "nac-radiologist=radiologist,nac-admin=admin",
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: [
    {
      command: "npx tsx e2e/oidc-test-provider.ts",
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { OIDC_TEST_PORT: String(OIDC_PORT), OIDC_TEST_REDIRECT: `http://localhost:${PORT}/api/auth/callback/oidc` },
    },
    {
      // A fresh data directory: the start command seeds demo accounts, synthetic patients and the demo bundle;
      // e2e/global-setup.ts then imports a real breast DCE-MRI series through the import route.
      command: `rm -rf ${DATA_DIR} && npx tsx scripts/start.ts`,
      url: `http://localhost:${PORT}/api/health`,
      timeout: 600_000, // first start: migrations, encoders, demo patients
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(PORT),
        NAC_DATA_DIR: DATA_DIR,
        NEXTAUTH_URL: `http://localhost:${PORT}`,
        NEXT_TELEMETRY_DISABLED: "1",
        ...OIDC_ENV,
        NAC_COHORT_IMPORT_ROOT: E2E_COHORT_ROOT,
      },
    },
  ],
});
