import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

/** Progress is written before it is acknowledged: a killed server loses none of it. */
const PORT = 3233;
const BASE = `http://localhost:${PORT}`;

test("progress survives the server being killed and restarted", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-restart-"));
  const env = { NODE_ENV: "production", DATABASE_PATH: path.join(dir, "db.sqlite"), OUTBOX_DIR: path.join(dir, "outbox"), CONTENT_DIR: "tests/fixtures/content" };
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
    const course = page.getByTestId("dashboard-course").filter({ hasText: "Fixture Course for Tests" });
    await expect(course.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "20"); // 1 of 5 steps (3 lessons, 2 quizzes)
    await course.getByRole("link", { name: "Resume where you left off" }).click();
    await expect(page).toHaveURL(/\/courses\/fixture-course\/basics\/welcome$/);
    await expect(page.getByText("Lesson complete.")).toBeVisible();
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
