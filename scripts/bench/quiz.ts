/**
 * Graded quiz submissions per second, with the latency distribution, against a
 * real SQLite file (WAL) and the fixture course. Checks that none is lost.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-quiz-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.CONTENT_DIR = "tests/fixtures/content";
process.env.SEED_DEMO = "false";
process.env.NODE_ENV = "test";

const { migrateDatabase, getDb, closeDb } = await import("#app/db/client.server.ts");
const { findCourse } = await import("#app/content/catalog.server.ts");
const { markLessonComplete } = await import("#app/progress/lessons.server.ts");
const { startAttempt, submitAttempt } = await import("#app/quiz/attempts.server.ts");
const { users } = await import("#app/db/schema.ts");
const { createId } = await import("#app/db/ids.ts");

export async function benchQuiz(count = Number(process.env.BENCH_SUBMISSIONS ?? 2000)) {
  migrateDatabase();
  const course = (await findCourse("fixture-course"))!;
  const module = course.modules[0]!;
  const attempts: Array<{ userId: string; id: string; answers: Record<string, string[]> }> = [];
  for (let i = 0; i < count; i++) {
    const userId = createId();
    getDb().insert(users).values({ id: userId, email: `bench${i}@example.org`, name: `Bench ${i}`, passwordHash: "x" }).run();
    for (const l of module.lessons.filter((x) => !x.draft)) await markLessonComplete(userId, course, module.slug, l.slug, l.hash);
    const s = await startAttempt(userId, course, module.slug);
    if (!s.ok) throw new Error(s.message);
    attempts.push({ userId, id: s.attempt.id, answers: Object.fromEntries(s.attempt.questions.map((q) => [q.id, q.answer])) });
  }
  const latencies: number[] = [];
  const started = performance.now();
  for (const a of attempts) {
    const t = performance.now();
    const r = await submitAttempt(a.userId, a.id, a.answers);
    latencies.push(performance.now() - t);
    if (!r.ok) throw new Error(r.message);
  }
  const seconds = (performance.now() - started) / 1000;
  const recorded = (getDb().$client.prepare("select count(*) n from quiz_attempts where status = 'submitted'").get() as { n: number }).n;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 1000) / 1000;
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
  return { submissions: count, perSecond: Math.round(count / seconds), p50Ms: pct(50), p95Ms: pct(95), p99Ms: pct(99), maxMs: pct(100), recorded, lost: count - recorded };
}
