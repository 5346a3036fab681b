import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { revokeCertificate } from "#app/certificates/certificates.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { loadCatalog } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";
import { loader as catalogLoader } from "#app/routes/courses._index.tsx";
import { loader as coursePage } from "#app/routes/courses.$courseId._index.tsx";
import { loader as lessonPage } from "#app/routes/courses.$courseId.$moduleSlug.$lessonSlug.tsx";
import { loader as modulePage } from "#app/routes/courses.$courseId.$moduleSlug._index.tsx";
import { loader as attemptPage } from "#app/routes/courses.$courseId.$moduleSlug.quiz.$attemptId.tsx";
import { action as quizAction } from "#app/routes/courses.$courseId.$moduleSlug.quiz._index.tsx";
import { action as progressAction } from "#app/routes/progress.ts";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse, completeModuleLessons, testClock } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

/**
 * Prerequisites: fixture-advanced builds on fixture-course. A learner without a
 * valid fixture-course certificate sees the course and its prerequisite but
 * cannot start it (pages send them to the course page, posts are refused and
 * write nothing); the certificate opens it, and its revocation closes it again.
 */
const LESSON = { courseId: "fixture-advanced", moduleSlug: "next", lessonSlug: "deeper" };
const LESSON_PATH = "/courses/fixture-advanced/next/deeper";

type CoursePage = Awaited<ReturnType<typeof coursePage>>;
type CatalogPage = Awaited<ReturnType<typeof catalogLoader>>;

const rowsFor = (userId: string, table: string) =>
  (getDb().$client.prepare(`select count(*) n from ${table} where user_id = ? and course_id = 'fixture-advanced'`).get(userId) as { n: number }).n;

const lessonAs = (cookie: string) => run(lessonPage, getRequest(LESSON_PATH, cookie), undefined, LESSON);
const courseAs = (cookie?: string) => run<CoursePage>(coursePage, getRequest("/courses/fixture-advanced", cookie), undefined, { courseId: "fixture-advanced" });
const viewAs = (cookie: string) => run<{ ok: boolean; message?: string }>(progressAction, formRequest("/progress", { intent: "view", ...LESSON }, { cookie }));

describe("a course with a prerequisite", () => {
  test("without the prerequisite: the course page and catalog show it, lesson and module pages go to the course page, a post is refused and writes nothing", async () => {
    const me = await createSignedInUser();
    const page = await courseAs(me.cookie);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ locked: true, prerequisites: [{ id: "fixture-course", title: "Fixture Course for Tests", met: false }] });

    const catalog = await run<CatalogPage>(catalogLoader, getRequest("/courses", me.cookie));
    expect(catalog.data!.courses.find((c) => c.id === "fixture-advanced")!.prerequisites).toEqual([{ id: "fixture-course", title: "Fixture Course for Tests", met: false }]);
    expect(catalog.data!.courses.find((c) => c.id === "fixture-course")!.prerequisites).toEqual([]);
    // Anonymous visitors see the prerequisite too, without a status of their own.
    expect((await courseAs()).data).toMatchObject({ locked: false, signedIn: false, prerequisites: [{ id: "fixture-course", met: false }] });

    const lesson = await lessonAs(me.cookie);
    expect(lesson.status).toBe(302);
    expect(lesson.headers.get("Location")).toBe("/courses/fixture-advanced");
    const module = await run(modulePage, getRequest("/courses/fixture-advanced/next", me.cookie), undefined, { courseId: "fixture-advanced", moduleSlug: "next" });
    expect(module.headers.get("Location")).toBe("/courses/fixture-advanced");

    const view = await viewAs(me.cookie);
    expect(view.status).toBe(403);
    expect(view.data!.message).toBe("This course builds on “Fixture Course for Tests”: complete it and receive the certificate first.");
    const quiz = await run<{ message: string }>(quizAction, formRequest("/courses/fixture-advanced/post-test/quiz", { intent: "start" }, { cookie: me.cookie }), undefined, { courseId: "fixture-advanced", moduleSlug: "post-test" });
    expect(quiz.status).toBe(403);
    expect(rowsFor(me.user.id, "enrollments")).toBe(0);
    expect(rowsFor(me.user.id, "lesson_progress")).toBe(0);
    expect(rowsFor(me.user.id, "quiz_attempts")).toBe(0);
  });

  test("the prerequisite's certificate opens the course; revoking it closes the course again", async () => {
    const me = await createSignedInUser();
    await completeFixtureCourse(me.user.id);
    expect((await courseAs(me.cookie)).data).toMatchObject({ locked: false, prerequisites: [{ id: "fixture-course", met: true }] });
    expect((await lessonAs(me.cookie)).status).toBe(200);
    expect((await viewAs(me.cookie)).status).toBe(200);
    expect(rowsFor(me.user.id, "enrollments")).toBe(1);

    const admin = await createUser({ role: "admin" });
    const cert = getDb().$client.prepare("select id from certificates where user_id = ? and course_id = 'fixture-course'").get(me.user.id) as { id: string };
    expect((await revokeCertificate(admin.id, cert.id, { publicReason: "Issued in error.", internalNote: "test" })).ok).toBe(true);
    expect((await courseAs(me.cookie)).data).toMatchObject({ locked: true, prerequisites: [{ id: "fixture-course", met: false }] });
    expect((await lessonAs(me.cookie)).status).toBe(302);
  });

  test("attestation is refused while the prerequisite is not met, even when everything else is done", async () => {
    const me = await createUser();
    const course = await completeFixtureCourse(me.id, { courseId: "fixture-advanced", attest: false });
    const refused = await attestAndComplete(me.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" });
    expect(refused).toEqual({ ok: false, status: 409, message: "This course builds on “Fixture Course for Tests”: complete it and receive the certificate first." });
    expect(rowsFor(me.id, "completions")).toBe(0);

    await completeFixtureCourse(me.id);
    const done = await attestAndComplete(me.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" });
    expect(done.ok ? "ok" : done.message).toBe("ok");
    expect(rowsFor(me.id, "certificates")).toBe(1);
  });

  test("authors preview the course without its prerequisite", async () => {
    const author = await createSignedInUser({ role: "author" });
    expect((await courseAs(author.cookie)).data).toMatchObject({ locked: false });
    expect((await lessonAs(author.cookie)).status).toBe(200);
  });
});

describe("a post-test covering earlier modules", () => {
  test("a missed item sends the learner back to the lesson in the module it names", async () => {
    const me = await createSignedInUser();
    await completeFixtureCourse(me.user.id);
    const course = (await findCourse("fixture-advanced"))!;
    expect(course.modules.map((m) => [m.slug, Boolean(m.quiz)])).toEqual([["next", false], ["post-test", true]]);
    const clock = testClock();
    await completeModuleLessons(me.user.id, course, "post-test", clock);
    // The post-test's items test module "next": it stays locked until that module's lessons are complete too.
    expect(course.modules[1]!.quiz!.covers).toEqual(["next"]);
    const early = await run<{ message: string }>(quizAction, formRequest("/courses/fixture-advanced/post-test/quiz", { intent: "start" }, { cookie: me.cookie }), undefined, { courseId: "fixture-advanced", moduleSlug: "post-test" });
    expect(early.status).toBe(409);
    expect(early.data!.message).toBe("Complete the 1 remaining lesson of the modules this quiz covers to unlock the quiz.");
    expect(rowsFor(me.user.id, "quiz_attempts")).toBe(0);
    await completeModuleLessons(me.user.id, course, "next", clock);
    const started = await startAttempt(me.user.id, course, "post-test", clock.now());
    if (!started.ok) throw new Error(started.message);
    const wrong = Object.fromEntries(started.attempt.questions.map((q) => [q.id, [(q.options ?? []).find((o) => ![q.answer].flat().includes(o.id))!.id]]));
    await submitAttempt(me.user.id, started.attempt.id, wrong, clock.advance(60));
    const result = await run<{ attempt: { questions: Array<{ restudy: { href: string; title: string } | null }> } }>(
      attemptPage,
      getRequest(`/courses/fixture-advanced/post-test/quiz/${started.attempt.id}`, me.cookie),
      undefined,
      { courseId: "fixture-advanced", moduleSlug: "post-test", attemptId: started.attempt.id },
    );
    expect(result.data!.attempt.questions.map((q) => q.restudy)).toEqual([
      { href: "/courses/fixture-advanced/next/deeper", title: "Going deeper" },
      { href: "/courses/fixture-advanced/next/deeper", title: "Going deeper" },
    ]);
  });
});

describe("content:check on prerequisites, untested modules, case minutes and the time minimum", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kap-prereq-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function contentCopy(edit: (courses: string) => void): string {
    const dir = fs.mkdtempSync(path.join(root, "content-"));
    fs.cpSync("tests/fixtures/content", dir, { recursive: true });
    edit(path.join(dir, "courses"));
    return dir;
  }
  function replaceIn(file: string, from: string | RegExp, to: string) {
    const text = fs.readFileSync(file, "utf8");
    expect(text).toMatch(from);
    fs.writeFileSync(file, text.replace(from, to));
  }
  const problemsOf = async (dir: string) => (await loadCatalog(dir, new Map())).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`);
  const rel = (dir: string, file: string) => path.relative(process.cwd(), path.join(dir, file)).split(path.sep).join("/");

  test("unknown, repeated, self and circular prerequisites are errors at their lines", async () => {
    const dir = contentCopy((c) => {
      replaceIn(path.join(c, "fixture-advanced/course.yaml"), "prerequisites: [fixture-course]", "prerequisites:\n  - fixture-course\n  - no-such-course\n  - fixture-course\n  - fixture-advanced");
      replaceIn(path.join(c, "fixture-cases/course.yaml"), "level: introductory", "level: introductory\nprerequisites: [fixture-course]");
      replaceIn(path.join(c, "fixture-course/course.yaml"), /^level: .*$/m, "$&\nprerequisites: [fixture-cases]");
    });
    const problems = await problemsOf(dir);
    const advanced = rel(dir, "courses/fixture-advanced/course.yaml");
    expect(problems).toContain(`${advanced}:12:5: error: prerequisites[1]: "no-such-course" is not a course id in the catalog (fixture-advanced, fixture-cases, fixture-course)`);
    expect(problems).toContain(`${advanced}:13:5: error: prerequisites[2]: "fixture-course" is listed twice`);
    expect(problems).toContain(`${advanced}:14:5: error: prerequisites[3]: a course cannot be its own prerequisite`);
    expect(problems.filter((p) => p.includes("through its own prerequisites"))).toEqual([
      `${rel(dir, "courses/fixture-cases/course.yaml")}:8:17: error: prerequisites[0]: "fixture-course" itself requires fixture-cases, through its own prerequisites: no one could start either course`,
      expect.stringMatching(/fixture-course\/course\.yaml:\d+:\d+: error: prerequisites\[0\]: "fixture-cases" itself requires fixture-course/),
    ]);
  });

  test("a module without a quiz is an error unless a later post-test has items on its lessons", async () => {
    const dir = contentCopy((c) => replaceIn(path.join(c, "fixture-advanced/02.post-test/quiz.yaml"), /lesson: next\/deeper/g, "lesson: before-the-test"));
    expect(await problemsOf(dir)).toContain(
      `${rel(dir, "courses/fixture-advanced/01.next")}:1:1: error: this module has no quiz.yaml, and no later module's quiz has items on its lessons (every module is tested: by its own quiz, or by a post-test item with lesson: module/lesson)`,
    );
    const unknown = contentCopy((c) => replaceIn(path.join(c, "fixture-advanced/02.post-test/quiz.yaml"), "lesson: next/deeper", "lesson: next/no-such-lesson"));
    expect((await problemsOf(unknown)).some((p) => /quiz\.yaml:14:5: error: questions\[0\]\.lesson: "next\/no-such-lesson" is not a lesson of this module \(before-the-test\) nor, as module\/lesson, of another module/.test(p))).toBe(true);
  });

  test("a case's minutes far from its estimate is a warning at the line", async () => {
    const dir = contentCopy((c) => replaceIn(path.join(c, "fixture-cases/01.consult/02.second-lozenge.case.yaml"), "minutes: 3", "minutes: 12"));
    expect((await problemsOf(dir)).filter((p) => p.includes("second-lozenge.case.yaml"))).toEqual([
      expect.stringMatching(/second-lozenge\.case\.yaml:2:1: warning: minutes: 12 is far from the [\d.]+ minutes one play-through supports \(its best path at 200 words per minute plus 1 per decision\)$/),
    ]);
  });

  test("a course minimum the lessons' minutes cannot reach is an error", async () => {
    const dir = contentCopy((c) => replaceIn(path.join(c, "fixture-advanced/course.yaml"), "courseMinimum: 0.003", "courseMinimum: 0.2"));
    expect(await problemsOf(dir)).toContain(
      `${rel(dir, "courses/fixture-advanced/course.yaml")}:33:3: error: creditPolicy.courseMinimum: 0.2 of 0.25 CE hours needs 3 minutes of lesson time, but the lessons declare 2 minutes in all: lower courseMinimum or check the lessons' minutes`,
    );
  });
});
