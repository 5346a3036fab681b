/**
 * Graded quiz submissions per second, with the latency distribution, against a
 * real SQLite file (WAL) and the fixture course. Checks that none is lost.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareLearners } from "./server.ts";

// This process grades against the prepared file: the app reads DATABASE_PATH once.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-quiz-"));
process.env.DATABASE_PATH = path.join(dir, "bench.db");
process.env.CONTENT_DIR = "tests/fixtures/content";
process.env.NODE_ENV = "test";

const { getDb, closeDb } = await import("#app/db/client.server.ts");
const { submitAttempt } = await import("#app/quiz/attempts.server.ts");

export async function benchQuiz(count = Number(process.env.BENCH_SUBMISSIONS ?? 2000)) {
  const attempts = prepareLearners(process.env.DATABASE_PATH!, count);
  const latencies: number[] = [];
  const started = performance.now();
  for (const a of attempts) {
    const t = performance.now();
    const r = await submitAttempt(a.userId, a.attemptId, a.answers);
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
