/**
 * Prepares a benchmark database: `count` learners on the fixture course, each
 * with the first module's lessons done, an open quiz attempt and a session.
 * Runs in its own process (the app reads DATABASE_PATH once per process) and
 * prints the learners as JSON:
 *
 *   tsx scripts/bench/learners.ts <database file> <count>
 */
export {};

const [file, count] = process.argv.slice(2);
process.env.DATABASE_PATH = file;
process.env.CONTENT_DIR = "tests/fixtures/content";
process.env.SEED_DEMO = "false";
process.env.NODE_ENV = "test";

const { migrateDatabase, getDb, closeDb } = await import("#app/db/client.server.ts");
const { createSession } = await import("#app/auth/session.server.ts");
const { findCourse } = await import("#app/content/catalog.server.ts");
const { markLessonComplete } = await import("#app/progress/lessons.server.ts");
const { startAttempt } = await import("#app/quiz/attempts.server.ts");
const { users } = await import("#app/db/schema.ts");

migrateDatabase();
const course = (await findCourse("fixture-course"))!;
const module = course.modules[0]!;
const learners = [];
for (let i = 0; i < Number(count); i++) {
  const id = `bench${i}`;
  getDb().insert(users).values({ id, email: `${id}@example.org`, name: `Bench ${i}`, passwordHash: "x" }).run();
  for (const l of module.lessons.filter((x) => !x.draft)) await markLessonComplete(id, course, module.slug, l.slug, l.hash);
  const started = await startAttempt(id, course, module.slug);
  if (!started.ok) throw new Error(started.message);
  const { token } = await createSession(id);
  // Every question answered with its key: a passing submission.
  const answers = Object.fromEntries(started.attempt.questions.map((q) => [q.id, q.answer]));
  learners.push({ userId: id, cookie: `kap_session=${token}`, attemptId: started.attempt.id, answers });
}
closeDb();
process.stdout.write(JSON.stringify(learners));
