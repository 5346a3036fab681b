import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { parse } from "yaml";

/** The e2e server's files (playwright.config.ts): one folder per port, so two runs never share them. */
export const E2E_DIR = path.resolve(`data/e2e-${process.env.E2E_PORT ?? 3210}`);
export const OUTBOX = path.join(E2E_DIR, "outbox");
export const E2E_DB = path.join(E2E_DIR, "kap-e2e.db");

export const DEMO = {
  admin: { email: "admin@kap-academy.test", password: "Sunrise-Harbor-42", name: "Dana Whitfield" },
  author: { email: "author@kap-academy.test", password: "Quiet-Meadow-17", name: "Maya Chen" },
  learner: { email: "learner@kap-academy.test", password: "Gentle-River-58", name: "Jordan Rivera" },
  mentor: { email: "mentor@kap-academy.test", password: "Steady-Lantern-63", name: "Priya Anand" },
} as const;

/** Waits until React has hydrated, so clicks reach event handlers. */
export async function gotoHydrated(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
}

/** Signs in and waits for the outcome: the next page, or the error message. */
export async function signIn(page: Page, email: string, password: string, { expectError = false } = {}) {
  await gotoHydrated(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (expectError) await expect(page.getByRole("alert")).toBeVisible();
  else await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export type QuizQuestion = { prompt: string; type: string; answer: string | string[] | boolean; options?: Array<{ id: string; text: string }> };

/** A module's question bank in the fixture course, e.g. fixtureQuiz("01.basics"): the key, as an examiner has it. */
export function fixtureQuiz(moduleDir: string): QuizQuestion[] {
  return (parse(fs.readFileSync(`tests/fixtures/content/courses/fixture-course/${moduleDir}/quiz.yaml`, "utf8")) as { questions: QuizQuestion[] }).questions;
}

/** Answers every question of the open attempt from `questions`' key: rightly, or with one wrong option each. */
export async function answerQuiz(page: Page, questions: QuizQuestion[], right = true) {
  const fieldsets = page.locator("fieldset.quiz-question");
  await expect(fieldsets.first()).toBeVisible();
  for (const fieldset of await fieldsets.all()) {
    const legend = (await fieldset.locator("legend").innerText()).replace(/^\d+\.\s*/, "");
    const q = questions.find((x) => legend.startsWith(x.prompt));
    expect(q, `a question of the bank starts "${legend}"`).toBeDefined();
    const all = q!.type === "true-false" ? ["True", "False"] : q!.options!.map((o) => o.text);
    const key = q!.type === "true-false" ? [q!.answer ? "True" : "False"] : [q!.answer].flat().map((id) => q!.options!.find((o) => o.id === id)!.text);
    const pick = right ? key : [all.find((t) => !key.includes(t))!];
    for (const text of pick) await fieldset.getByLabel(text, { exact: true }).check();
  }
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@clinic.example`;
}

/** The newest email in the outbox sent to `to` (and containing `containing`), decoded enough to read links. Mail is sent just after the answer, so this waits for it. */
export async function latestEmailTo(to: string, containing?: RegExp): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(() => {
      if (!fs.existsSync(OUTBOX)) return false;
      const files = fs.readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort().reverse();
      for (const f of files) {
        const body = fs
          .readFileSync(path.join(OUTBOX, f), "utf8")
          .replace(/=\r?\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        if (body.includes(`To: ${to}`) && (!containing || containing.test(body))) {
          found = body;
          return true;
        }
      }
      return false;
    })
    .toBe(true);
  return found!;
}

export type NewAccount = { name: string; email: string; password: string; license: { type: string; number: string; state: string } };

/** Fills in and submits the sign-up form; waits for the "check your email" answer. */
export async function submitSignUp(page: Page, account: NewAccount) {
  await gotoHydrated(page, "/signup");
  await page.getByLabel("Full legal name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByLabel("Repeat password").fill(account.password);
  await page.getByLabel("License type").selectOption(account.license.type);
  await page.getByLabel("License number").fill(account.license.number);
  await page.getByLabel("Issuing state").selectOption(account.license.state);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`We have sent a message to ${account.email}`);
}

/** The confirmation link in the newest sign-up email to `email` (decision 015). */
export async function signUpLink(email: string): Promise<string> {
  const mail = await latestEmailTo(email, /\/signup\?token=/);
  const link = /https?:\/\/[^\s"<>]+\/signup\?token=[a-z0-9]+/.exec(mail)?.[0];
  expect(link, `a sign-up link emailed to ${email}`).toBeDefined();
  return new URL(link!).pathname + new URL(link!).search;
}

/** Signs up as a new user does: the form, the emailed link, "Confirm and sign in"; waits for the dashboard. */
export async function signUp(page: Page, account: NewAccount) {
  await submitSignUp(page, account);
  await gotoHydrated(page, await signUpLink(account.email));
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

/** A mentor opens a learner's waiting submission from the queue, by the header's link and the queue's filter. */
export async function openFromMentorQueue(mentor: Page, learnerName: string, assignmentTitle: string) {
  await mentor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mentoring" }).click();
  await expect(mentor.getByRole("heading", { name: "Mentoring queue" })).toBeVisible();
  await mentor.getByLabel("Learner").fill(learnerName);
  await mentor.getByRole("button", { name: "Filter" }).click();
  const row = mentor.getByTestId("queue-row").filter({ hasText: learnerName });
  await expect(row).toHaveCount(1);
  await row.getByRole("link", { name: assignmentTitle }).click();
  await expect(mentor.getByRole("heading", { name: `Review: ${assignmentTitle}` })).toBeVisible();
}
