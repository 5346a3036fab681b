import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { parse } from "yaml";
import { serverFiles, signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO, openFromMentorQueue } from "./utils.ts";

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

/** Records each lesson's declared minutes of a course as the learner's credited active time. */
function spendEstimatedTime(dbFile: string, email: string, courseId: string, courseDir: string) {
  const db = new Database(dbFile);
  try {
    const { id } = db.prepare("select id from users where email = ?").get(email) as { id: string };
    const insert = db.prepare(
      `insert into lesson_progress (id, user_id, course_id, lesson_key, first_seen_at, last_seen_at, active_seconds) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (user_id, course_id, lesson_key) do update set active_seconds = excluded.active_seconds`,
    );
    const at = Date.now() - 3 * 86_400_000;
    for (const mod of fs.readdirSync(courseDir).filter((d) => /^\d+\./.test(d))) {
      for (const file of fs.readdirSync(path.join(courseDir, mod)).filter((f) => f.endsWith(".mdx"))) {
        const minutes = Number(/^minutes:\s*(\d+)/m.exec(fs.readFileSync(path.join(courseDir, mod, file), "utf8"))![1]);
        const key = `${mod.replace(/^\d+\./, "")}/${file.replace(/^\d+\./, "").replace(/\.mdx$/, "")}`;
        insert.run(randomUUID(), id, courseId, key, at, at, minutes * 60);
      }
    }
  } finally {
    db.close();
  }
}


const PRACTICE_DIR = "content/courses/kap-in-practice";
const PRACTICE_TITLE = "KAP in Practice: Cases and Consultation";
const FOUNDATIONS_TITLE = "Foundations of Ketamine-Assisted Psychotherapy";

type CaseFile = { title: string; start: string; scenes: Array<{ id: string; ending?: boolean; choices?: Array<{ id: string; text: string; to: string; rating: string }> }> };

/** Plays a case by its buttons along the author's best choices (as an examiner would) to the debrief. */
async function playBestPath(page: Page, c: CaseFile) {
  await expect(page.getByRole("heading", { level: 1, name: `Case: ${c.title}` })).toBeVisible();
  await page.getByRole("button", { name: "Start the case" }).click();
  let scene = c.scenes.find((s) => s.id === c.start)!;
  while (!scene.ending) {
    const best = scene.choices!.find((ch) => ch.rating === "best")!;
    await page.getByRole("button", { name: best.text.trim().replace(/\s+/g, " "), exact: true }).click();
    scene = c.scenes.find((s) => s.id === best.to)!;
  }
  await expect(page.getByRole("heading", { level: 1, name: `Debrief: ${c.title}` })).toBeVisible();
  await expect(page.getByTestId("case-outcome")).toHaveAttribute("data-outcome", "best");
}

/** A de-identified formulation of the assignment's vignette, long enough for its 300-word minimum. */
const FORMULATION = [
  "Presenting concerns. A woman in her early 40s, a parent, has depression that has not responded to three antidepressants at adequate doses and two courses of cognitive behavioral therapy. She was referred by her primary-care physician and asks about ketamine-assisted psychotherapy.",
  "Readiness and motivation. She is motivated and her partner supports her, though the partner works nights. She hopes ketamine will reset her brain; preparation needs to set realistic expectations about what the evidence shows and about the work between sessions.",
  "Risks to raise with the prescriber. Her PHQ-9 today is 19, in the moderately severe band, with item 9 scored 1. On the C-SSRS she reports a passive wish to be dead in the past month without active ideation, and past active ideation without a plan. She describes one period of several days with little sleep, racing ideas and heavy spending that was never assessed, which the prescriber should weigh as possible bipolarity before any decision. She drinks three or four glasses of wine most evenings, which matters for safety and for screening. She prefers lozenges mailed for home use because of childcare; the setting, the product and any monitoring are medical decisions for the prescriber, and I would pass on her preference without endorsing it.",
  "Supports. A supportive partner, her primary-care physician, and a steady routine with her children.",
  "Measures. Repeat the PHQ-9 before each session and at the integration visits, review item 9 on its own every time, and repeat the C-SSRS if anything changes. A screen is not a diagnosis.",
  "Team plan and next step. With her written consent I will send the prescriber these observations before the medical evaluation, agree how we contact each other between sessions, and build a safety plan with her now. Any new active ideation, or a sign of mania, means same-day contact with the prescriber.",
].join("\n\n");
const REVISION = `${FORMULATION}\n\nRevision. I have added what I will document after each contact, and that I will not advise on dose, product or setting: I will bring her questions to the prescriber.`;

/** The criteria the assignment's rubric names, for the mentor's form. */
function rubricTitles(): string[] {
  const file = fs.readdirSync(path.join(PRACTICE_DIR, "03.after-the-session")).find((f) => f.endsWith(".assignment.yaml"))!;
  return (parse(fs.readFileSync(path.join(PRACTICE_DIR, "03.after-the-session", file), "utf8")) as { rubric: Array<{ title: string }> }).rubric.map((r) => r.title);
}

async function mentorReview(mentor: Page, learnerName: string, assignmentTitle: string, score: string, comment: string, outcome: RegExp) {
  await openFromMentorQueue(mentor, learnerName, assignmentTitle);
  const claim = mentor.getByRole("button", { name: "Claim this submission" });
  if (await claim.isVisible()) {
    await claim.click();
    await expect(mentor.getByRole("status").filter({ hasText: "Claimed" })).toBeVisible();
  }
  for (const title of rubricTitles()) await mentor.getByLabel(`Score for ${title} (0 to 3)`).selectOption(score);
  await mentor.getByLabel("Overall comment for the learner").fill(comment);
  await mentor.getByRole("radio", { name: outcome }).check();
  await mentor.getByRole("button", { name: "Save the review" }).click();
  await expect(mentor.getByRole("status").filter({ hasText: "Review saved" })).toBeVisible();
}

function recorded(dbFile: string, sql: string, ...args: unknown[]) {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

test("the demo learner completes Foundations, which opens KAP in Practice: its cases, a formulation revised for a mentor, its post-test and certificate; the admin's export holds both courses", async ({ page, browser }) => {
  test.setTimeout(480_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-demo-"));
  const server = await startServer(PORT, { NODE_ENV: "production", ...serverFiles(dir), CONTENT_DIR: "content" });
  try {
    await signInAt(page, BASE, DEMO.learner.email, DEMO.learner.password);
    const dbFile = serverFiles(dir).DATABASE_PATH;

    // Before Foundations: the catalog and the course page show the prerequisite, and the course cannot be started.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Courses" }).click();
    const listed = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: PRACTICE_TITLE }) });
    await expect(listed).toContainText(`Prerequisite: ${FOUNDATIONS_TITLE} (not yet completed)`);
    await listed.getByRole("link", { name: PRACTICE_TITLE }).click();
    await expect(page.getByRole("region", { name: "Prerequisite" })).toContainText(`${FOUNDATIONS_TITLE} · not yet completed`);
    await expect(page.getByRole("link", { name: "Start the course" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: `Complete “${FOUNDATIONS_TITLE}” first` })).toBeVisible();
    // Reading the course takes hours; here the learner has already spent each lesson's estimated
    // minutes on it (the server's time-on-task record, arranged in its database). The wait itself
    // is tested on the fixture course (learning.test.ts).
    spendEstimatedTime(dbFile, DEMO.learner.email, "kap-foundations", COURSE_DIR);

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

    // KAP in Practice is open now; the learner starts it from the catalog.
    spendEstimatedTime(dbFile, DEMO.learner.email, "kap-in-practice", PRACTICE_DIR);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Courses" }).click();
    await expect(listed).toContainText(`Prerequisite: ${FOUNDATIONS_TITLE} (completed)`);
    await listed.getByRole("link", { name: PRACTICE_TITLE }).click();
    await expect(page.getByRole("region", { name: "Prerequisite" })).toContainText(`${FOUNDATIONS_TITLE} · completed`);
    await expect(page.getByRole("link", { name: "Start the course" })).toBeVisible();

    // Each module from its page: lessons marked complete, cases played to their debriefs, the formulation submitted.
    const practiceModules = fs.readdirSync(PRACTICE_DIR).filter((d) => /^\d+\./.test(d)).sort();
    const caseTitles: string[] = [];
    let assignmentTitle = "";
    let formulation = { moduleTitle: "", lessonTitle: "" };
    for (const [i, mod] of practiceModules.entries()) {
      const moduleTitle = (parse(fs.readFileSync(path.join(PRACTICE_DIR, mod, "module.yaml"), "utf8")) as { title: string }).title;
      await page.getByRole("region", { name: "Outline" }).getByRole("link", { name: moduleTitle, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Module ${i + 1}: ${moduleTitle}`);
      const steps = fs.readdirSync(path.join(PRACTICE_DIR, mod)).filter((f) => /^\d+\..*\.(mdx|case\.yaml)$/.test(f)).sort();
      for (const file of steps) {
        const text = fs.readFileSync(path.join(PRACTICE_DIR, mod, file), "utf8");
        if (file.endsWith(".case.yaml")) {
          const c = parse(text) as CaseFile;
          caseTitles.push(c.title);
          await page.getByRole("link", { name: c.title, exact: true }).click();
          await playBestPath(page, c);
          await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Module", exact: true }).click();
          continue;
        }
        const title = /^title:\s*"?(.+?)"?\s*$/m.exec(text)![1]!;
        await page.getByRole("link", { name: title, exact: true }).click();
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
        const button = page.getByRole("button", { name: "Mark lesson complete" });
        await button.scrollIntoViewIfNeeded();
        await button.click();
        await expect(page.getByText("Lesson complete.")).toBeVisible();
        const assignment = path.join(PRACTICE_DIR, mod, file.replace(/\.mdx$/, ".assignment.yaml"));
        if (fs.existsSync(assignment)) {
          assignmentTitle = (parse(fs.readFileSync(assignment, "utf8")) as { title: string }).title;
          formulation = { moduleTitle, lessonTitle: title };
          await page.getByRole("link", { name: "Open the assignment" }).click();
          await expect(page.getByRole("heading", { name: assignmentTitle, level: 1 })).toBeVisible();
          await page.getByLabel(/Your text/).fill(FORMULATION);
          await page.getByRole("button", { name: "Submit for review" }).click();
          await expect(page.getByRole("status").filter({ hasText: "Version 1 was submitted" })).toBeVisible();
          await page.getByRole("link", { name: "Back to the lesson" }).click();
        }
        await page.getByRole("complementary", { name: "Lesson contents" }).getByRole("link", { name: `Module ${i + 1}: ${moduleTitle}` }).click();
      }
      if (fs.existsSync(path.join(PRACTICE_DIR, mod, "quiz.yaml"))) {
        // Attestation needs the formulation approved: the mentor asks for a revision first, then approves it.
        const mentorContext = await browser.newContext();
        const mentor = await mentorContext.newPage();
        await signInAt(mentor, BASE, DEMO.mentor.email, DEMO.mentor.password);
        await mentorReview(mentor, DEMO.learner.name, assignmentTitle, "2", "Say what you will document, and keep dose questions with the prescriber.", /^Revise/);
        await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: PRACTICE_TITLE }).click();
        await page.getByRole("region", { name: "Outline" }).getByRole("link", { name: formulation.moduleTitle, exact: true }).click();
        await page.getByRole("link", { name: formulation.lessonTitle, exact: true }).click();
        await page.getByRole("link", { name: "Open the assignment" }).click();
        await expect(page.getByTestId("thread-version").first().getByTestId("thread-review")).toContainText("Outcome: Revise");
        await page.getByLabel(/Your text/).fill(REVISION);
        await page.getByRole("button", { name: "Submit the revision" }).click();
        await expect(page.getByRole("status").filter({ hasText: "Version 2 was submitted" })).toBeVisible();
        await mentorReview(mentor, DEMO.learner.name, assignmentTitle, "3", "Meets the standard: clear risks, scope and plan.", /Meets the standard/);
        await mentorContext.close();
        expect(recorded(dbFile, "select s.version, s.status from assignment_submissions s join users u on u.id = s.user_id where u.email = ? and s.course_id = 'kap-in-practice' order by s.version", DEMO.learner.email)).toEqual([
          { version: 1, status: "revise" },
          { version: 2, status: "approved" },
        ]);
        await page.getByRole("link", { name: "Back to the lesson" }).click();
        await page.getByRole("complementary", { name: "Lesson contents" }).getByRole("link", { name: PRACTICE_TITLE }).click();
        await page.getByRole("region", { name: "Outline" }).getByRole("link", { name: moduleTitle, exact: true }).click();

        // The post-test, answered from the course's own key.
        const bank = parse(fs.readFileSync(path.join(PRACTICE_DIR, mod, "quiz.yaml"), "utf8")) as { questions: Question[] };
        await page.getByRole("link", { name: "take the module quiz" }).click();
        await page.getByRole("button", { name: "Start the quiz" }).click();
        await answerAll(page, bank.questions);
        await page.getByRole("button", { name: "Submit answers" }).click();
        await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
        await page.getByRole("link", { name: "Continue to the course evaluation" }).click();
      } else {
        await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: PRACTICE_TITLE }).click();
      }
    }
    expect(caseTitles.length).toBeGreaterThanOrEqual(5);
    expect(recorded(dbFile, "select r.status, r.outcome from case_runs r join users u on u.id = r.user_id where u.email = ? and r.course_id = 'kap-in-practice'", DEMO.learner.email)).toEqual(
      caseTitles.map(() => ({ status: "finished", outcome: "best" })),
    );

    await expect(page.getByRole("heading", { level: 1 })).toContainText("evaluation");
    for (const group of await page.locator("fieldset.field").all()) await group.getByRole("radio").nth(3).check();
    await page.getByRole("button", { name: "Submit evaluation" }).click();
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Sign and complete the course" }).click();
    await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
    await expect(page.getByText(/earned\s+2.5 CE hours/)).toBeVisible();
    await page.getByRole("link", { name: "View your certificate" }).click();
    await expect(page.getByText(PRACTICE_TITLE).first()).toBeVisible();
    const completions = recorded(dbFile, "select c.course_id, c.ce_hours, k.public_id, k.status from completions c join certificates k on k.completion_id = c.id join users u on u.id = c.user_id where u.email = ? order by c.course_id", DEMO.learner.email);
    expect(completions.map((c) => [c.course_id, c.ce_hours, c.status])).toEqual([["kap-foundations", 7.75, "valid"], ["kap-in-practice", 2.5, "valid"]]);
    await expect(page).toHaveURL(new RegExp(`/certificates/${completions[1]!.public_id}$`));

    // The admin's CSV export holds both courses' records for this learner, as the database does.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signInAt(admin, BASE, DEMO.admin.email, DEMO.admin.password);
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Administration" }).click();
    await admin.getByRole("link", { name: "Completions", exact: true }).first().click();
    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "CSV", exact: true }).click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    // One row per certificate and license held: the demo learner holds two licenses.
    const rows = csv.split("\r\n").filter((line) => line.includes(DEMO.learner.email));
    expect(rows).toHaveLength(completions.length * 2);
    for (const c of completions) {
      const mine = rows.filter((r) => r.startsWith(`${String(c.public_id)},`));
      expect(mine.map((r) => r.includes(`,${String(c.course_id)},${c.course_id === "kap-in-practice" ? PRACTICE_TITLE : FOUNDATIONS_TITLE},`))).toEqual([true, true]);
    }
    await adminContext.close();
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
