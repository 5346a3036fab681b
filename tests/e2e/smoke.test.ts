/**
 * The smoke flow, tagged @smoke: the one path every release must keep working,
 * walked as a learner would, by links and buttons from the sign-in page to a
 * downloaded certificate. CI also runs it alone (`--grep @smoke`) on a second
 * Node version (.ci/run), so it stays short and needs nothing but the e2e server.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { answerQuiz, DEMO, E2E_DB, fixtureQuiz, signIn } from "./utils.ts";

/** On an open lesson page: mark it complete and wait until the page says so. */
async function markComplete(page: Page, title: string) {
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const button = page.getByRole("button", { name: "Mark lesson complete" });
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

/** On a module quiz page: start, answer correctly, submit, and see the pass. */
async function passQuiz(page: Page, module: string) {
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, fixtureQuiz(module));
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  await expect(page.getByText("100%", { exact: true })).toBeVisible();
}

test("@smoke sign in, read a lesson, pass the quizzes, finish the course and download the certificate", async ({ page }) => {
  test.setTimeout(120_000);
  const learner = DEMO.learner;

  // The only goto: the sign-in page (signIn waits for the dashboard).
  await signIn(page, learner.email, learner.password);
  await expect(page.getByRole("heading", { name: `Welcome, ${learner.name}` })).toBeVisible();

  // Dashboard -> course -> module 1 -> its first lesson.
  await page.getByTestId("dashboard-course").filter({ hasText: /^\s*Fixture Course for Tests/ }).getByRole("link", { name: "Fixture Course for Tests", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fixture Course for Tests" })).toBeVisible();
  await page.getByRole("link", { name: "Basics", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Module 1: Basics" })).toBeVisible();
  await page.getByRole("link", { name: "Welcome to the fixture" }).click();

  // The lesson renders its MDX (a callout from a component), then is marked complete.
  await expect(page.getByRole("complementary", { name: "Scope of practice" })).toContainText("Therapists do not prescribe");
  await markComplete(page, "Welcome to the fixture");
  await page.getByRole("link", { name: "The second lesson →" }).click();
  await markComplete(page, "The second lesson");

  // Module 1 quiz, then module 2's lesson and quiz.
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await passQuiz(page, "01.basics");
  await page.getByRole("link", { name: "Continue to module 2" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Module 2: Practice" })).toBeVisible();
  await page.getByRole("link", { name: "Case work" }).click();
  await markComplete(page, "Case work");
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await passQuiz(page, "02.practice");

  // Evaluation, attestation.
  await page.getByRole("link", { name: "Continue to the course evaluation" }).click();
  await expect(page.getByRole("heading", { name: "Course evaluation" })).toBeVisible();
  for (const group of await page.locator("fieldset.field").all()) await group.getByLabel("5").check();
  await page.getByLabel(/Any comments/).fill("Smoke test: all good.");
  await page.getByRole("button", { name: "Submit evaluation" }).click();
  await expect(page.getByRole("heading", { name: "Finish the course" })).toBeVisible();
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign and complete the course" }).click();
  await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`Congratulations, ${learner.name}.`);
  await expect(page.getByText(/earned\s+0.25 CE hours, with an average post-test score of 100%/)).toBeVisible();

  // The certificate, downloaded as a person would: the "Download PDF" link.
  const certificateHref = await page.getByRole("link", { name: "View your certificate" }).getAttribute("href");
  const publicId = certificateHref!.split("/").pop()!;
  expect(publicId).toMatch(/^[A-Z2-7]{5}-/);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download PDF" }).click();
  const download = await downloading;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-smoke-"));
  try {
    const file = path.join(dir, "certificate.pdf");
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain(learner.name);
    expect(text).toContain(publicId);
    expect(text).toContain("Fixture Course for Tests");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await page.getByRole("link", { name: "View your certificate" }).click();
  await expect(page.getByRole("heading", { name: "Certificate of Completion" })).toBeVisible();
  await expect(page.getByText(publicId).first()).toBeVisible();

  // What the server recorded matches what the pages showed.
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  try {
    const { id: userId } = db.prepare("select id from users where email = ?").get(learner.email) as { id: string };
    const completed = db.prepare("select lesson_key from lesson_progress where user_id = ? and course_id = 'fixture-course' and completed_at is not null order by lesson_key").all(userId) as Array<{ lesson_key: string }>;
    expect(completed.map((r) => r.lesson_key)).toEqual(["basics/second-lesson", "basics/welcome", "practice/case-work"]);
    const passes = db.prepare("select module_slug, score from quiz_attempts where user_id = ? and course_id = 'fixture-course' and status = 'submitted' and passed = 1 order by module_slug").all(userId) as Array<{ module_slug: string; score: number }>;
    expect(passes).toEqual([{ module_slug: "basics", score: 1 }, { module_slug: "practice", score: 1 }]);
    const evaluation = db.prepare("select responses from evaluations where user_id = ? and course_id = 'fixture-course'").get(userId) as { responses: string } | undefined;
    expect(JSON.parse(evaluation!.responses)).toMatchObject({ comments: "Smoke test: all good." });
    expect(db.prepare("select count(*) n from attestations where user_id = ? and course_id = 'fixture-course'").get(userId)).toEqual({ n: 1 });
    const completion = db.prepare("select ce_hours, post_test_score from completions where user_id = ? and course_id = 'fixture-course'").get(userId);
    expect(completion).toEqual({ ce_hours: 0.25, post_test_score: 1 });
    const certificate = db.prepare("select public_id, status, snapshot from certificates where user_id = ? and course_id = 'fixture-course'").get(userId) as { public_id: string; status: string; snapshot: string };
    expect(certificate).toMatchObject({ public_id: publicId, status: "valid" });
    expect(certificate.snapshot).toContain(learner.name);
  } finally {
    db.close();
  }
});
