import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "@playwright/test";

/** Starts scripts/serve.ts on its own port, for tests that restart or reconfigure the server. */
export async function startServer(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...process.env, PORT: String(port), SEED_DEMO: "true", ...env },
    stdio: "ignore",
  });
  await expect.poll(async () => (await fetch(`http://localhost:${port}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return server;
}

export async function stopServer(server: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (server.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    server.once("exit", () => resolve());
    server.kill(signal);
  });
}
