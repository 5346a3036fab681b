import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { serverFiles, signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

/** Progress is written before it is acknowledged: a killed server loses none of it. */
const PORT = 3233;
const BASE = `http://localhost:${PORT}`;

test("progress survives the server being killed and restarted", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-restart-"));
  const env = { NODE_ENV: "production", ...serverFiles(dir), CONTENT_DIR: "tests/fixtures/content" };
  let server = await startServer(PORT, env);
  try {
    await signInAt(page, BASE, DEMO.learner.email, DEMO.learner.password);
    await page.goto(`${BASE}/courses/fixture-course/basics/welcome`);
    await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
    await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
    await page.getByRole("button", { name: "Mark lesson complete" }).click();
    await expect(page.getByText("Lesson complete.")).toBeVisible();

    await stopServer(server, "SIGKILL");
    server = await startServer(PORT, env);

    await page.goto(`${BASE}/dashboard`);
    const course = page.getByTestId("dashboard-course").filter({ hasText: /^\s*Fixture Course for Tests/ });
    await expect(course.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "20"); // 1 of 5 steps (3 lessons, 2 quizzes)
    await course.getByRole("link", { name: "Resume where you left off" }).click();
    await expect(page).toHaveURL(/\/courses\/fixture-course\/basics\/welcome$/);
    await expect(page.getByText("Lesson complete.")).toBeVisible();
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("with WEB_CONCURRENCY=2 two workers serve, a dead worker is replaced, and none outlives the primary", async () => {
  test.setTimeout(120_000);
  const port = 3236;
  const base = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-workers-"));
  const env = { NODE_ENV: "production", WEB_CONCURRENCY: "2", ...serverFiles(dir), CONTENT_DIR: "tests/fixtures/content" };
  const primary = await startServer(port, env);
  // The primary's children that run the server (tsx may also have an esbuild helper there).
  const workers = () =>
    execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(primary.pid)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("server/index.ts"))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    await expect.poll(() => workers().length).toBe(2);
    const login = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: DEMO.learner.email, password: DEMO.learner.password }),
      redirect: "manual",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const lesson = async () => (await fetch(`${base}/courses/fixture-course/basics/welcome`, { headers: { cookie } })).status;
    for (let i = 0; i < 6; i++) expect(await lesson()).toBe(200);
    // Only one key was made, by the primary, before the workers started.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("key"))).toEqual(["key.json"]);

    const [first] = workers();
    process.kill(first!, "SIGKILL");
    await expect.poll(() => workers().filter((pid) => pid !== first).length).toBe(2);
    // This client's pooled connection may have been to the killed worker: the first
    // request can meet its closed socket. After that, every request is answered.
    await expect.poll(() => lesson().catch(() => 0)).toBe(200);
    for (let i = 0; i < 6; i++) expect(await lesson()).toBe(200);

    const last = workers();
    await stopServer(primary, "SIGKILL");
    await expect.poll(() => last.filter(alive).length).toBe(0);
    await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0).toBe(0);
  } finally {
    await stopServer(primary);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a taken port stops start-up with a clear message instead of restarting workers for ever", async () => {
  test.setTimeout(60_000);
  const port = 3237;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-port-"));
  const blocker = net.createServer().listen(port);
  await once(blocker, "listening");
  try {
    for (const workers of ["1", "2"]) {
      const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
        env: { ...process.env, NODE_ENV: "production", PORT: String(port), WEB_CONCURRENCY: workers, SEED_DEMO: "false", ...serverFiles(dir), CONTENT_DIR: "tests/fixtures/content" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} is already in use`);
    }
  } finally {
    blocker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
