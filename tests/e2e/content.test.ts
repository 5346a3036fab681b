import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, gotoHydrated, signIn } from "./utils.ts";

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test("the catalog and course overview show every disclosure before starting", async ({ page }) => {
  await gotoHydrated(page, "/courses");
  // (Its title also links from fixture-advanced's card, which names it as the prerequisite.)
  await page.getByRole("heading", { level: 2, name: "Fixture Course for Tests" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Fixture Course for Tests" })).toBeVisible();
  for (const text of [
    "Describe the two fixture ideas.", // objective
    "Licensed clinicians taking part in automated tests.", // audience
    "0.25 hours (60-minute hours)", // CE hours
    "80% on each module quiz, up to 3 attempts", // pass mark
    "January 1, 2026", // released
    "June 1, 2026", // last reviewed
    "May 31, 2029", // expires
    "Test Author", // faculty
    "Fixture Provider", // provider
    "Sample statement, not a real approval",
  ]) {
    await expect(page.getByText(text, { exact: false }).first()).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "How to earn credit" })).toBeVisible();
  // Drafts are not listed for visitors.
  await expect(page.getByText("Work in progress")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});

test("a learner reads a lesson: rendered MDX, table of contents, components, previous and next", async ({ page }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await gotoHydrated(page, "/courses/fixture-course/basics/welcome");
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to the fixture" })).toBeVisible();
  const toc = page.getByRole("navigation", { name: "On this page" });
  await expect(toc.getByRole("link", { name: "What this lesson covers" })).toHaveAttribute("href", "#what-this-lesson-covers");
  await expect(page.locator("h2#check-your-understanding")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Scope of practice" })).toContainText("Therapists do not prescribe");
  await expect(page.getByRole("img", { name: "A box labelled fixture diagram" })).toBeVisible();

  // Citation links to the reference list.
  await page.getByRole("link", { name: "Reference 1" }).click();
  await expect(page.locator("#ref-fixture-source")).toContainText("A fixture reference");

  // Glossary term opens by keyboard.
  const term = page.getByRole("button", { name: "fixture", exact: true });
  await term.focus();
  await page.keyboard.press("Enter");
  await expect(term).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("note")).toContainText("a known, fixed state");

  // Knowledge check, by keyboard.
  const check = page.getByRole("group", { name: /Who prescribes ketamine/ });
  await check.getByRole("radio", { name: "The therapist" }).check();
  await check.getByRole("button", { name: "Check answer" }).click();
  await expect(check).toContainText("Not quite. The best answer is: The prescriber");
  await check.getByRole("radio", { name: "The prescriber" }).check();
  await check.getByRole("button", { name: "Check answer" }).click();
  await expect(check).toContainText("Correct.");

  // A reflection is saved and comes back on reload.
  await page.getByLabel(/What drew you to this course/).fill("Curiosity about integration work.");
  await page.getByRole("button", { name: "Save reflection" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/What drew you to this course/)).toHaveValue("Curiosity about integration work.");

  await expectNoSeriousA11yViolations(page);

  // Next skips the draft for a learner; the module's last lesson leads to its quiz.
  await page.getByRole("link", { name: /The second lesson/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The second lesson" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Module quiz →" })).toHaveAttribute("href", "/courses/fixture-course/basics/quiz");
  await gotoHydrated(page, "/courses/fixture-course/practice/case-work");
  await expect(page.getByRole("link", { name: /The second lesson/ })).toHaveAttribute("rel", "prev");
  await expect(page.getByRole("region", { name: "Case: a referral" })).toBeVisible();
  const draft = await page.goto("/courses/fixture-course/basics/work-in-progress");
  expect(draft?.status()).toBe(404);
});

test("lessons print cleanly: no navigation, references kept", async ({ page }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await gotoHydrated(page, "/courses/fixture-course/basics/welcome");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("banner")).toBeHidden();
  await expect(page.getByRole("navigation", { name: "On this page" })).toBeHidden();
  await expect(page.getByRole("heading", { name: "References" })).toBeVisible();
  const pdf = await page.pdf({ format: "Letter" });
  expect(pdf.byteLength).toBeGreaterThan(5_000);
});

test("authors see drafts with a badge and the authoring status page", async ({ page }) => {
  await signIn(page, DEMO.author.email, DEMO.author.password);
  await gotoHydrated(page, "/courses/fixture-course/basics/work-in-progress");
  await expect(page.getByRole("heading", { level: 1, name: /Work in progress/ })).toBeVisible();
  await expect(page.locator("h1 .badge--draft")).toHaveText("Draft");

  await gotoHydrated(page, "/author");
  await expect(page.getByRole("heading", { name: "Authoring" })).toBeVisible();
  const fixture = page.getByRole("region", { name: "Fixture Course for Tests", exact: true });
  const rows = fixture.getByTestId("author-lesson");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText("tests/fixtures/content/courses/fixture-course/01.basics/01.welcome.mdx");
  await expect(rows.first().getByText("OK")).toBeVisible();
  await expect(fixture.getByTestId("author-quiz").first()).toContainText("4 questions, 3 per attempt, 1 true/false");
  await expectNoSeriousA11yViolations(page);
});

test("learners cannot open the authoring page", async ({ page }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  const res = await page.goto("/author");
  expect(res?.status()).toBe(403);
});

test("lesson pages send no answer key for module quizzes", async ({ page }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  const html = await (await page.request.get("/courses/fixture-course/basics/welcome")).text();
  const data = await (await page.request.get("/courses/fixture-course/basics/welcome.data")).text();
  for (const body of [html, data]) {
    expect(body).not.toContain("Dispensing lozenges");
    expect(body).not.toMatch(/"correct"\s*:/);
  }
});

test("a lesson fits a 375 px phone without sideways scrolling", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await gotoHydrated(page, "/courses/fixture-course/basics/welcome");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

test("a lesson renders the same HTML each time and hydrates cleanly, its script bringing references and contents", async ({ page }) => {
  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  const url = "/courses/fixture-course/basics/welcome";
  const bodyOf = async () => {
    const html = await (await page.request.get(url)).text();
    const start = html.indexOf("<main");
    return html.slice(start, html.indexOf("</main>", start));
  };
  const first = await bodyOf();
  const second = await bodyOf();
  expect(second).toBe(first);
  expect(first).toContain('id="lesson-term-1"');
  expect(first).toContain('name="lesson-check-1"');

  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await gotoHydrated(page, url);
  const term = page.getByRole("button", { name: "fixture", exact: true });
  await term.click();
  await expect(term).toHaveAttribute("aria-expanded", "true");
  const note = page.locator(`#${await term.getAttribute("aria-controls")}`);
  await expect(note).toBeVisible();
  await expect(note).toContainText("a known, fixed state");
  const check = page.getByRole("group", { name: /Who prescribes ketamine/ });
  await check.getByRole("radio", { name: "The prescriber" }).check();
  await check.getByRole("button", { name: "Check answer" }).click();
  await expect(check).toContainText("Correct.");
  await expect(page.getByLabel(/What drew you to this course/)).toHaveValue("");
  // React reports a hydration mismatch as a console error (#418, #423, #425).
  expect(errors).toEqual([]);

  // References and the table of contents come with the lesson's script, also on client-side navigation.
  const data = await (await page.request.get(`${url}.data`)).text();
  expect(data).toContain("Welcome to the fixture");
  expect(data).not.toContain("A fixture reference");
  await page.getByRole("link", { name: /The second lesson/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The second lesson" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "The second idea" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Reference 1" })).toHaveAttribute("href", "#ref-fixture-source");
  await expect(page.locator("#ref-fixture-source")).toContainText("A fixture reference");
  expect(errors).toEqual([]);
});
