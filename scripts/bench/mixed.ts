/**
 * A mixed workload of simulated active learners against the production server:
 * each learner sends a heartbeat every 30 s, views a page every 3 minutes and
 * submits a quiz about every 30 minutes (open-loop arrivals at those rates).
 * Steps up the number of learners and reports the largest served with p99
 * under 100 ms and no errors.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const PORT = 3420;

async function prepare(dir: string, sessions: number) {
  process.env.DATABASE_PATH = path.join(dir, "db.sqlite");
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
  const out: Array<{ cookie: string; attempt: string; answers: string }> = [];
  for (let i = 0; i < sessions; i++) {
    const id = `bench${i}`;
    getDb().insert(users).values({ id, email: `${id}@example.org`, name: `Bench ${i}`, passwordHash: "x" }).run();
    for (const l of course.modules[0]!.lessons.filter((x) => !x.draft)) await markLessonComplete(id, course, "basics", l.slug, l.hash);
    const s = await startAttempt(id, course, "basics");
    if (!s.ok) throw new Error(s.message);
    const { token } = await createSession(id);
    const form = new URLSearchParams({ intent: "submit", attemptId: s.attempt.id });
    for (const q of s.attempt.questions) form.append(`q-${q.id}`, q.answer[0]!);
    out.push({ cookie: `kap_session=${token}`, attempt: s.attempt.id, answers: form.toString() });
  }
  closeDb();
  return out;
}

type Sample = { ms: number; ok: boolean };

function send(agent: http.Agent, method: string, pathname: string, cookie: string, body?: string): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port: PORT, method, path: pathname, agent, headers: { cookie, origin: `http://localhost:${PORT}`, host: `localhost:${PORT}`, ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ ms: performance.now() - started, ok: (res.statusCode ?? 500) < 400 }));
      },
    );
    req.on("error", () => resolve({ ms: performance.now() - started, ok: false }));
    if (body) req.write(body);
    req.end();
  });
}

async function runLevel(learners: number, seconds: number, sessions: Array<{ cookie: string; attempt: string; answers: string }>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const perSecond = learners / 30 + learners / 180 + learners / 1800;
  const interval = 1000 / perSecond;
  const pending: Array<Promise<Sample>> = [];
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = start + n * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const s = sessions[n % sessions.length]!;
    const pick = Math.random() * perSecond;
    if (pick < learners / 30) {
      pending.push(send(agent, "POST", "/progress", s.cookie, "intent=heartbeat&courseId=fixture-course&moduleSlug=basics&lessonSlug=welcome"));
    } else if (pick < learners / 30 + learners / 180) {
      pending.push(send(agent, "GET", "/courses/fixture-course/basics/welcome", s.cookie));
    } else {
      pending.push(send(agent, "POST", "/courses/fixture-course/basics/quiz?index", s.cookie, s.answers));
    }
    n++;
  }
  const samples = await Promise.all(pending);
  agent.destroy();
  const ms = samples.map((x) => x.ms).sort((a, b) => a - b);
  const p = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  return { learners, requestsPerSecond: Math.round(perSecond), requests: samples.length, errors: samples.filter((x) => !x.ok).length, p50Ms: p(0.5), p99Ms: p(0.99) };
}

export async function benchMixed(levels = (process.env.BENCH_MIXED_LEVELS ?? "1000,2000,4000,6000,8000,9000,10000,12000").split(",").map(Number), seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 10)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-mixed-"));
  const sessions = await prepare(dir, 300);
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_PATH: path.join(dir, "db.sqlite"), OUTBOX_DIR: path.join(dir, "outbox"), SIGNING_KEY_PATH: path.join(dir, "key.json"), CONTENT_DIR: "tests/fixtures/content", SEED_DEMO: "false" },
    stdio: "ignore",
  });
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`http://localhost:${PORT}/healthz`).then((r) => r.ok).catch(() => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Warm up (JIT, caches, first renders) before measuring.
    await runLevel(1000, 3, sessions);
    const results = [];
    for (const level of levels) {
      const r = await runLevel(level, seconds, sessions);
      results.push(r);
      if (r.errors || r.p99Ms >= 100) break;
    }
    const passing = results.filter((r) => !r.errors && r.p99Ms < 100);
    return { results, largestServed: passing.at(-1)?.learners ?? 0 };
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
