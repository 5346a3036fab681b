import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, gotoHydrated, signIn, signUp, uniqueEmail } from "./utils.ts";

async function axe(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${label}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

async function completeLesson(page: Page, url: string) {
  await gotoHydrated(page, url);
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

/** Answers the open quiz with the keyboard only: Tab through, Space on the first option of each question, Enter to submit. */
async function answerByKeyboard(page: Page) {
  await page.locator("h1").click(); // a neutral starting point for Tab
  const answered = new Set<string>();
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | HTMLButtonElement | null;
      return el ? { tag: el.tagName, type: (el as HTMLInputElement).type, name: (el as HTMLInputElement).name, text: el.textContent ?? "" } : null;
    });
    if (!focus) continue;
    if (focus.tag === "INPUT" && focus.name.startsWith("q-") && !answered.has(focus.name)) {
      await page.keyboard.press("Space");
      answered.add(focus.name);
    }
    if (focus.tag === "BUTTON" && focus.text.includes("Submit answers")) {
      await page.keyboard.press("Enter");
      return answered.size;
    }
  }
  throw new Error("never reached the submit button");
}

test("every page type has no serious accessibility violations, and a quiz can be completed by keyboard alone", async ({ page, browser }) => {
  // About twenty pages, each checked by axe: a minute on an idle machine.
  test.setTimeout(240_000);
  for (const [url, label] of [["/", "home"], ["/login", "sign in"], ["/signup", "sign up"], ["/forgot-password", "forgot password"], ["/verify", "verify form"]] as const) {
    await gotoHydrated(page, url);
    await axe(page, label);
  }

  await signUp(page, { name: "Ally Access", email: uniqueEmail("a11y"), password: "accessible passphrase", license: { type: "LCSW", number: "LCSW 11", state: "IL" } });
  await axe(page, "dashboard");
  await gotoHydrated(page, "/account");
  await axe(page, "account");
  await completeLesson(page, "/courses/fixture-course/basics/welcome");
  await axe(page, "lesson");
  await completeLesson(page, "/courses/fixture-course/basics/second-lesson");
  await gotoHydrated(page, "/courses/fixture-course/basics");
  await axe(page, "module");
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await expect(page.locator("fieldset.quiz-question").first()).toBeVisible();
  await axe(page, "quiz");
  expect(await answerByKeyboard(page)).toBe(3);
  await expect(page.getByRole("heading", { name: /Quiz result/ })).toBeVisible();
  await axe(page, "quiz result");

  await gotoHydrated(page, "/certificates");
  await axe(page, "transcript");
  // A course behind a prerequisite the learner has not met: the notice and the disabled start.
  await gotoHydrated(page, "/courses/fixture-advanced");
  await expect(page.getByRole("region", { name: "Prerequisite" })).toContainText("not yet completed");
  await axe(page, "course with a prerequisite");

  // Admin pages.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  for (const [url, label] of [["/admin", "admin overview"], ["/admin/users", "users"], ["/admin/certificates", "certificates admin"], ["/admin/audit", "audit log"], ["/admin/reports/fixture-course", "course report"], ["/author", "authoring"], ["/author/items/fixture-course", "item analysis"]] as const) {
    await gotoHydrated(admin, url);
    await axe(admin, label);
  }
  await adminContext.close();
});
