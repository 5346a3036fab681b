/**
 * Prepares benchmark learners in a database file. Runs in its own process (the
 * app reads DATABASE_PATH once per process) and prints JSON:
 *
 *   tsx scripts/bench/learners.ts <database file> <count>
 *     `count` learners on the fixture course (tests/fixtures/content), each with
 *     the first module's lessons done, an open quiz attempt and a session: the
 *     quiz benchmarks. Prints BenchLearner[] (server.ts).
 *
 *   tsx scripts/bench/learners.ts <database file> <count> cohort <first> <seed>
 *     learners number <first> to <first + count - 1> of a cohort on the demo
 *     course (content/, read from the production build's catalog), each at a
 *     random point of the course as a real cohort would be: every lesson before
 *     it complete, every quiz before it passed (some after a failed attempt),
 *     the current lesson opened, and a session. Prints a Cohort (server.ts).
 */
export {};

const [file, count, mode, first, seedArg] = process.argv.slice(2);
const cohort = mode === "cohort";
process.env.DATABASE_PATH = file;
process.env.SEED_DEMO = "false";
// The cohort reads the built catalog (build/content/catalog.json), as the server does.
process.env.CONTENT_DIR = cohort ? "content" : "tests/fixtures/content";
process.env.NODE_ENV = cohort ? "production" : "test";

const { migrateDatabase, getDb, closeDb } = await import("#app/db/client.server.ts");
const { createSession } = await import("#app/auth/session.server.ts");
const { findCourse, getQuizBank } = await import("#app/content/catalog.server.ts");
const { completeModuleLessons, testClock } = await import("#tests/learning-utils.ts");
const { startAttempt } = await import("#app/quiz/attempts.server.ts");
const { users } = await import("#app/db/schema.ts");

migrateDatabase();

if (!cohort) {
  const course = (await findCourse("fixture-course"))!;
  const module = course.modules[0]!;
  const learners = [];
  for (let i = 0; i < Number(count); i++) {
    const id = `bench${i}`;
    getDb().insert(users).values({ id, email: `${id}@example.org`, name: `Bench ${i}`, passwordHash: "x" }).run();
    // Each lesson read for its minimum time on a test clock (an hour ago), then marked complete.
    await completeModuleLessons(id, course, module.slug, testClock(new Date(Date.now() - 3_600_000)));
    const started = await startAttempt(id, course, module.slug);
    if (!started.ok) throw new Error(started.message);
    const { token } = await createSession(id);
    // Every question answered with its key: a passing submission.
    const answers = Object.fromEntries(started.attempt.questions.map((q) => [q.id, q.answer]));
    learners.push({ userId: id, cookie: `kap_session=${token}`, attemptId: started.attempt.id, answers });
  }
  closeDb();
  process.stdout.write(JSON.stringify(learners));
} else {
  const { recordLessonView } = await import("#app/progress/lessons.server.ts");
  const { ensureEnrollment } = await import("#app/progress/enrollment.server.ts");
  const { drawQuestions, seededRandom } = await import("#app/quiz/draw.server.ts");
  const { gradeAnswers } = await import("#app/quiz/grade.server.ts");
  const { createId } = await import("#app/db/ids.ts");
  const course = await findCourse("kap-foundations");
  if (!course) throw new Error("The demo course kap-foundations is not in build/content/catalog.json: run `npm run build` first.");

  // The course as learners walk it: each module's lessons, then its quiz.
  type Module = { slug: string; lessons: Array<{ slug: string; hash: string; minimumSeconds: number }>; quiz: Awaited<ReturnType<typeof getQuizBank>>; key: Record<string, string[]> };
  const modules: Module[] = [];
  for (const m of course.modules) {
    const bank = m.quiz ? await getQuizBank(course.id, m.slug) : null;
    // Answer keys by question id (true/false questions answer "true" or "false"), so the
    // load generator can answer as a learner who studied: mostly right.
    const key = Object.fromEntries((bank?.questions ?? []).map((q) => [q.id, q.type === "true-false" ? [String(q.answer)] : q.answer]));
    modules.push({ slug: m.slug, lessons: m.lessons.filter((l) => !l.draft).map((l) => ({ slug: l.slug, hash: l.hash, minimumSeconds: l.minimumSeconds })), quiz: bank, key });
  }
  type Step = { module: number; lesson: number | null };
  const steps: Step[] = modules.flatMap((m, i) => [...m.lessons.map((_, l): Step => ({ module: i, lesson: l })), ...(m.quiz ? [{ module: i, lesson: null }] : [])]);

  // Rows as the app writes them (markLessonComplete; startAttempt then submitAttempt),
  // through prepared statements: drizzle's query building would take minutes here.
  const db = getDb().$client;
  const completeLesson = db.prepare(
    "insert into lesson_progress (id, user_id, course_id, lesson_key, first_seen_at, last_seen_at, active_seconds, completed_at, completed_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const submittedAttempt = db.prepare(
    `insert into quiz_attempts (id, user_id, course_id, module_slug, quiz_version, seed, questions, pass_mark, status, answers, results, points, max_points, score, passed, started_at, submitted_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const random = seededRandom(Number(seedArg ?? 1) * 1_000_003 + Number(first ?? 0));
  /** One submitted attempt; each answer right with probability `p` (else a wrong option). Returns whether it passed. */
  const takeQuiz = (userId: string, module: Module, previousIds: string[], p: number, at: number) => {
    const bank = module.quiz!;
    const seed = Math.floor(random() * (2 ** 31 - 1));
    const questions = drawQuestions(bank, seed, [previousIds]);
    const answers = Object.fromEntries(questions.map((q) => [q.id, random() < p ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))?.id ?? q.options[0]!.id]]));
    const graded = gradeAnswers(questions, answers, course.passMark);
    submittedAttempt.run(createId(), userId, course.id, module.slug, bank.hash, seed, JSON.stringify(questions), course.passMark, JSON.stringify(answers), JSON.stringify(graded.results), graded.points, graded.maxPoints, graded.score, graded.passed ? 1 : 0, at - 3 * 60_000, at);
    return { passed: graded.passed, ids: questions.map((q) => q.id) };
  };

  const now = Date.now();
  const learners = [];
  const from = Number(first ?? 0);
  const to = from + Number(count);
  const BATCH = 500;
  for (let i = from; i < to; i++) {
    // One transaction per batch of learners: a commit per row would take minutes.
    if ((i - from) % BATCH === 0) db.exec("begin immediate");
    const id = `cohort${i}`;
    getDb().insert(users).values({ id, email: `${id}@example.org`, name: `Cohort learner ${i}`, passwordHash: "x" }).run();
    const step = Math.floor(random() * steps.length);
    // Started a while ago: about ten minutes per step, the latest step a minute ago.
    const at = (k: number) => now - (step - k) * 10 * 60_000 - 60_000;
    await ensureEnrollment(id, course, new Date(at(0) - 60_000));
    for (let k = 0; k < step; k++) {
      const { module: mi, lesson: li } = steps[k]!;
      const module = modules[mi]!;
      if (li !== null) {
        const lesson = module.lessons[li]!;
        completeLesson.run(createId(), id, course.id, `${module.slug}/${lesson.slug}`, at(k) - 9 * 60_000, at(k), 300 + Math.floor(random() * 300), at(k), lesson.hash);
      } else {
        // Passed, some after failing first.
        const failed = random() < 0.3 ? takeQuiz(id, module, [], 0, at(k) - 5 * 60_000) : null;
        for (let tries = 0; !takeQuiz(id, module, failed?.ids ?? [], 1, at(k)).passed; tries++) if (tries > 3) throw new Error("A fully correct attempt did not pass.");
      }
    }
    const { module: mi, lesson: li } = steps[step]!;
    const module = modules[mi]!;
    // At a lesson: opened it, and read it for about its minimum time. At a quiz: some have failed it once.
    if (li !== null) {
      const lesson = module.lessons[li]!;
      await recordLessonView(id, course, module.slug, lesson.slug, new Date(at(step)));
      db.prepare("update lesson_progress set active_seconds = ? where user_id = ? and course_id = ? and lesson_key = ?").run(Math.round(lesson.minimumSeconds * (0.8 + random() * 0.4)), id, course.id, `${module.slug}/${lesson.slug}`);
    }
    else if (random() < 0.3) takeQuiz(id, module, [], 0, at(step) - 11 * 60_000); // past the demo course's 10-minute cool-down
    const { token } = await createSession(id);
    learners.push({ userId: id, cookie: `kap_session=${token}`, step });
    if ((i - from) % BATCH === BATCH - 1 || i === to - 1) db.exec("commit");
  }
  closeDb();
  const shape = modules.map((m) => ({ slug: m.slug, lessons: m.lessons.map((l) => l.slug), quiz: Boolean(m.quiz), key: m.key }));
  process.stdout.write(JSON.stringify({ course: { id: course.id, passMark: course.passMark, modules: shape }, learners }));
}
