/**
 * A mixed workload of simulated active learners against the production server:
 * each learner sends a heartbeat every 30 s, views a page every 3 minutes and
 * submits a quiz about every 30 minutes (open-loop arrivals at those rates).
 * Steps up the number of learners and reports the largest served with p99
 * under 100 ms and no errors.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { prepareLearners, startServer, submissionForm } from "./server.ts";

const PORT = 3420;
type Session = { cookie: string; answers: string; results: string };

/** `failure` says what went wrong when not ok: an unexpected status, or the socket error's code. */
type Sample = { ms: number; ok: boolean; serverMs: number; failure?: string };

/** One request; `ok` only for the answer a working site gives (not, say, a redirect to sign in). */
function send(agent: http.Agent, method: string, pathname: string, cookie: string, expected: (res: http.IncomingMessage) => boolean, body?: string): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port: PORT, method, path: pathname, agent, headers: { cookie, origin: `http://localhost:${PORT}`, host: `localhost:${PORT}`, ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        res.resume();
        const ok = expected(res);
        // The server's own time (Server-Timing), to tell its delays from queueing and the client's.
        const serverMs = Number(/dur=([\d.]+)/.exec(String(res.headers["server-timing"] ?? ""))?.[1] ?? NaN);
        const failure = ok ? undefined : `${method} ${pathname.split("?")[0]}: ${res.statusCode}`;
        res.on("end", () => resolve({ ms: performance.now() - started, ok, serverMs, failure }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ ms: performance.now() - started, ok: false, serverMs: NaN, failure: `${method} ${pathname.split("?")[0]}: ${error.code ?? error.message}` }));
    if (body) req.write(body);
    req.end();
  });
}

const status = (code: number) => (res: http.IncomingMessage) => res.statusCode === code;

async function runLevel(learners: number, seconds: number, sessions: Session[], serverOutput: string[]) {
  const outputFrom = serverOutput.length;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const perSecond = learners / 30 + learners / 180 + learners / 1800;
  const interval = 1000 / perSecond;
  const pending: Array<Promise<Sample>> = [];
  const start = performance.now();
  let n = 0;
  // How far the load generator itself fell behind its schedule: when this client and
  // the server stall together, the machine paused, not the server.
  let lag = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = start + n * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    lag = Math.max(lag, performance.now() - due);
    const s = sessions[n % sessions.length]!;
    const pick = Math.random() * perSecond;
    if (pick < learners / 30) {
      pending.push(send(agent, "POST", "/progress", s.cookie, status(200), "intent=heartbeat&courseId=fixture-course&moduleSlug=basics&lessonSlug=welcome"));
    } else if (pick < learners / 30 + learners / 180) {
      pending.push(send(agent, "GET", "/courses/fixture-course/basics/welcome", s.cookie, status(200)));
    } else {
      // The first submission grades the attempt; later ones are repeats and land on the same results.
      pending.push(send(agent, "POST", "/courses/fixture-course/basics/quiz?index", s.cookie, (res) => res.statusCode === 302 && res.headers.location === s.results, s.answers));
    }
    n++;
  }
  const samples = await Promise.all(pending);
  agent.destroy();
  const quantile = (values: number[], q: number) => {
    const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  };
  const ms = samples.map((x) => x.ms);
  const failures: Record<string, number> = {};
  for (const { failure } of samples) if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
  // The server logs requests over SLOW_REQUEST_MS (set below) with its event-loop delay.
  const slowLog = serverOutput.slice(outputFrom).filter((line) => line.startsWith("slow request:"));
  const server = samples.map((x) => x.serverMs);
  return {
    learners,
    requestsPerSecond: Math.round(perSecond),
    requests: samples.length,
    errors: samples.filter((x) => !x.ok).length,
    p50Ms: quantile(ms, 0.5),
    p99Ms: quantile(ms, 0.99),
    "server p99 ms": quantile(server, 0.99),
    "server max ms": quantile(server, 1),
    "client max lag ms": Math.round(lag),
    "slow requests logged": slowLog.length,
    failures,
    slowLog: slowLog.slice(0, 20),
  };
}

/** `workers` is WEB_CONCURRENCY: 1 is what `npm start` runs; 2 is one per core of this machine. */
export async function benchMixed(workers = 1, levels = (process.env.BENCH_MIXED_LEVELS ?? "2000,5000,10000,15000,20000,25000,30000,40000").split(",").map(Number), seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 10)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-mixed-"));
  const sessions: Session[] = prepareLearners(path.join(dir, "db.sqlite"), 300).map((l) => ({
    cookie: l.cookie,
    answers: submissionForm(l),
    results: `/courses/fixture-course/basics/quiz/${l.attemptId}`,
  }));
  const server = await startServer(dir, PORT, { CONTENT_DIR: "tests/fixtures/content", SEED_DEMO: "false", WEB_CONCURRENCY: String(workers), SLOW_REQUEST_MS: "100" });
  try {
    // Warm up (JIT, caches, first renders) before measuring.
    await runLevel(3000, 5, sessions, server.output);
    const results = [];
    for (const level of levels) {
      const r = await runLevel(level, seconds, sessions, server.output);
      results.push(r);
      if (r.errors || r.p99Ms >= 100) break;
    }
    const passing = results.filter((r) => !r.errors && r.p99Ms < 100);
    return { workers, results, largestServed: passing.at(-1)?.learners ?? 0 };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
