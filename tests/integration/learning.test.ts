import { describe, expect, test } from "vitest";
import { findCourse } from "#app/content/catalog.server.ts";
import { formatDuration } from "#app/content/format.ts";
import { closeDb, getDb } from "#app/db/client.server.ts";
import { attestAndComplete, getCompletionStatus, submitEvaluation } from "#app/progress/completion.server.ts";
import { getCourseProgress, recordHeartbeat, recordLessonView } from "#app/progress/lessons.server.ts";
import { ensureEnrollment } from "#app/progress/enrollment.server.ts";
import { getQuizState, startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";
import { action as quizAction, loader as quizLoader } from "#app/routes/courses.$courseId.$moduleSlug.quiz._index.tsx";
import { loader as resultLoader } from "#app/routes/courses.$courseId.$moduleSlug.quiz.$attemptId.tsx";
import { action as progressAction } from "#app/routes/progress.ts";
import { countRows, createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeModuleLessons, readLesson, testClock } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

const course = (await findCourse("fixture-course"))!;
const quizParams = { courseId: "fixture-course", moduleSlug: "basics" };

/** Reads each lesson of the module for its minimum time (on a clock that ends now) and marks it complete. */
async function finishLessons(userId: string, moduleSlug = "basics") {
  await completeModuleLessons(userId, course, moduleSlug, testClock(new Date(Date.now() - 3_600_000)));
}

/** Answers from the attempt's own key (right) or the first other option (wrong). */
function answersFor(attempt: { questions: Array<{ id: string; answer: string[]; options: Array<{ id: string }> }> }, right: boolean) {
  return Object.fromEntries(attempt.questions.map((q) => [q.id, right ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))!.id]]));
}

function answerForm(attemptId: string, answers: Record<string, string[]>) {
  const fields: Record<string, string[] | string> = { intent: "submit", attemptId };
  for (const [id, values] of Object.entries(answers)) fields[`q-${id}`] = values;
  return fields;
}

describe("quiz attempts", () => {
  test("a quiz is locked until every lesson of its module is complete", async () => {
    const user = await createUser();
    expect((await startAttempt(user.id, course, "basics")).ok).toBe(false);
    await finishLessons(user.id);
    expect((await startAttempt(user.id, course, "basics")).ok).toBe(true);
  });

  test("a double start resumes the same attempt", async () => {
    const user = await createUser();
    await finishLessons(user.id);
    const [a, b] = await Promise.all([startAttempt(user.id, course, "basics"), startAttempt(user.id, course, "basics")]);
    expect(a.ok && b.ok && a.attempt.id === b.attempt.id).toBe(true);
    expect(getDb().$client.prepare("select count(*) as n from quiz_attempts where user_id = ?").get(user.id)).toEqual({ n: 1 });
  });

  test("submitting twice (double click, two tabs, replay) records one graded attempt", async () => {
    const { user, cookie } = await createSignedInUser();
    await finishLessons(user.id);
    const started = await startAttempt(user.id, course, "basics");
    if (!started.ok) throw new Error(started.message);
    const fields = answerForm(started.attempt.id, answersFor(started.attempt, true));
    const results = await Promise.all([1, 2, 3].map(() => run(quizAction, formRequest("/courses/fixture-course/basics/quiz", fields, { cookie }), undefined, quizParams)));
    for (const r of results) expect(r.headers.get("Location")).toBe(`/courses/fixture-course/basics/quiz/${started.attempt.id}`);
    const state = await getQuizState(user.id, course, "basics");
    expect(state.history).toHaveLength(1);
    expect(state.passed).toBe(true);
  });

  test("bad input is refused with a clear message and writes nothing", async () => {
    const { user, cookie } = await createSignedInUser();
    await finishLessons(user.id);
    const started = await startAttempt(user.id, course, "basics");
    if (!started.ok) throw new Error(started.message);
    const a = started.attempt;
    const cases: Array<[Record<string, string | string[]>, RegExp]> = [
      [answerForm(a.id, { ...answersFor(a, true), [a.questions[0]!.id]: ["not-an-option"] }), /Question 1 has an answer that is not one of its options/],
      [answerForm(a.id, { [a.questions[0]!.id]: a.questions[0]!.answer }), /Answer every question before submitting: questions 2, 3 have no answer/],
      [answerForm(a.id, { ...answersFor(a, true), "made-up": ["a"] }), /not part of this attempt/],
      [{ intent: "submit" }, /missing its attempt/],
      [{ intent: "explode" }, /Unknown quiz action/],
    ];
    for (const [fields, message] of cases) {
      const before = JSON.stringify(getDb().$client.prepare("select * from quiz_attempts where user_id = ?").all(user.id));
      const res = await run<{ message: string }>(quizAction, formRequest("/courses/fixture-course/basics/quiz", fields, { cookie }), undefined, quizParams);
      expect(res.status).toBe(400);
      expect(res.data?.message).toMatch(message);
      expect(JSON.stringify(getDb().$client.prepare("select * from quiz_attempts where user_id = ?").all(user.id))).toBe(before);
    }
    const other = await createSignedInUser();
    const foreign = await run<{ message: string }>(quizAction, formRequest("/courses/fixture-course/basics/quiz", answerForm(a.id, answersFor(a, true)), { cookie: other.cookie }), undefined, quizParams);
    expect(foreign.status).toBe(404);
  });

  test("an attempt replays exactly as it was seen, with the learner's answers and (failed, fixture policy after-pass) no key", async () => {
    const { user, cookie } = await createSignedInUser();
    await finishLessons(user.id);
    await run(quizAction, formRequest("/courses/fixture-course/basics/quiz", { intent: "start" }, { cookie }), undefined, quizParams);
    const page = await run<{ open: { id: string; questions: Array<{ id: string; prompt: string; options: Array<{ id: string; text: string }> }> } }>(quizLoader, getRequest("/courses/fixture-course/basics/quiz", cookie), undefined, quizParams);
    const seen = page.data!.open;
    expect(JSON.stringify(page.data)).not.toMatch(/"answer"|"explanation"|"key"/);

    const attempt = (await getQuizState(user.id, course, "basics")).open!;
    await submitAttempt(user.id, seen.id, answersFor(attempt, false));
    const review = await run<{ attempt: { questions: Array<{ id: string; type: string; prompt: string; options: Array<{ id: string; text: string; chosen: boolean; key: boolean }> }> } }>(resultLoader, getRequest(`/courses/fixture-course/basics/quiz/${seen.id}`, cookie), undefined, { ...quizParams, attemptId: seen.id });
    const replay = review.data!.attempt.questions;
    expect(replay.map((q) => ({ id: q.id, type: q.type, prompt: q.prompt, options: q.options.map((o) => ({ id: o.id, text: o.text })) }))).toEqual(seen.questions);
    expect(replay.every((q) => q.options.every((o) => !o.key))).toBe(true);
    expect(replay.every((q) => q.options.filter((o) => o.chosen).length === 1)).toBe(true);
  });

  test("the attempt limit is enforced (fixture: 3 attempts)", async () => {
    const user = await createUser();
    await finishLessons(user.id);
    for (let i = 0; i < 3; i++) {
      const s = await startAttempt(user.id, course, "basics");
      if (!s.ok) throw new Error(s.message);
      await submitAttempt(user.id, s.attempt.id, answersFor(s.attempt, false));
    }
    const fourth = await startAttempt(user.id, course, "basics");
    expect(fourth).toEqual({ ok: false, message: "You have used all 3 attempts for this quiz. Contact your CE administrator." });
  });
});

describe("progress", () => {
  const seconds = (beat: Awaited<ReturnType<typeof recordHeartbeat>>) => (beat.ok ? beat.activeSeconds : -1);

  test("heartbeats credit active time only while beats keep coming", async () => {
    const user = await createUser();
    const t0 = new Date("2026-11-01T10:00:00Z");
    await recordLessonView(user.id, course, "basics", "welcome", t0);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    await recordHeartbeat(user.id, course, "basics", "welcome", at(30));
    await recordHeartbeat(user.id, course, "basics", "welcome", at(60));
    // Away for 20 minutes: the gap is not counted.
    await recordHeartbeat(user.id, course, "basics", "welcome", at(60 + 1200));
    const last = await recordHeartbeat(user.id, course, "basics", "welcome", at(60 + 1230));
    expect(seconds(last)).toBe(90);
  });

  test("two lessons beating at once earn the time that passed once, not twice", async () => {
    const user = await createUser();
    const t0 = new Date("2026-11-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    await recordLessonView(user.id, course, "basics", "welcome", t0);
    await recordLessonView(user.id, course, "basics", "second-lesson", at(1));
    // Two tabs, each beating every 30 s, 15 s apart, for two minutes.
    for (let s = 30; s <= 120; s += 30) {
      await recordHeartbeat(user.id, course, "basics", "welcome", at(s));
      await recordHeartbeat(user.id, course, "basics", "second-lesson", at(s + 15));
    }
    const progress = await getCourseProgress(user.id, course);
    const welcome = progress.lessonSeconds.get("basics/welcome")!;
    const second = progress.lessonSeconds.get("basics/second-lesson")!;
    // 135 s passed between the first view and the last beat; together they earned no more.
    expect(welcome + second).toBeLessThanOrEqual(135);
    expect(welcome + second).toBeGreaterThanOrEqual(120);
    expect(progress.activeSeconds).toBe(welcome + second);
  });

  test("four tabs beating for 20 s earn 20 s between them", async () => {
    const user = await createUser();
    const t0 = new Date("2026-11-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const lessons = [["basics", "welcome"], ["basics", "second-lesson"], ["practice", "case-work"], ["basics", "welcome"]] as const;
    for (const [m, l] of lessons) await recordLessonView(user.id, course, m, l, t0);
    for (let s = 5; s <= 20; s += 5) for (const [m, l] of lessons) await recordHeartbeat(user.id, course, m, l, at(s));
    expect((await getCourseProgress(user.id, course)).activeSeconds).toBe(20);
  });

  test("a beat that comes early earns only the time that passed; one without a view earns nothing", async () => {
    const user = await createUser();
    const t0 = new Date("2026-11-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    await recordLessonView(user.id, course, "basics", "welcome", t0);
    expect(seconds(await recordHeartbeat(user.id, course, "basics", "welcome", at(4)))).toBe(4);
    expect(seconds(await recordHeartbeat(user.id, course, "basics", "welcome", at(4.5)))).toBe(4);
    // The half second is not lost: the clock moved by whole credited seconds only.
    expect(seconds(await recordHeartbeat(user.id, course, "basics", "welcome", at(7)))).toBe(7);
    expect(await recordHeartbeat(user.id, course, "practice", "case-work", at(10))).toEqual({ ok: false });
  });

  test("a lesson cannot be marked complete before its minimum time; the refusal writes nothing", async () => {
    const { user, cookie } = await createSignedInUser();
    const lesson = course.modules[0]!.lessons.find((l) => l.slug === "second-lesson")!;
    expect(lesson.minimumSeconds).toBe(3);
    const t0 = new Date(Date.now() - 60_000);
    await recordLessonView(user.id, course, "basics", "second-lesson", t0);
    await recordHeartbeat(user.id, course, "basics", "second-lesson", new Date(t0.getTime() + 2_000));
    const before = JSON.stringify(getDb().$client.prepare("select * from lesson_progress where user_id = ?").all(user.id));
    const refused = await run<{ ok: boolean; message: string; time: { remainingSeconds: number; canComplete: boolean } }>(
      progressAction,
      formRequest("/progress", { intent: "complete", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "second-lesson" }, { cookie }),
    );
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ ok: false, time: { remainingSeconds: 1, canComplete: false } });
    expect(refused.data?.message).toBe("This lesson can be marked complete after about 1 more second of reading time. Time is counted while the lesson is open and you are active on it.");
    expect(JSON.stringify(getDb().$client.prepare("select * from lesson_progress where user_id = ?").all(user.id))).toBe(before);
    // A never-opened lesson with a minimum is refused too, and no row appears.
    const unopened = await createSignedInUser();
    await run(progressAction, formRequest("/progress", { intent: "complete", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "second-lesson" }, { cookie: unopened.cookie }));
    expect(getDb().$client.prepare("select count(*) as n from lesson_progress where user_id = ?").get(unopened.user.id)).toEqual({ n: 0 });
    expect(getDb().$client.prepare("select count(*) as n from enrollments where user_id = ?").get(unopened.user.id)).toEqual({ n: 0 });

    // One more second, and the server agrees.
    const beat = await recordHeartbeat(user.id, course, "basics", "second-lesson", new Date(t0.getTime() + 3_000));
    expect(beat).toMatchObject({ ok: true, canComplete: true, remainingSeconds: 0 });
    const done = await run(progressAction, formRequest("/progress", { intent: "complete", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "second-lesson" }, { cookie }));
    expect(done.status).toBe(200);
    expect((await getCourseProgress(user.id, course)).completedLessons.has("basics/second-lesson")).toBe(true);
  });

  test("the learner resumes at the lesson they were last on, by view or heartbeat", async () => {
    const user = await createUser();
    const t0 = new Date("2026-11-01T10:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    expect((await getCourseProgress(user.id, course)).lastLessonKey).toBeNull();
    await recordLessonView(user.id, course, "basics", "welcome", t0);
    await recordLessonView(user.id, course, "basics", "second-lesson", at(60));
    expect((await getCourseProgress(user.id, course)).lastLessonKey).toBe("basics/second-lesson");
    // Back to the first lesson, and still reading it 30 s later.
    await recordLessonView(user.id, course, "basics", "welcome", at(120));
    await recordHeartbeat(user.id, course, "basics", "welcome", at(150));
    expect((await getCourseProgress(user.id, course)).lastLessonKey).toBe("basics/welcome");
    await recordLessonView(user.id, course, "practice", "case-work", at(200));
    expect((await getCourseProgress(user.id, course)).lastLessonKey).toBe("practice/case-work");
  });

  test("without JavaScript, marking a lesson complete posts the form and returns to the lesson", async () => {
    const { user, cookie } = await createSignedInUser();
    const request = formRequest("/progress", { intent: "complete", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "welcome" }, { cookie, headers: { "Sec-Fetch-Mode": "navigate" } });
    const done = await run(progressAction, request);
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/courses/fixture-course/basics/welcome");
    expect((await getCourseProgress(user.id, course)).completedLessons.has("basics/welcome")).toBe(true);
  });

  test("the progress action refuses malformed input without a write", async () => {
    const { cookie } = await createSignedInUser();
    const before = countRows("lesson_progress");
    const bad = await run<{ message: string }>(progressAction, formRequest("/progress", { intent: "teleport", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "welcome" }, { cookie }));
    expect(bad.status).toBe(400);
    expect(bad.data?.message).toBe("Unknown progress action.");
    const missing = await run(progressAction, formRequest("/progress", { intent: "complete", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "nope" }, { cookie }));
    expect(missing.status).toBe(404);
    expect(countRows("lesson_progress")).toBe(before);
  });

  test("the denominator is pinned at enrollment: a lesson added later does not lower progress", async () => {
    const user = await createUser();
    await finishLessons(user.id);
    const before = await getCourseProgress(user.id, course);
    const changed = structuredClone(course);
    changed.version = "changed";
    changed.modules[0]!.lessons.push({ ...changed.modules[0]!.lessons[0]!, slug: "brand-new", draft: false });
    const after = await getCourseProgress(user.id, changed);
    expect(after.percent).toBe(before.percent);
    expect(after.courseChanged).toBe(true);
    expect(after.percent).toBeLessThanOrEqual(100);
  });

  test("progress survives a restart (a new database connection)", async () => {
    const user = await createUser();
    await finishLessons(user.id);
    const before = await getCourseProgress(user.id, course);
    closeDb();
    const after = await getCourseProgress(user.id, course);
    expect([...after.completedLessons].sort()).toEqual([...before.completedLessons].sort());
    expect(after.completedLessons.size).toBe(2);
  });
});

describe("completion", () => {
  async function passEverything(userId: string) {
    for (const m of course.modules) {
      await finishLessons(userId, m.slug);
      const s = await startAttempt(userId, course, m.slug);
      if (!s.ok) throw new Error(s.message);
      await submitAttempt(userId, s.attempt.id, answersFor(s.attempt, true));
    }
  }

  function evaluationForm(): FormData {
    const form = new FormData();
    form.set("learned", "5");
    form.set("useful", "4");
    for (const o of course.objectives) form.set(`objective:${o.id}`, "4");
    return form;
  }

  test("the evaluation and attestation wait their turn, then completion is recorded once", async () => {
    const user = await createUser();
    const early = await submitEvaluation(user.id, course, evaluationForm());
    expect(early).toMatchObject({ ok: false, status: 409 });
    await passEverything(user.id);
    expect(await attestAndComplete(user.id, course, { confirmed: true, ip: "1.2.3.4", userAgent: "t" })).toEqual({ ok: false, status: 409, message: "Submit the course evaluation first." });

    const missing = new FormData();
    const bad = await submitEvaluation(user.id, course, missing);
    expect(bad).toMatchObject({ ok: false, status: 400 });
    expect(countRows("evaluations")).toBe(0);
    expect((await submitEvaluation(user.id, course, evaluationForm())).ok).toBe(true);

    expect(await attestAndComplete(user.id, course, { confirmed: false, ip: "1.2.3.4", userAgent: "t" })).toEqual({ ok: false, status: 400, message: "Tick the box to confirm the attestation." });
    const results = await Promise.all([1, 2].map(() => attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.9", userAgent: "t" })));
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = getDb().$client.prepare("select * from completions where user_id = ?").all(user.id) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ course_id: "fixture-course", content_version: course.version, ce_hours: 0.25, post_test_score: 1 });
    const attestation = getDb().$client.prepare("select ip from attestations where user_id = ?").get(user.id) as { ip: string };
    expect(attestation.ip).toBe("203.0.113.9");
    expect((await getCompletionStatus(user.id, course)).completion).not.toBeNull();
  });

  test("a pacing rule holds completion until enough time has passed", async () => {
    const user = await createUser();
    // Enrolled in the course as offering 12 hours: the hours a completion credits are those offered at enrollment.
    const paced = { ...course, ceHours: 12, pacing: { maxHoursPer24h: 8 }, creditPolicy: { ...course.creditPolicy, courseMinimum: 0 } };
    await ensureEnrollment(user.id, paced);
    await passEverything(user.id);
    expect((await submitEvaluation(user.id, course, evaluationForm())).ok).toBe(true);
    const res = await attestAndComplete(user.id, paced, { confirmed: true, ip: "1.1.1.1", userAgent: null });
    expect(res).toMatchObject({ ok: false, status: 409 });
    expect(!res.ok && res.message).toMatch(/at most 8 CE hours per 24 hours/);
    const later = await attestAndComplete(user.id, paced, { confirmed: true, ip: "1.1.1.1", userAgent: null }, new Date(Date.now() + 25 * 3_600_000));
    expect(later.ok).toBe(true);
  });

  test("attestation waits until the course's minimum active time is credited, and says what is missing", async () => {
    const user = await createUser();
    await passEverything(user.id);
    expect((await submitEvaluation(user.id, course, evaluationForm())).ok).toBe(true);
    // The same course with a stricter policy: the whole 0.25 CE hours (900 s) of active time.
    const strict = { ...course, creditPolicy: { ...course.creditPolicy, courseMinimum: 1 } };
    const status = await getCompletionStatus(user.id, strict);
    expect(status.time).toMatchObject({ requiredSeconds: 900, met: false });
    const refused = await attestAndComplete(user.id, strict, { confirmed: true, ip: "1.1.1.1", userAgent: null });
    expect(refused).toEqual({
      ok: false,
      status: 409,
      message: `This course credits 0.25 CE hours and needs at least 15 min of active time on its lessons; you have ${formatDuration(status.time.activeSeconds)}. Time is counted while a lesson is open and you are active on it.`,
    });
    expect(getDb().$client.prepare("select count(*) as n from completions where user_id = ?").get(user.id)).toEqual({ n: 0 });
    expect(getDb().$client.prepare("select count(*) as n from attestations where user_id = ?").get(user.id)).toEqual({ n: 0 });
    // Fifteen more minutes on a lesson, and the course can be completed.
    await readLesson(user.id, strict, "basics", "welcome", testClock(new Date(Date.now() - 3_600_000)), 900);
    const done = await attestAndComplete(user.id, strict, { confirmed: true, ip: "1.1.1.1", userAgent: null });
    expect(done.ok).toBe(true);
    const row = getDb().$client.prepare("select active_seconds, minimum_seconds from completions where user_id = ?").get(user.id) as { active_seconds: number; minimum_seconds: number };
    expect(row.minimum_seconds).toBe(900);
    expect(row.active_seconds).toBeGreaterThanOrEqual(900);
  });
});

describe("post-test policy", () => {
  type Review = { showKey: boolean; attempt: { passed: boolean; questions: Array<{ correct: boolean; explanation: string | null; source: string | null; restudy: { href: string; title: string } | null; options: Array<{ key: boolean }> }> } };

  test("a failed attempt shows what was missed and the lesson to re-study, never the key; after passing, the keys", async () => {
    const { user, cookie } = await createSignedInUser();
    await finishLessons(user.id);
    const first = await startAttempt(user.id, course, "basics");
    if (!first.ok) throw new Error(first.message);
    await submitAttempt(user.id, first.attempt.id, answersFor(first.attempt, false));
    const review = async (id: string) => (await run<Review>(resultLoader, getRequest(`/courses/fixture-course/basics/quiz/${id}`, cookie), undefined, { ...quizParams, attemptId: id })).data!;
    const failed = await review(first.attempt.id);
    expect(failed.showKey).toBe(false);
    expect(failed.attempt.questions.every((q) => q.options.every((o) => !o.key) && q.explanation === null && q.source === null)).toBe(true);
    const lessonTitles = Object.fromEntries(course.modules[0]!.lessons.map((l) => [l.slug, l.title]));
    for (const [i, q] of failed.attempt.questions.entries()) {
      const slug = first.attempt.questions[i]!.lesson!;
      expect(q.restudy).toEqual({ href: `/courses/fixture-course/basics/${slug}`, title: lessonTitles[slug] });
    }
    // The data the browser gets carries no key or explanation either.
    const text = JSON.stringify(failed);
    for (const q of first.attempt.questions) expect(text).not.toContain(q.explanation);

    const second = await startAttempt(user.id, course, "basics");
    if (!second.ok) throw new Error(second.message);
    await submitAttempt(user.id, second.attempt.id, answersFor(second.attempt, true));
    const passed = await review(second.attempt.id);
    expect(passed.showKey).toBe(true);
    expect(passed.attempt.questions.every((q) => q.options.some((o) => o.key) && q.explanation && q.restudy === null)).toBe(true);
    // Once passed, the earlier attempt's keys are shown as well.
    expect((await review(first.attempt.id)).attempt.questions.every((q) => q.options.some((o) => o.key))).toBe(true);
  });

  test("a retake waits for the cool-down, and at most N attempts start in any 24 hours", async () => {
    const user = await createUser();
    await finishLessons(user.id);
    const paced = { ...course, quizPolicy: { maxAttempts: null, maxAttemptsPer24h: 2, cooldownMinutes: 10, showKeys: "after-pass" as const } };
    const t0 = new Date(Date.now() + 60_000);
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const fail = async (when: Date) => {
      const s = await startAttempt(user.id, paced, "basics", when);
      if (!s.ok) return s.message;
      await submitAttempt(user.id, s.attempt.id, answersFor(s.attempt, false), new Date(when.getTime() + 60_000));
      return "taken";
    };
    expect(await fail(at(0))).toBe("taken");
    const cooling = await fail(at(5));
    expect(cooling).toBe(`A retake waits 10 minutes after an attempt that did not pass. You can retake the quiz from ${at(11).toISOString().slice(0, 16).replace("T", " ")} UTC. Meanwhile, re-study the lessons behind the questions you missed.`);
    expect(await fail(at(11))).toBe("taken");
    const capped = await fail(at(30));
    expect(capped).toBe(`You have used 2 attempts in 24 hours. You can retake the quiz from ${at(24 * 60).toISOString().slice(0, 16).replace("T", " ")} UTC. Meanwhile, re-study the lessons behind the questions you missed.`);
    expect(getDb().$client.prepare("select count(*) as n from quiz_attempts where user_id = ?").get(user.id)).toEqual({ n: 2 });
    expect(await fail(at(24 * 60 + 1))).toBe("taken");
  });
});
