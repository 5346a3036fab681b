import { describe, expect, test, vi } from "vitest";

/**
 * The learner who tries to earn a CE certificate without the work, against the
 * real demo course: marks every lesson without reading, answers each quiz by
 * cues (the longest option, a fixed position, "false" for true/false, three
 * picks for select-all), retakes at once, then evaluates and attests. Nothing
 * of it may yield a certificate, and no cue may do better than guessing.
 */

// The demo course instead of the fixture: fresh modules read the changed environment.
process.env.CONTENT_DIR = "content";
vi.resetModules();
const { findCourse, getQuizBank, resetCatalog } = await import("#app/content/catalog.server.ts");
resetCatalog();
const { getDb } = await import("#app/db/client.server.ts");
const { drawQuestions } = await import("#app/quiz/draw.server.ts");
const { gradeAnswers } = await import("#app/quiz/grade.server.ts");
const { attestAndComplete, submitEvaluation } = await import("#app/progress/completion.server.ts");
const { action: progressAction } = await import("#app/routes/progress.ts");
const { action: quizAction, loader: quizLoader } = await import("#app/routes/courses.$courseId.$moduleSlug.quiz._index.tsx");
const { createSignedInUser } = await import("#tests/db-utils.ts");
const { completeModuleLessons, testClock } = await import("#tests/learning-utils.ts");
const { formRequest, getRequest, run } = await import("#tests/route-utils.ts");

const course = (await findCourse("kap-foundations"))!;
const banks = await Promise.all(course.modules.map(async (m) => (await getQuizBank(course.id, m.slug))!));

type Shown = { id: string; type: string; options: Array<{ id: string; text: string }> };
type Strategy = (q: Shown) => string[];

/** The cues a learner who read nothing might try. */
const STRATEGIES: Record<string, Strategy> = {
  longest: (q) => pick(q, (a, b) => b.text.length - a.text.length),
  shortest: (q) => pick(q, (a, b) => a.text.length - b.text.length),
  second: (q) => (q.type === "true-false" ? ["false"] : q.type === "multiple" ? q.options.slice(0, 3).map((o) => o.id) : [q.options[Math.min(1, q.options.length - 1)]!.id]),
};

function pick(q: Shown, order: (a: { text: string }, b: { text: string }) => number): string[] {
  if (q.type === "true-false") return ["false"];
  const sorted = [...q.options].sort(order);
  return q.type === "multiple" ? sorted.slice(0, 3).map((o) => o.id) : [sorted[0]!.id];
}

const count = (sql: string, ...params: unknown[]) => (getDb().$client.prepare(sql).get(...params) as { n: number }).n;

describe("a learner who cheats gets no certificate (demo course)", () => {
  test("marking lessons without reading is refused and writes nothing; quizzes stay locked; no attestation", async () => {
    const { user, cookie } = await createSignedInUser({ name: "Quick Cheater", email: "cheater@clinic.example" });
    expect(course.modules).toHaveLength(10);
    for (const m of course.modules) {
      for (const l of m.lessons.filter((x) => !x.draft)) {
        // The page's own first request, then "complete" at once.
        await run(progressAction, formRequest("/progress", { intent: "view", courseId: course.id, moduleSlug: m.slug, lessonSlug: l.slug }, { cookie }));
        const res = await run<{ ok: boolean; message: string }>(progressAction, formRequest("/progress", { intent: "complete", courseId: course.id, moduleSlug: m.slug, lessonSlug: l.slug }, { cookie }));
        expect(res.status).toBe(409);
        expect(res.data?.message).toMatch(/^This lesson can be marked complete after about \d+ more minutes of reading time\./);
      }
      const start = await run<{ message: string }>(quizAction, formRequest(`/courses/${course.id}/${m.slug}/quiz`, { intent: "start" }, { cookie }), undefined, { courseId: course.id, moduleSlug: m.slug });
      expect(start.status).toBe(409);
      expect(start.data?.message).toMatch(/^Complete the \d+ remaining lessons? of this module to unlock the quiz\.$/);
    }
    expect(count("select count(*) as n from lesson_progress where user_id = ? and completed_at is not null", user.id)).toBe(0);
    expect(count("select count(*) as n from quiz_attempts where user_id = ?", user.id)).toBe(0);
    const form = new FormData();
    expect((await submitEvaluation(user.id, course, form)).ok).toBe(false);
    expect((await attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.66", userAgent: "script" })).ok).toBe(false);
    expect(count("select count(*) as n from certificates where user_id = ?", user.id)).toBe(0);
  });

  test("after sitting out the time, answering by cues and retaking at once earns no certificate", async () => {
    const { user, cookie } = await createSignedInUser({ name: "Patient Cheater", email: "patient@clinic.example" });
    // Leaves each lesson open for its minimum (on a test clock that ends before now), reading nothing.
    const clock = testClock(new Date(Date.now() - 30 * 3_600_000));
    for (const m of course.modules) await completeModuleLessons(user.id, course, m.slug, clock);
    let passed = 0;
    for (const m of course.modules) {
      const params = { courseId: course.id, moduleSlug: m.slug };
      const url = `/courses/${course.id}/${m.slug}/quiz`;
      await run(quizAction, formRequest(url, { intent: "start" }, { cookie }), undefined, params);
      const page = await run<{ open: { id: string; questions: Shown[] } }>(quizLoader, getRequest(url, cookie), undefined, params);
      const open = page.data!.open;
      const fields: Record<string, string | string[]> = { intent: "submit", attemptId: open.id };
      for (const q of open.questions) fields[`q-${q.id}`] = STRATEGIES.longest!(q);
      await run(quizAction, formRequest(url, fields, { cookie }), undefined, params);
      const attempt = getDb().$client.prepare("select passed from quiz_attempts where id = ?").get(open.id) as { passed: number };
      if (attempt.passed) {
        passed++;
        continue;
      }
      // Retake at once: refused by the cool-down, and nothing is drawn.
      const retake = await run<{ message: string }>(quizAction, formRequest(url, { intent: "start" }, { cookie }), undefined, params);
      expect(retake.status).toBe(409);
      expect(retake.data?.message).toMatch(/^A retake waits 10 minutes after an attempt that did not pass\./);
    }
    // Passing every one of the ten quizzes by the length cue would be a failure of the banks.
    expect(passed).toBeLessThan(course.modules.length);
    expect((await attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.67", userAgent: "script" })).ok).toBe(false);
    expect(count("select count(*) as n from certificates where user_id = ?", user.id)).toBe(0);
  });

  test("an attempt is submitted only through its own quiz's address: posted to another module's quiz it is not found, and stays open", async () => {
    const { user, cookie } = await createSignedInUser();
    const clock = testClock(new Date(Date.now() - 30 * 3_600_000));
    const [first, second] = course.modules;
    for (const m of [first!, second!]) await completeModuleLessons(user.id, course, m.slug, clock);
    const url = (m: typeof first) => `/courses/${course.id}/${m!.slug}/quiz`;
    const params = (m: typeof first) => ({ courseId: course.id, moduleSlug: m!.slug });
    await run(quizAction, formRequest(url(first), { intent: "start" }, { cookie }), undefined, params(first));
    const open = (await run<{ open: { id: string; questions: Shown[] } }>(quizLoader, getRequest(url(first), cookie), undefined, params(first))).data!.open;
    const fields: Record<string, string | string[]> = { intent: "submit", attemptId: open.id };
    for (const q of open.questions) fields[`q-${q.id}`] = [q.options[0]!.id];
    const elsewhere = await run<{ message: string }>(quizAction, formRequest(url(second), fields, { cookie }), undefined, params(second));
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.data?.message).toBe("That quiz attempt was not found.");
    expect(getDb().$client.prepare("select status from quiz_attempts where id = ?").get(open.id)).toEqual({ status: "open" });
  });

  test("no cue beats guessing: over many draws of every bank, each strategy passes no more often than chance", () => {
    const DRAWS = 400;
    const random = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const rng = random(7);
    const guess: Strategy = (q) => {
      if (q.type === "true-false") return [rng() < 0.5 ? "true" : "false"];
      if (q.type === "single") return [q.options[Math.floor(rng() * q.options.length)]!.id];
      return q.options.filter(() => rng() < 0.5).map((o) => o.id).slice(0, q.options.length - 1);
    };
    const passRate = (strategy: Strategy) => {
      let passes = 0;
      let right = 0;
      let items = 0;
      for (const bank of banks) {
        for (let seed = 1; seed <= DRAWS; seed++) {
          const questions = drawQuestions(bank, seed);
          const graded = gradeAnswers(questions, Object.fromEntries(questions.map((q) => [q.id, strategy(q)])), course.passMark);
          passes += graded.passed ? 1 : 0;
          right += graded.results.filter((r) => r.correct).length;
          items += questions.length;
        }
      }
      return { pass: passes / (banks.length * DRAWS), item: right / items };
    };
    const chance = passRate(guess);
    for (const [name, strategy] of Object.entries(STRATEGIES)) {
      const cue = passRate(strategy);
      // Chance passes a 5-item quiz at 80% a few times in a hundred; a cue may not do clearly better.
      expect(cue.pass, `${name}: passes ${cue.pass.toFixed(3)} vs chance ${chance.pass.toFixed(3)}`).toBeLessThanOrEqual(Math.max(0.05, chance.pass * 2));
      expect(cue.item, `${name}: items right ${cue.item.toFixed(3)} vs chance ${chance.item.toFixed(3)}`).toBeLessThanOrEqual(0.4);
    }
  });
});
