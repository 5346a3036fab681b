import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { parse } from "yaml";
import { answerQuiz, E2E_DB, gotoHydrated, signUp, uniqueEmail, type QuizQuestion } from "./utils.ts";

const COURSE = "/courses/fixture-cases";
const CASE = `${COURSE}/consult/case/second-lozenge`;
const CHOICES = {
  call: "Tell Dana the prescriber decides about more medicine, and call the prescriber in.",
  hand: "Hand Dana the second lozenge from the bag.",
  wait: "Ask Dana to wait and see how she feels in twenty minutes.",
  document: "Write down the request and the prescriber's decision in the session notes.",
  skip: "Leave it out of the notes, since nothing was given.",
  help: "Call the prescriber in at once and stay with Dana.",
};

type StepRow = { choice_id: string; rating: string; retracted: number; scene_id: string };

/** What the server recorded for the learner's runs of the case, newest first. */
function recordedRuns(email: string) {
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  try {
    const runs = db
      .prepare("select r.id, r.status, r.outcome, r.case_version from case_runs r join users u on u.id = r.user_id where u.email = ? order by r.started_at desc")
      .all(email) as Array<{ id: string; status: string; outcome: string | null; case_version: string }>;
    return runs.map((r) => ({ ...r, steps: db.prepare("select scene_id, choice_id, rating, retracted from case_steps where run_id = ? order by seq").all(r.id) as StepRow[] }));
  } finally {
    db.close();
  }
}

/** Reads the briefing lesson for its minimum time and marks it complete (which enrolls the learner). */
async function completeBriefing(page: Page) {
  await gotoHydrated(page, `${COURSE}/consult/briefing`);
  // The button waits until the learner has scrolled to the end of the lesson.
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

/** The debrief's steps as the page shows them. */
async function shownPath(page: Page) {
  return page.getByTestId("case-path-step").evaluateAll((items) =>
    items.map((li) => ({ scene: li.getAttribute("data-scene"), rating: li.getAttribute("data-rating"), retracted: li.getAttribute("data-retracted") === "yes", text: li.querySelector("[data-testid=case-choice-text]")?.textContent })),
  );
}

test("a learner plays the case through its buttons to the debrief, and the page matches what the server recorded; then again without JavaScript", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("case-player");
  await signUp(page, { name: "Casey Player", email, password: "branching passphrase", license: { type: "LPC", number: "LPC 5151", state: "TX" } });
  await completeBriefing(page);
  // The lesson embeds the case as a card linking to it.
  await expect(page.getByRole("complementary", { name: "Branching case: The second lozenge" }).getByRole("link", { name: "Play the case" })).toHaveAttribute("href", CASE);

  // The case is a step of the module, listed with its lessons.
  await gotoHydrated(page, `${COURSE}/consult`);
  await page.getByRole("link", { name: "The second lozenge" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Case: The second lozenge" })).toBeVisible();
  await page.getByRole("button", { name: "Start the case" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "The situation" })).toBeVisible();
  // Before a choice the page holds no rating or feedback.
  const html = await page.content();
  for (const secret of ["Giving medicine is outside", "unsafe", "Best choice"]) expect(html).not.toContain(secret);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // A best choice: its feedback is shown, with its rating and source, and takes the focus.
  await page.getByRole("button", { name: CHOICES.call }).click();
  const feedback = page.getByTestId("case-feedback-box");
  await expect(feedback).toBeFocused();
  await expect(feedback.getByTestId("case-rating")).toHaveText("Best choice");
  await expect(feedback).toContainText("Dosing decisions belong to the prescriber");
  await expect(feedback).toContainText("Source: Author B. A fixture reference on scope of practice.");

  // Go back, and choose differently; then finish.
  await page.getByRole("button", { name: "Go back and choose again" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "The situation" })).toBeVisible();
  await page.getByRole("button", { name: CHOICES.wait }).click();
  await expect(page.getByTestId("case-feedback-box").getByTestId("case-rating")).toHaveText("Acceptable");
  await page.getByRole("button", { name: CHOICES.skip }).click();

  // The debrief: the path taken against the best path, as recorded.
  await expect(page.getByRole("heading", { level: 1, name: "Debrief: The second lozenge" })).toBeVisible();
  await expect(page.getByTestId("case-feedback-box")).toBeFocused();
  await expect(page.getByTestId("case-outcome")).toHaveAttribute("data-outcome", "safe");
  const [run] = recordedRuns(email);
  expect(run).toMatchObject({ status: "finished", outcome: "safe" });
  expect(run!.steps.map((s) => [s.scene_id, s.choice_id, s.rating, s.retracted])).toEqual([
    ["request", "call-prescriber", "best", 1],
    ["request", "wait", "acceptable", 0],
    ["prescriber", "skip-notes", "outside-scope", 0],
  ]);
  expect(await shownPath(page)).toEqual([
    { scene: "request", rating: "best", retracted: true, text: CHOICES.call },
    { scene: "request", rating: "acceptable", retracted: false, text: CHOICES.wait },
    { scene: "prescriber", rating: "outside-scope", retracted: false, text: CHOICES.skip },
  ]);
  await expect(page.getByTestId("case-best-path").getByRole("listitem")).toHaveText([new RegExp(CHOICES.call), new RegExp(CHOICES.document)]);
  await expect(page.getByTestId("case-path-step").nth(2)).toContainText(`The best choice hereBest choice ${CHOICES.document}`);

  // Without JavaScript: plain forms post and redirect; the feedback is the page's #feedback.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto(CASE);
  await plain.getByRole("button", { name: "Play the case again" }).click();
  await plain.getByRole("button", { name: CHOICES.hand }).click();
  await expect(plain).toHaveURL(new RegExp(`${CASE}#feedback$`));
  await expect(plain.getByTestId("case-feedback-box").getByTestId("case-rating")).toHaveText("Unsafe");
  await expect(plain.getByTestId("case-feedback-box")).toContainText("Giving medicine is outside a therapist's scope");
  await plain.getByRole("button", { name: CHOICES.help }).click();
  await expect(plain.getByRole("heading", { level: 1, name: "Debrief: The second lozenge" })).toBeVisible();
  await expect(plain.getByTestId("case-outcome")).toHaveAttribute("data-outcome", "unsafe");
  const [second] = recordedRuns(email);
  expect(second).toMatchObject({ status: "finished", outcome: "unsafe" });
  expect(second!.steps.map((s) => [s.choice_id, s.rating])).toEqual([["hand-over", "unsafe"], ["get-help", "best"]]);
  expect((await shownPath(plain)).map((s) => [s.text, s.rating])).toEqual([[CHOICES.hand, "unsafe"], [CHOICES.help, "best"]]);
  await context.close();
});

test("an unsafe path blocks completion of fixture-cases until the case is finished safely", async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail("case-complete");
  await signUp(page, { name: "Robin Safely", email, password: "completing passphrase", license: { type: "LPC", number: "LPC 6161", state: "TX" } });
  await completeBriefing(page);
  await gotoHydrated(page, `${COURSE}/consult/quiz`);
  await page.getByRole("button", { name: "Start the quiz" }).click();
  const bank = (parse(fs.readFileSync("tests/fixtures/content/courses/fixture-cases/01.consult/quiz.yaml", "utf8")) as { questions: QuizQuestion[] }).questions;
  await answerQuiz(page, bank);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  await gotoHydrated(page, `${COURSE}/evaluation`);
  for (const group of await page.locator("fieldset.field").all()) await group.getByLabel("4").check();
  await page.getByRole("button", { name: "Submit evaluation" }).click();

  // Not yet: the case has not been finished.
  await expect(page.getByRole("heading", { name: "Finish the course" })).toBeVisible();
  const requirement = page.getByTestId("case-requirement");
  await expect(requirement).toContainText("Every case finished without an unsafe choice; still to do: The second lozenge");
  await expect(page.getByRole("button", { name: "Sign and complete the course" })).toHaveCount(0);

  // An unsafe run still blocks completion.
  await requirement.getByRole("link", { name: "The second lozenge" }).click();
  await page.getByRole("button", { name: "Start the case" }).click();
  await page.getByRole("button", { name: CHOICES.hand }).click();
  await page.getByRole("button", { name: CHOICES.help }).click();
  await expect(page.getByTestId("case-outcome")).toHaveAttribute("data-outcome", "unsafe");
  await gotoHydrated(page, `${COURSE}/complete`);
  await expect(page.getByTestId("case-requirement")).toContainText("still to do: The second lozenge");
  await expect(page.getByRole("button", { name: "Sign and complete the course" })).toHaveCount(0);
  await gotoHydrated(page, "/dashboard");
  await expect(page.getByTestId("dashboard-course").filter({ hasText: "Fixture Cases Course for Tests" }).getByTestId("dashboard-cases-missing")).toContainText("The second lozenge");
  expect(recordedRuns(email).map((r) => r.outcome)).toEqual(["unsafe"]);

  // A safe run: now the attestation can be signed.
  await gotoHydrated(page, CASE);
  await page.getByRole("button", { name: "Play the case again" }).click();
  await page.getByRole("button", { name: CHOICES.call }).click();
  await page.getByRole("button", { name: CHOICES.document }).click();
  await expect(page.getByTestId("case-outcome")).toHaveAttribute("data-outcome", "best");
  await gotoHydrated(page, `${COURSE}/complete`);
  await expect(page.getByTestId("case-requirement")).toHaveClass(/done/);
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign and complete the course" }).click();
  await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
});
