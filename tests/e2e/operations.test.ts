import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { serverFiles, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

/**
 * Operations and issue 18's findings 2 and 3 against the production server, on
 * ports of their own (3246, and 3247 with two workers), with its stdout read:
 * one JSON log line per request, Prometheus metrics at /metrics, the streaming
 * body limit and TRUST_PROXY as a hop count (one proxy: the client is the last
 * X-Forwarded-For entry).
 */
test.describe.configure({ mode: "serial" });

type Server = { process: ChildProcess; base: string; dir: string; stdout: () => string };

async function start(port: number, env: Record<string, string> = {}): Promise<Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-ops-"));
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), SEED_DEMO: "true", HEARTBEAT_SECONDS: "1", CONTENT_DIR: "tests/fixtures/content", TRUST_PROXY: "1", LOG_FORMAT: "json", SLOW_REQUEST_MS: "1000", ...serverFiles(dir), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => (out += d));
  const base = `http://localhost:${port}`;
  await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
  return { process: child, base, dir, stdout: () => out };
}

async function finish(server: Server) {
  await stopServer(server.process);
  fs.rmSync(server.dir, { recursive: true, force: true });
}

/** The request log: every stdout line that is a JSON object. */
function logLines(server: Server): Array<Record<string, unknown>> {
  return server
    .stdout()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Row counts of every table but the throttle's, from the server's database file. */
function rowCounts(server: Server): Record<string, number> {
  const db = new Database(serverFiles(server.dir).DATABASE_PATH, { readonly: true, fileMustExist: true });
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as Array<{ name: string }>).map((t) => t.name);
  const out = Object.fromEntries(tables.filter((t) => t !== "login_attempts").map((t) => [t, (db.prepare(`select count(*) n from "${t}"`).get() as { n: number }).n]));
  db.close();
  return out;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
}

/** A raw chunked POST (no Content-Length) of `total` bytes, as fast as the server reads it; stops when answered. */
function chunkedPost(base: string, pathname: string, prefix: string, total: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = http.request(new URL(pathname, base), {
      method: "POST",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", "X-Forwarded-For": "192.0.2.99" },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, body: error.code ?? error.message, sent });
    });
    const chunk = Buffer.alloc(256 * 1024, "a");
    req.write(prefix);
    const write = () => {
      while (sent < total && !answered && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

async function signedIn(base: string, who: { email: string; password: string }, ip: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base, "X-Forwarded-For": ip } });
  const res = await ctx.post("/login", { form: { email: who.email, password: who.password }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
  return ctx;
}

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

test.describe("one server process", () => {
  let server: Server;
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    server = await start(3246);
  });
  test.afterAll(async () => finish(server));

  test("finding 2: a chunked 48 MiB body to /forgot-password is cut off at 1 MiB with 413; the server's memory does not grow by it and nothing is written", async () => {
    const form = "email=learner%40kap-academy.test&pad=";
    // Control: the same form under the limit, chunked, is read and does its work.
    const small = await chunkedPost(server.base, "/forgot-password", form, 256 * 1024);
    expect(small.status).toBeLessThan(500);
    expect(small.status).not.toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const before = rowCounts(server);
    const rssBefore = rssKb(server.process.pid!);
    const big = await chunkedPost(server.base, "/forgot-password", form, 48 * 1024 * 1024);
    // The server stops reading and closes the connection once the 413 is out; a client still
    // writing can then see the reset before it reads the answer (what the log shows below).
    expect(big.status === 413 || ["ECONNRESET", "EPIPE"].includes(big.body), `answer ${big.status} ${big.body}`).toBe(true);
    if (big.status === 413) expect(big.body).toBe("Request too large: a request body may be at most 1 MiB.");
    // The client could write little beyond the limit before the answer (socket buffers).
    expect(big.sent).toBeLessThan(24 * 1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rssKb(server.process.pid!) - rssBefore).toBeLessThan(16 * 1024);
    expect(rowCounts(server)).toEqual(before);
    // The server still answers, and answered that request 413 (its log line).
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect(logLines(server).filter((l) => l.path === "/forgot-password").map((l) => l.status).at(-1)).toBe(413);
  });

  test("finding 3: with TRUST_PROXY=1, 8 sign-in failures with X-Forwarded-For '198.51.100.i, 127.0.0.1' are throttled as one client (127.0.0.1)", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const ctx = await request.newContext({ baseURL: server.base, extraHTTPHeaders: { Origin: server.base, "X-Forwarded-For": `198.51.100.${i}, 127.0.0.1` } });
      const res = await ctx.post("/login", { form: { email: `nobody${i}@example.org`, password: "wrong-password-1" }, maxRedirects: 0 });
      statuses.push(res.status());
      await ctx.dispose();
    }
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const ips = logLines(server).filter((l) => l.path === "/login" && l.method === "POST").map((l) => l.ip);
    expect(ips.slice(-8)).toEqual(Array(8).fill("127.0.0.1"));
  });

  test("request log and metrics: a sign-in and a quiz submission log no password, answer, cookie or token; counters move after a heartbeat and a submission; /metrics is for loopback and admins only", async () => {
    test.setTimeout(90_000);
    const metrics = async () => (await fetch(`${server.base}/metrics`)).text();
    const start = await metrics();
    expect(start).toContain("# TYPE kap_http_request_duration_seconds histogram");
    for (const name of ["kap_heartbeats_credited_total", "kap_active_seconds_credited_total", "kap_quiz_submissions_total", "kap_certificates_issued_total", "kap_mail_queue_size", "nodejs_eventloop_lag_seconds", "process_resident_memory_bytes"]) {
      expect(start).toContain(`# TYPE ${name} `);
    }

    const learner = await signedIn(server.base, DEMO.learner, "192.0.2.60");
    const cookie = (await learner.storageState()).cookies.map((c) => c.value);
    expect(cookie.length).toBeGreaterThan(0);
    const ids = { courseId: "fixture-course", moduleSlug: "basics" };
    for (const lessonSlug of ["welcome", "second-lesson"]) {
      await learner.post("/progress", { form: { intent: "view", ...ids, lessonSlug } });
      for (let beat = 0; beat < 30; beat++) {
        const answer = (await (await learner.post("/progress", { form: { intent: "heartbeat", ...ids, lessonSlug } })).json()) as { time?: { canComplete: boolean } };
        if (answer.time?.canComplete) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      expect((await learner.post("/progress", { form: { intent: "complete", ...ids, lessonSlug } })).status()).toBe(200);
    }
    await learner.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "start" }, maxRedirects: 0 });
    const html = await (await learner.get("/courses/fixture-course/basics/quiz")).text();
    const attemptId = /name="attemptId" value="([a-z0-9]+)"/.exec(html)![1]!;
    const answers: Record<string, string> = {};
    for (const m of html.matchAll(/name="q-([a-z0-9-]+)" value="([a-z0-9-]+)"/g)) answers[`q-${m[1]}`] ??= m[2]!;
    const submitted = await learner.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "submit", attemptId, ...answers }, maxRedirects: 0 });
    expect(submitted.status()).toBe(302);

    const after = await metrics();
    expect(sample(after, "kap_heartbeats_credited_total")).toBeGreaterThan(sample(start, "kap_heartbeats_credited_total"));
    expect(sample(after, "kap_active_seconds_credited_total")).toBeGreaterThan(0);
    const submissions = (t: string) => sample(t, "kap_quiz_submissions_total", 'result="passed"') + sample(t, "kap_quiz_submissions_total", 'result="failed"');
    expect(submissions(after) - submissions(start)).toBe(1);
    expect(sample(after, "kap_http_request_duration_seconds_count", 'route="/progress",method="POST",status="2xx"')).toBeGreaterThan(2);

    // Access: a client elsewhere (the proxy's X-Forwarded-For) gets 404, signed in or not, unless an admin.
    const outsider = await request.newContext({ baseURL: server.base, extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.50" } });
    expect((await outsider.get("/metrics")).status()).toBe(404);
    expect((await learner.get("/metrics")).status()).toBe(404);
    const admin = await signedIn(server.base, DEMO.admin, "203.0.113.51");
    const adminScrape = await admin.get("/metrics");
    expect(adminScrape.status()).toBe(200);
    expect(adminScrape.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await adminScrape.text()).toContain("kap_quiz_submissions_total");

    // The log: one line per request, with an id that the response carried.
    const res = await learner.get("/dashboard", { headers: { "X-Request-Id": "probe-req-0001" } });
    expect(res.headers()["x-request-id"]).toBe("probe-req-0001");
    await expect.poll(() => logLines(server).some((l) => l.id === "probe-req-0001")).toBe(true);
    const lines = logLines(server);
    const dashboard = lines.find((l) => l.id === "probe-req-0001")!;
    expect(dashboard).toMatchObject({ method: "GET", path: "/dashboard", route: "/dashboard", status: 200, ip: "192.0.2.60" });
    expect(dashboard.user).toMatch(/^[a-z0-9]+$/);
    expect(lines.find((l) => l.path === "/courses/fixture-course/basics/quiz" && l.method === "POST" && l.status === 302)).toMatchObject({ route: "/courses/:courseId/:moduleSlug/quiz", user: dashboard.user });
    for (const line of lines) {
      expect(Object.keys(line).every((k) => ["time", "id", "method", "path", "route", "status", "ms", "bytes", "user", "ip", "slow", "eventLoopDelayMs"].includes(k))).toBe(true);
    }
    // (The start-up banner prints the demo accounts on purpose; the request log is what is checked.)
    const raw = server.stdout().split("\n").filter((l) => l.startsWith("{")).join("\n");
    for (const secret of [DEMO.learner.password, DEMO.admin.password, DEMO.learner.email, DEMO.admin.email, "wrong-password-1", attemptId, ...cookie, ...Object.keys(answers)]) {
      expect(raw, `the log holds ${secret}`).not.toContain(secret);
    }
    await Promise.all([learner.dispose(), admin.dispose(), outsider.dispose()]);
  });
});

test("with WEB_CONCURRENCY=2 one scrape of /metrics covers both workers", async () => {
  test.setTimeout(90_000);
  const server = await start(3247, { WEB_CONCURRENCY: "2" });
  try {
    const requests = 20;
    for (let i = 0; i < requests; i++) expect((await fetch(`${server.base}/verify`, { headers: { Connection: "close" } })).status).toBe(200);
    // Whichever worker answers, the count is every worker's.
    for (let i = 0; i < 4; i++) {
      const text = await (await fetch(`${server.base}/metrics`, { headers: { Connection: "close" } })).text();
      expect(sample(text, "kap_http_request_duration_seconds_count", 'route="/verify",method="GET",status="2xx"')).toBe(requests);
    }
  } finally {
    await finish(server);
  }
});
