import fs from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DIR = `./data/e2e-${PORT}`;

/**
 * Playwright's own Chromium when it is installed; otherwise the system's
 * (browser downloads are not possible on every machine). The flags keep a
 * headless system Chromium quiet on a closed network.
 */
function browserUse() {
  const forced = process.env.PW_CHROMIUM_PATH;
  let bundled = false;
  try {
    bundled = fs.existsSync(chromium.executablePath());
  } catch {
    bundled = false;
  }
  if (!forced && bundled) return { channel: "chromium" };
  const exe = forced ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
  if (!exe) return {};
  return {
    launchOptions: {
      executablePath: exe,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  };
}

export default defineConfig({
  testDir: "./tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: process.env.PLAYWRIGHT_JSON
    ? [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], ...browserUse() } }],
  webServer: {
    // A fresh database and outbox for every run, on the production build.
    command: `node -e "require('fs').rmSync('${E2E_DIR}',{recursive:true,force:true})" && node --import tsx server/index.ts`,
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_PATH: `${E2E_DIR}/kap-e2e.db`,
      OUTBOX_DIR: `${E2E_DIR}/outbox`,
      PUBLIC_URL: `http://localhost:${PORT}`,
      SEED_DEMO: "true",
      // The fixture course, so end-to-end tests do not depend on the real course text.
      CONTENT_DIR: "tests/fixtures/content",
      SIGNING_KEY_PATH: `${E2E_DIR}/signing-key.json`,
      // Heartbeats every second, so the fixture lesson with a minimum time passes in seconds.
      HEARTBEAT_SECONDS: "1",
      // Lets tests stand for different clients, as behind one proxy: the client is
      // the last X-Forwarded-For entry.
      TRUST_PROXY: "1",
    },
  },
});
