import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** The files a server of its own keeps in `dir`: database, outbox, signing key. */
export function serverFiles(dir: string) {
  return { DATABASE_PATH: path.join(dir, "db.sqlite"), OUTBOX_DIR: path.join(dir, "outbox"), SIGNING_KEY_PATH: path.join(dir, "key.json") };
}

/** Starts server/index.ts on its own port, for tests that restart or reconfigure the server. */
export async function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), SEED_DEMO: "true", HEARTBEAT_SECONDS: "1", ...env },
    stdio: "ignore",
  });
  await expect.poll(async () => (await fetch(`http://localhost:${port}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return server;
}

export async function stopServer(server: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    server.once("exit", () => resolve());
    server.kill(signal);
  });
}

/** Signs in on a server started here (absolute URLs; the config's baseURL is another server). */
export async function signInAt(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await expect(page.locator("html[data-hydrated='true']")).toBeAttached({ timeout: 60_000 });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard/);
}
