/**
 * Graded quiz submissions over HTTP against the production server: each of
 * `count` learners posts the quiz form for their open attempt, `connections`
 * at a time. Reports submissions per second and latency, then reads the
 * database to show that every acknowledged submission was recorded once, and
 * posts a sample again to show a repeated submission changes nothing.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { prepareLearners, startServer, submissionForm, type BenchLearner } from "./server.ts";

const PORT = 3402;

function post(agent: http.Agent, learner: BenchLearner): Promise<{ ms: number; ok: boolean }> {
  const body = submissionForm(learner);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        method: "POST",
        path: "/courses/fixture-course/basics/quiz?index",
        agent,
        headers: { cookie: learner.cookie, origin: `http://localhost:${PORT}`, host: `localhost:${PORT}`, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        // Acknowledged: redirected to this attempt's results.
        const ok = res.statusCode === 302 && res.headers.location === `/courses/fixture-course/basics/quiz/${learner.attemptId}`;
        res.on("end", () => resolve({ ms: performance.now() - started, ok }));
      },
    );
    req.on("error", () => resolve({ ms: performance.now() - started, ok: false }));
    req.end(body);
  });
}

async function submitAll(learners: BenchLearner[], connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const results: Array<{ ms: number; ok: boolean }> = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < learners.length) results.push(await post(agent, learners[next++]!));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { results, seconds };
}

export async function benchQuizHttp(count = Number(process.env.BENCH_SUBMISSIONS ?? 2000), connections = 10) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-quiz-http-"));
  const file = path.join(dir, "db.sqlite");
  try {
    const learners = prepareLearners(file, count);
    const server = await startServer(dir, PORT, { CONTENT_DIR: "tests/fixtures/content", SEED_DEMO: "false" });
    try {
      // Warm up on a few learners, then submit the rest.
      await submitAll(learners.slice(0, 50), connections);
      const measured = learners.slice(50);
      const { results, seconds } = await submitAll(measured, connections);
      const again = await submitAll(measured.slice(0, 200), connections);
      const db = new Database(file, { readonly: true });
      const recorded = (db.prepare("select count(*) n from quiz_attempts where status = 'submitted'").get() as { n: number }).n - 50;
      const rows = (db.prepare("select count(*) n from quiz_attempts").get() as { n: number }).n;
      db.close();
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      const pct = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]! * 10) / 10;
      const acknowledged = results.filter((r) => r.ok).length;
      return {
        submissions: measured.length,
        connections,
        perSecond: Math.round(measured.length / seconds),
        p50Ms: pct(50),
        p95Ms: pct(95),
        p99Ms: pct(99),
        maxMs: pct(100),
        acknowledged,
        recorded,
        lost: acknowledged - recorded,
        repeatedAcknowledged: again.results.filter((r) => r.ok).length,
        rowsAddedByRepeats: rows - count,
      };
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
