import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page, type Request } from "@playwright/test";
import Database from "better-sqlite3";
import { parse } from "yaml";
import { answerQuiz, E2E_DB, signUp, uniqueEmail, type QuizQuestion } from "./utils.ts";

/**
 * A new learner walks the fixture course only by the site's own links and
 * buttons (no goto, no reload after sign-up), the way a learner does: lesson to
 * lesson by the "next" link, client-side. On every lesson what the page shows
 * must agree with the server's record in the database: a lesson the server has
 * as not complete offers "Mark lesson complete" (nothing a previous lesson left
 * behind), the click is saved, and the visit is recorded by the page's POST.
 */
const COURSE_ID = "fixture-course";
const COURSE_TITLE = "Fixture Course for Tests";
const COURSE_DIR = `tests/fixtures/content/courses/${COURSE_ID}`;

type Lesson = { key: string; moduleSlug: string; slug: string; title: string };
type Module = { slug: string; title: string; lessons: Lesson[]; questions: QuizQuestion[] };

const slugOf = (name: string) => name.replace(/^\d+\./, "").replace(/\.mdx$/, "");
const readYaml = <T>(file: string): T => parse(fs.readFileSync(file, "utf8")) as T;
const frontmatter = (file: string) => parse(fs.readFileSync(file, "utf8").split(/^---$/m)[1]!) as { title: string; draft?: boolean };

/** The fixture course as a learner sees it: modules in order, their published lessons, and each quiz's key. */
const MODULES: Module[] = fs
  .readdirSync(COURSE_DIR)
  .filter((d) => /^\d+\./.test(d))
  .sort()
  .map((dir) => {
    const moduleSlug = slugOf(dir);
    const lessons = fs
      .readdirSync(path.join(COURSE_DIR, dir))
      .filter((f) => f.endsWith(".mdx"))
      .sort()
      .map((f) => ({ file: f, ...frontmatter(path.join(COURSE_DIR, dir, f)) }))
      .filter((l) => !l.draft)
      .map((l) => ({ key: `${moduleSlug}/${slugOf(l.file)}`, moduleSlug, slug: slugOf(l.file), title: l.title }));
    return {
      slug: moduleSlug,
      title: readYaml<{ title: string }>(path.join(COURSE_DIR, dir, "module.yaml")).title,
      lessons,
      questions: readYaml<{ questions: QuizQuestion[] }>(path.join(COURSE_DIR, dir, "quiz.yaml")).questions,
    };
  });

/** Reads the e2e server's database (read-only; WAL, so committed rows only). */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function userIdOf(email: string): string {
  const [user] = query<{ id: string }>("select id from users where email = ?", email.toLowerCase());
  expect(user, `no user ${email} in the database`).toBeDefined();
  return user!.id;
}

/** The server's record of one lesson for one learner, or null when it has none. */
function lessonRow(userId: string, key: string) {
  const [row] = query<{ last_seen_at: number; completed_at: number | null }>(
    "select last_seen_at, completed_at from lesson_progress where user_id = ? and course_id = ? and lesson_key = ?",
    userId,
    COURSE_ID,
    key,
  );
  return row ?? null;
}

/**
 * Progress as the database has it: steps are the lessons and quizzes pinned in the
 * learner's enrollment; a module's share is rounded, the course's rounded down (as
 * the app shows them).
 */
function recordedProgress(userId: string) {
  const [enrollment] = query<{ lesson_keys: string; quiz_modules: string }>(
    "select lesson_keys, quiz_modules from enrollments where user_id = ? and course_id = ?",
    userId,
    COURSE_ID,
  );
  if (!enrollment) return { course: 0, modules: {} as Record<string, number> };
  const lessonKeys = JSON.parse(enrollment.lesson_keys) as string[];
  const quizModules = JSON.parse(enrollment.quiz_modules) as string[];
  const done = new Set(
    query<{ lesson_key: string }>("select lesson_key from lesson_progress where user_id = ? and course_id = ? and completed_at is not null", userId, COURSE_ID).map((r) => r.lesson_key),
  );
  const passed = new Set(
    query<{ module_slug: string }>("select distinct module_slug from quiz_attempts where user_id = ? and course_id = ? and passed = 1", userId, COURSE_ID).map((r) => r.module_slug),
  );
  const modules: Record<string, number> = {};
  for (const m of MODULES) {
    const keys = lessonKeys.filter((k) => k.startsWith(`${m.slug}/`));
    const quiz = quizModules.includes(m.slug) ? 1 : 0;
    const stepsDone = keys.filter((k) => done.has(k)).length + (quiz && passed.has(m.slug) ? 1 : 0);
    modules[m.slug] = Math.round((stepsDone / (keys.length + quiz)) * 100);
  }
  const stepsDone = lessonKeys.filter((k) => done.has(k)).length + quizModules.filter((m) => passed.has(m)).length;
  return { course: Math.floor((stepsDone / (lessonKeys.length + quizModules.length)) * 100), modules };
}

/** The page's POST that records a visit to `lesson` (intent=view to /progress; a multipart form). */
function isVisitPost(lesson: Lesson) {
  return (request: Request) => {
    if (request.method() !== "POST" || new URL(request.url()).pathname !== "/progress") return false;
    const body = request.postData() ?? "";
    const field = (name: string) => new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)`).exec(body)?.[1];
    return field("intent") === "view" && field("moduleSlug") === lesson.moduleSlug && field("lessonSlug") === lesson.slug;
  };
}

/** Clicks a link to a lesson; waits for the page and for the visit its POST records (the row appears or its last_seen_at moves). */
async function followToLesson(page: Page, linkName: string | RegExp, userId: string, lesson: Lesson) {
  const seenBefore = lessonRow(userId, lesson.key)?.last_seen_at ?? 0;
  const visit = page.waitForRequest(isVisitPost(lesson));
  await page.getByRole("link", { name: linkName, exact: typeof linkName === "string" }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE_ID}/${lesson.key}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(lesson.title);
  expect((await (await visit).response())?.ok(), `the visit POST for ${lesson.key} failed`).toBe(true);
  await expect.poll(() => lessonRow(userId, lesson.key)?.last_seen_at ?? 0, { message: `visit to ${lesson.key} recorded` }).toBeGreaterThan(seenBefore);
}

/** The lesson's progress panel shows what the database holds. */
async function expectPanelAgrees(page: Page, userId: string, lesson: Lesson) {
  const recorded = recordedProgress(userId);
  await expect(page.getByRole("progressbar", { name: "Module progress" })).toHaveAttribute("aria-valuenow", String(recorded.modules[lesson.moduleSlug]));
  await expect(page.getByText(/^Course: \d+% complete$/)).toHaveText(`Course: ${recorded.course}% complete`);
}

/** On an open lesson the server has as not complete: the page offers the button, the click is saved and shown. */
async function completeOpenLesson(page: Page, userId: string, lesson: Lesson) {
  expect(lessonRow(userId, lesson.key)?.completed_at, `${lesson.key} is already complete in the database`).toBeNull();
  await expect(page.getByText("Lesson complete."), `${lesson.key} says "Lesson complete." but the database has it incomplete`).toHaveCount(0);
  await expectPanelAgrees(page, userId, lesson);
  const button = page.getByRole("button", { name: "Mark lesson complete" });
  await button.scrollIntoViewIfNeeded();
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
  await expect(button).toHaveCount(0);
  await expect.poll(() => lessonRow(userId, lesson.key)?.completed_at ?? null, { message: `${lesson.key} saved as complete` }).not.toBeNull();
  await expectPanelAgrees(page, userId, lesson);
}

/** Starts the open module's quiz from its page, answers from the fixture's key, submits, and checks the server graded it a pass. */
async function passQuiz(page: Page, userId: string, module: Module) {
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE_ID}/${module.slug}/quiz$`));
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, module.questions);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  const passed = () => query("select 1 from quiz_attempts where user_id = ? and course_id = ? and module_slug = ? and passed = 1", userId, COURSE_ID, module.slug).length;
  await expect.poll(passed, { message: `${module.slug} quiz recorded as passed` }).toBe(1);
}

async function newLearner(page: Page, name: string): Promise<string> {
  const email = uniqueEmail("walk");
  await signUp(page, { name, email, password: "walking the whole course", license: { type: "LMFT", number: "LMFT 5150", state: "CA" } });
  return userIdOf(email);
}

test("a new learner walks every module by the site's links; each lesson page agrees with the database", async ({ page }) => {
  test.setTimeout(240_000);
  const userId = await newLearner(page, "Wren Walker");
  expect(MODULES.length).toBeGreaterThanOrEqual(2);
  expect(MODULES[0]!.lessons.length).toBeGreaterThanOrEqual(2);

  // Dashboard -> course -> first lesson.
  await page.getByTestId("dashboard-course").filter({ hasText: new RegExp(`^\\s*${COURSE_TITLE}`) }).getByRole("link", { name: "See the course" }).click();
  await followToLesson(page, "Start the course", userId, MODULES[0]!.lessons[0]!);

  for (const [m, module] of MODULES.entries()) {
    for (const [l, lesson] of module.lessons.entries()) {
      if (l > 0) await followToLesson(page, `${lesson.title} →`, userId, lesson);
      else if (m > 0) {
        // From the previous quiz's result: "Continue to module N" leads to the module page and its lesson list.
        await page.getByRole("link", { name: `Continue to module ${m + 1}` }).click();
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Module ${m + 1}: ${module.title}`);
        await followToLesson(page, lesson.title, userId, lesson);
      }
      await completeOpenLesson(page, userId, lesson);
    }
    await passQuiz(page, userId, module);
  }
  await expect(page.getByRole("link", { name: "Continue to the course evaluation" })).toBeVisible();

  // What the course page and the dashboard show agrees with the server.
  const recorded = recordedProgress(userId);
  expect(recorded.course).toBe(100);
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: COURSE_TITLE }).click();
  await expect(page.getByRole("progressbar", { name: "Course progress" })).toHaveAttribute("aria-valuenow", String(recorded.course));
  for (const module of MODULES) {
    await expect(page.getByRole("progressbar", { name: `Progress in ${module.title}` })).toHaveAttribute("aria-valuenow", String(recorded.modules[module.slug]));
  }
  await page.getByRole("link", { name: "Dashboard", exact: true }).click();
  const onDashboard = page.getByTestId("dashboard-course").filter({ hasText: new RegExp(`^\\s*${COURSE_TITLE}`) });
  await expect(onDashboard.getByRole("progressbar", { name: `Progress in ${COURSE_TITLE}` })).toHaveAttribute("aria-valuenow", String(recorded.course));
  await expect(onDashboard.getByRole("link", { name: "Finish the course" })).toBeVisible();
});

test("back by the previous link, an unfinished lesson still offers its button; forward again, a finished one says so", async ({ page }) => {
  test.setTimeout(120_000);
  const userId = await newLearner(page, "Bea Backtrack");
  const [first, second] = MODULES[0]!.lessons as [Lesson, Lesson];

  await page.getByTestId("dashboard-course").filter({ hasText: new RegExp(`^\\s*${COURSE_TITLE}`) }).getByRole("link", { name: "See the course" }).click();
  await followToLesson(page, "Start the course", userId, first);
  // Leave the first lesson unfinished; finish the second.
  await followToLesson(page, `${second.title} →`, userId, second);
  await completeOpenLesson(page, userId, second);
  // Back: the second lesson's "Lesson complete." must not carry over to the first.
  await followToLesson(page, `← ${first.title}`, userId, first);
  await completeOpenLesson(page, userId, first);
  // Forward: the second lesson is complete on the server, and the page says so without a button.
  await followToLesson(page, `${second.title} →`, userId, second);
  expect(lessonRow(userId, second.key)?.completed_at).not.toBeNull();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark lesson complete" })).toHaveCount(0);
  await expectPanelAgrees(page, userId, second);
});
