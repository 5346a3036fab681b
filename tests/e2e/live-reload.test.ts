import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { serverFiles, signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

/**
 * Authoring in `npm run dev`: saving a lesson updates the open page, and a
 * broken lesson shows its error in the page instead of crashing.
 * Runs its own development server on a copy of the fixture course.
 */
const PORT = 3232;
const BASE = `http://localhost:${PORT}`;
let server: ChildProcess;
let dir: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-live-"));
  fs.cpSync("tests/fixtures/content", path.join(dir, "content"), { recursive: true });
  server = await startServer(PORT, { NODE_ENV: "development", ...serverFiles(dir), CONTENT_DIR: path.join(dir, "content") });
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("saving a lesson in development updates the open page", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAt(page, BASE, DEMO.learner.email, DEMO.learner.password);

  await page.goto(`${BASE}/courses/fixture-course/basics/second-lesson`);
  await expect(page.locator("html[data-hydrated='true']")).toBeAttached({ timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "The second idea" })).toBeVisible();

  const file = path.join(dir, "content/courses/fixture-course/01.basics/02.second-lesson.mdx");
  const original = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, original.replace("## The second idea", "## The revised second idea"));
  await expect(page.getByRole("heading", { name: "The revised second idea" })).toBeVisible();

  fs.writeFileSync(file, `${original}\nFewer than <5% of clients.\n`);
  const error = page.getByRole("alert");
  await expect(error).toContainText("This lesson has content errors");
  await expect(error).toContainText("02.second-lesson.mdx:16:13: MDX syntax: Unexpected character `5`");

  fs.writeFileSync(file, original);
  await expect(page.getByRole("heading", { name: "The second idea" })).toBeVisible();
});
