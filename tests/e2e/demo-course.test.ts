import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { parse } from "yaml";
import { serverFiles, signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

/**
 * The real demo course, end to end, as the demo learner: every lesson of every
 * module, every quiz (answered from the course's own keys, as an examiner would),
 * the evaluation and the attestation, then the certificate.
 */
const PORT = 3234;
const BASE = `http://localhost:${PORT}`;
const COURSE_DIR = "content/courses/kap-foundations";

type Question = { id: string; type: string; prompt: string; answer: string | string[] | boolean; options?: Array<{ id: string; text: string }> };

async function answerAll(page: Page, questions: Question[]) {
  const sets = page.locator("fieldset.quiz-question");
  await expect(sets.first()).toBeVisible();
  for (let i = 0; i < (await sets.count()); i++) {
    const set = sets.nth(i);
    const legend = (await set.locator("legend").innerText()).replace(/^\d+\.\s*/, "").replace(/\s*\(choose all that apply\)$/, "").trim();
    const q = questions.find((x) => x.prompt.trim().replace(/\s+/g, " ") === legend.replace(/\s+/g, " "));
    if (!q) throw new Error(`question not found in the bank: ${legend}`);
    const labels = q.type === "true-false" ? [q.answer ? "True" : "False"] : [q.answer].flat().map((id) => q.options!.find((o) => o.id === id)!.text);
    for (const label of labels) await set.getByLabel(label.trim(), { exact: true }).check();
  }
}

/** Records each demo lesson's declared minutes as the learner's credited active time. */
function spendEstimatedTime(dbFile: string, email: string) {
  const db = new Database(dbFile);
  try {
    const { id } = db.prepare("select id from users where email = ?").get(email) as { id: string };
    const insert = db.prepare(
      `insert into lesson_progress (id, user_id, course_id, lesson_key, first_seen_at, last_seen_at, active_seconds) values (?, ?, 'kap-foundations', ?, ?, ?, ?)
       on conflict (user_id, course_id, lesson_key) do update set active_seconds = excluded.active_seconds`,
    );
    const at = Date.now() - 3 * 86_400_000;
    for (const mod of fs.readdirSync(COURSE_DIR).filter((d) => /^\d+\./.test(d))) {
      for (const file of fs.readdirSync(path.join(COURSE_DIR, mod)).filter((f) => f.endsWith(".mdx"))) {
        const minutes = Number(/^minutes:\s*(\d+)/m.exec(fs.readFileSync(path.join(COURSE_DIR, mod, file), "utf8"))![1]);
        const key = `${mod.replace(/^\d+\./, "")}/${file.replace(/^\d+\./, "").replace(/\.mdx$/, "")}`;
        insert.run(randomUUID(), id, key, at, at, minutes * 60);
      }
    }
  } finally {
    db.close();
  }
}

test("the demo learner completes the whole demo course", async ({ page }) => {
  test.setTimeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-demo-"));
  const server = await startServer(PORT, { NODE_ENV: "production", ...serverFiles(dir), CONTENT_DIR: "content" });
  try {
    await signInAt(page, BASE, DEMO.learner.email, DEMO.learner.password);
    // Reading the course takes hours; here the learner has already spent each lesson's estimated
    // minutes on it (the server's time-on-task record, arranged in its database). The wait itself
    // is tested on the fixture course (learning.test.ts).
    spendEstimatedTime(serverFiles(dir).DATABASE_PATH, DEMO.learner.email);

    const modules = fs.readdirSync(COURSE_DIR).filter((d) => /^\d+\./.test(d)).sort();
    expect(modules.length).toBeGreaterThanOrEqual(9);
    for (const mod of modules) {
      const slug = mod.replace(/^\d+\./, "");
      const lessons = fs.readdirSync(path.join(COURSE_DIR, mod)).filter((f) => f.endsWith(".mdx")).sort();
      expect(lessons.length).toBeGreaterThanOrEqual(3);
      for (const file of lessons) {
        await page.goto(`${BASE}/courses/kap-foundations/${slug}/${file.replace(/^\d+\./, "").replace(/\.mdx$/, "")}`);
        await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
        const button = page.getByRole("button", { name: "Mark lesson complete" });
        await button.scrollIntoViewIfNeeded();
        await button.click();
        await expect(page.getByText("Lesson complete.")).toBeVisible();
      }
      const bank = parse(fs.readFileSync(path.join(COURSE_DIR, mod, "quiz.yaml"), "utf8")) as { questions: Question[] };
      await page.goto(`${BASE}/courses/kap-foundations/${slug}/quiz`);
      await page.getByRole("button", { name: "Start the quiz" }).click();
      await answerAll(page, bank.questions);
      await page.getByRole("button", { name: "Submit answers" }).click();
      await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
    }

    await page.goto(`${BASE}/courses/kap-foundations/evaluation`);
    await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
    for (const group of await page.locator("fieldset.field").all()) await group.getByRole("radio").nth(3).check();
    await page.getByRole("button", { name: "Submit evaluation" }).click();
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Sign and complete the course" }).click();
    await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
    await expect(page.getByText(/earned\s+7.75 CE hours/)).toBeVisible();
    await page.getByRole("link", { name: "View your certificate" }).click();
    await expect(page.getByText("Jordan Rivera", { exact: true }).last()).toBeVisible();
    await expect(page.getByText("LMFT LMFT104552 (CA); LPC LPC80213 (TX)")).toBeVisible();
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
