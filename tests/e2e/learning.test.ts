import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "yaml";
import { gotoHydrated, signUp, uniqueEmail } from "./utils.ts";

type Bank = { questions: Array<{ id: string; type: string; prompt: string; answer: string | string[] | boolean; options?: Array<{ id: string; text: string }> }> };
const bank = (module: string): Bank => parse(fs.readFileSync(`tests/fixtures/content/courses/fixture-course/${module}/quiz.yaml`, "utf8"));

/** Answers every question on the open attempt, right or wrong, reading the key from the fixture (as an examiner would). */
async function answerQuiz(page: Page, module: string, right: boolean) {
  const questions = bank(module).questions;
  const fieldsets = page.locator("fieldset.quiz-question");
  await expect(fieldsets.first()).toBeVisible();
  const count = await fieldsets.count();
  for (let i = 0; i < count; i++) {
    const fs_ = fieldsets.nth(i);
    const legend = (await fs_.locator("legend").innerText()).replace(/^\d+\.\s*/, "");
    const q = questions.find((x) => legend.startsWith(x.prompt))!;
    const key = q.type === "true-false" ? [q.answer ? "True" : "False"] : [q.answer].flat().map((id) => q.options!.find((o) => o.id === id)!.text);
    const all = q.type === "true-false" ? ["True", "False"] : q.options!.map((o) => o.text);
    const pick = right ? key : [all.find((t) => !key.includes(t))!];
    for (const text of pick) await fs_.getByLabel(text, { exact: true }).check();
  }
}

async function readAndComplete(page: Page, path: string) {
  await gotoHydrated(page, path);
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

test("a learner completes the course: lessons, a failed quiz and a retake, evaluation, attestation", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Avery Complete", email: uniqueEmail("complete"), password: "finishing passphrase", license: { type: "LPC", number: "LPC 4242", state: "TX" } });

  // The quiz is locked until the module's lessons are complete.
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await expect(page.getByRole("status")).toContainText("Complete the 2 remaining lessons of this module");

  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  await readAndComplete(page, "/courses/fixture-course/basics/second-lesson");
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await expect(page.getByText("80%", { exact: true })).toBeVisible(); // pass mark shown before starting
  await page.getByRole("button", { name: "Start the quiz" }).click();

  // Fail, see feedback.
  await answerQuiz(page, "01.basics", false);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Not passed")).toBeVisible();
  await expect(page.getByText("0%", { exact: true })).toBeVisible();
  await expect(page.getByTestId("result-question").first()).toContainText("Incorrect.");
  await expect(page.getByTestId("result-question").first()).toContainText("Source:");

  // Retake and pass.
  await page.getByRole("link", { name: "Retake the quiz" }).click();
  await page.getByRole("button", { name: "Retake the quiz" }).click();
  await answerQuiz(page, "01.basics", true);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  await expect(page.getByText("100%", { exact: true })).toBeVisible();

  // Module 2.
  await page.getByRole("link", { name: "Continue to module 2" }).click();
  await readAndComplete(page, "/courses/fixture-course/practice/case-work");
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, "02.practice", true);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await page.getByRole("link", { name: "Continue to the course evaluation" }).click();

  // Evaluation: a missing rating is refused with a message.
  await expect(page.getByRole("heading", { name: "Course evaluation" })).toBeVisible();
  await page.getByRole("button", { name: "Submit evaluation" }).click();
  await expect(page.getByRole("alert")).toContainText("Choose a rating from 1 to 5.");
  for (const group of await page.locator("fieldset.field").all()) await group.getByLabel("4").check();
  await page.getByLabel(/Any comments/).fill("Clear and practical.");
  await page.getByRole("button", { name: "Submit evaluation" }).click();

  // Attestation, then complete.
  await expect(page.getByRole("heading", { name: "Finish the course" })).toBeVisible();
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign and complete the course" }).click();
  await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
  await expect(page.getByText(/earned\s+0.25 CE hours/)).toBeVisible();

  await gotoHydrated(page, "/dashboard");
  await expect(page.getByTestId("dashboard-course").filter({ hasText: "Fixture Course for Tests" })).toContainText("Completed on");
});

test("an open quiz page and its data carry no answer key or feedback", async ({ page }) => {
  await signUp(page, { name: "Kai Nokey", email: uniqueEmail("nokey"), password: "no keys for me please", license: { type: "RN", number: "RN 1", state: "FL" } });
  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  await readAndComplete(page, "/courses/fixture-course/basics/second-lesson");
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await expect(page.locator("fieldset.quiz-question")).toHaveCount(3);
  const html = await (await page.request.get("/courses/fixture-course/basics/quiz")).text();
  const data = await (await page.request.get("/courses/fixture-course/basics/quiz.data")).text();
  for (const body of [html, data]) {
    expect(body).not.toMatch(/"answer"|"explanation"|Prescribing is the prescriber's role|"correct"/);
  }
});
