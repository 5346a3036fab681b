import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { E2E_DB, gotoHydrated, openFromMentorQueue, signIn, signUp, uniqueEmail } from "./utils.ts";

const MENTOR = { email: "mentor@kap-academy.test", password: "Steady-Lantern-63" };
const V1 =
  "A woman in her 40s with treatment-resistant depression (PHQ-9 of 14) asks about KAP after three SSRI trials. She is motivated and her partner supports her. Next step: refer her to a prescriber for a medical evaluation.";
const V2 = `${V1} Risks: blood pressure and cardiac history are screened by the prescriber; dosing is outside my scope.`;

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${label}: ${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

type Row = { version: number; status: string; outcome: string | null; scores: string | null; claimed_by: string | null };

function thread(email: string): Row[] {
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `select s.version, s.status, r.outcome, r.scores, s.claimed_by from assignment_submissions s join users u on u.id = s.user_id
         left join assignment_reviews r on r.submission_id = s.id where u.email = ? order by s.version`,
      )
      .all(email) as Row[];
  } finally {
    db.close();
  }
}

/** The mentor opens the learner's waiting submission from the queue, by the header's link. */
async function openFromQueue(page: Page, learnerName: string) {
  await gotoHydrated(page, "/dashboard");
  await openFromMentorQueue(page, learnerName, "Case formulation");
}

async function score(page: Page, readiness: string, safety: string, comment: string, outcome: RegExp) {
  await page.getByLabel("Score for Readiness (0 to 3)").selectOption(readiness);
  await page.getByLabel("Comment on Readiness").fill(`Readiness ${readiness}.`);
  await page.getByLabel("Score for Safety and scope (0 to 3)").selectOption(safety);
  await page.getByLabel("Overall comment for the learner").fill(comment);
  await page.getByRole("radio", { name: outcome }).check();
  await page.getByRole("button", { name: "Save the review" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Review saved" })).toBeVisible();
}

test("a learner submits case work, a mentor asks for a revision, the learner revises, the mentor approves", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("casework");
  const name = "Casey Formulation";
  await signUp(page, { name, email, password: "case work passphrase", license: { type: "LPC", number: "LPC 5150", state: "OR" } });

  // The lesson page links to its assignment (the visit starts the course).
  await gotoHydrated(page, "/courses/fixture-course/practice/case-work");
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("link", { name: "Open the assignment" }).click();
  await expect(page.getByRole("heading", { name: "Case formulation", level: 1 })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("Do not include identifying client data.");
  await expectNoSeriousViolations(page, "assignment page");

  // An identifier is refused, with what and where; nothing is stored.
  await page.getByLabel(/Your text/).fill(`${V1}\nHer cell is (503) 555-0142.`);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByTestId("submit-error")).toContainText('a phone number on line 2, column 13 ("(503) 555-0142")');
  expect(thread(email)).toEqual([]);
  await page.getByLabel(/Your text/).fill(V1);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Version 1 was submitted" })).toBeVisible();
  expect(thread(email)).toMatchObject([{ version: 1, status: "submitted", outcome: null }]);

  // The mentor claims it from the queue and asks for a revision.
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  await signIn(mentor, MENTOR.email, MENTOR.password);
  await openFromQueue(mentor, name);
  await mentor.getByRole("button", { name: "Claim this submission" }).click();
  await expect(mentor.getByRole("status").filter({ hasText: "Claimed" })).toBeVisible();
  await expectNoSeriousViolations(mentor, "review page");
  await score(mentor, "2", "1", "Add the medical screening and your scope.", /^Revise/);

  // The learner reads the review and revises.
  await gotoHydrated(page, "/courses/fixture-course/practice/case-work/assignment");
  const first = page.getByTestId("thread-version").filter({ has: page.getByRole("heading", { name: "Version 1", exact: true }) });
  await expect(first.getByTestId("thread-review")).toContainText("Outcome: Revise");
  await expect(first.getByTestId("score-readiness")).toHaveText("2 of 3 (Adequate)");
  await expect(first.getByTestId("thread-review")).toContainText("Add the medical screening and your scope.");
  await page.getByLabel(/Your text/).fill(V2);
  await page.getByRole("button", { name: "Submit the revision" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Version 2 was submitted" })).toBeVisible();

  // The revision comes back to the same mentor, who approves it.
  await openFromQueue(mentor, name);
  await expect(mentor.getByRole("heading", { name: "Version 1", exact: true })).toBeVisible();
  await expect(mentor.getByRole("heading", { name: "Version 2", exact: true })).toBeVisible();
  await score(mentor, "3", "3", "Meets the standard: clear scope and screening.", /Meets the standard/);
  await mentorContext.close();

  // The learner's page shows the whole thread, as the database holds it.
  await gotoHydrated(page, "/courses/fixture-course/practice/case-work/assignment");
  const versions = page.getByTestId("thread-version");
  await expect(versions).toHaveCount(2);
  await expect(page.getByRole("status").filter({ hasText: "meeting the standard" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Submit/ })).toHaveCount(0);
  await expectNoSeriousViolations(page, "thread");
  const rows = thread(email);
  expect(rows.map((r) => [r.version, r.status, r.outcome])).toEqual([[1, "revise", "revise"], [2, "approved", "approved"]]);
  expect(rows[1]!.claimed_by).toBe(rows[0]!.claimed_by);
  for (const [i, row] of rows.entries()) {
    const version = versions.nth(i);
    await expect(version).toHaveAttribute("data-status", row.status);
    for (const s of JSON.parse(row.scores!) as Array<{ criterionId: string; score: number }>) {
      await expect(version.getByTestId(`score-${s.criterionId}`)).toContainText(`${s.score} of 3`);
    }
  }
});

test("an admin sees turnaround and the mentors' load on the mentoring overview; a learner cannot open the queue", async ({ page }) => {
  await signIn(page, "admin@kap-academy.test", "Sunrise-Harbor-42");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Mentoring" }).click();
  await expect(page.getByRole("heading", { name: "Turnaround" })).toBeVisible();
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  const reviewed = (db.prepare("select count(*) as n from assignment_reviews r join users u on u.id = r.mentor_id where u.email = ?").get(MENTOR.email) as { n: number }).n;
  db.close();
  await expect(page.getByTestId("mentor-load").getByRole("row", { name: /Priya Anand/ })).toContainText(`Priya Anand0${reviewed}`);
  await expect(page.getByTestId("turnaround").getByRole("row", { name: /Fixture Course for Tests/ })).toBeVisible();
  // Checked on a fresh load, away from the pointer (a hovered control mid-transition is not the page's colours).
  await gotoHydrated(page, "/admin/mentoring");
  await page.mouse.move(0, 0);
  await expectNoSeriousViolations(page, "admin mentoring");
  await page.goto("/mentor");
  await expect(page.getByRole("heading", { name: "Mentoring queue" })).toBeVisible();
  await expectNoSeriousViolations(page, "queue");

  const learner = await page.context().browser()!.newContext();
  const p = await learner.newPage();
  await signIn(p, "learner@kap-academy.test", "Gentle-River-58");
  await expect(p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mentoring" })).toHaveCount(0);
  expect((await p.request.get("/mentor", { maxRedirects: 0 })).status()).toBe(403);
  await learner.close();
});
