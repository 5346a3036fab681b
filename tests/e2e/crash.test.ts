import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { startServer, stopServer } from "./own-server.ts";

/**
 * SIGKILL during concurrent quiz submissions and heartbeats: after a restart,
 * every acknowledged write is present and the database passes integrity_check.
 */
const PORT = 3235;
const BASE = `http://localhost:${PORT}`;
const LEARNERS = 12;

/** The sign-up confirmation link's token in the server's outbox (decision 015: sign-up is confirmed by email). */
async function signupToken(outbox: string, email: string): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    for (const f of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
      const body = fs.readFileSync(path.join(outbox, f), "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const token = body.includes(`To: ${email}`) ? /\/signup\?token=([a-z0-9]+)/.exec(body)?.[1] : undefined;
      if (token) return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no sign-up email to ${email} in ${outbox}`);
}

async function learner(i: number, outbox: string): Promise<{ ctx: APIRequestContext; attemptId: string; answers: Record<string, string> }> {
  const ctx = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { Origin: BASE, "X-Forwarded-For": `198.19.0.${i + 1}` } });
  const signup = await ctx.post("/signup", {
    form: { name: `Crash Learner ${i}`, email: `crash${i}@clinic.example`, password: "crash test passphrase", confirmPassword: "crash test passphrase", licenseType: "LPC", licenseNumber: `C${i}`, licenseState: "TX" },
    maxRedirects: 0,
  });
  expect(signup.status()).toBe(200);
  const token = await signupToken(outbox, `crash${i}@clinic.example`);
  expect((await ctx.post("/signup", { form: { intent: "confirm", token }, maxRedirects: 0 })).status()).toBe(302);
  for (const lesson of ["welcome", "second-lesson"]) {
    const ids = { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: lesson };
    await ctx.get(`/courses/fixture-course/basics/${lesson}`);
    // As the page does: the visit, then heartbeats (every second on this server) until the
    // lesson's minimum reading time is credited.
    await ctx.post("/progress", { form: { intent: "view", ...ids } });
    for (let beat = 0; beat < 30; beat++) {
      const answer = (await (await ctx.post("/progress", { form: { intent: "heartbeat", ...ids } })).json()) as { time?: { canComplete: boolean } };
      if (answer.time?.canComplete) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const done = await ctx.post("/progress", { form: { intent: "complete", ...ids } });
    expect(done.status()).toBe(200);
  }
  await ctx.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "start" }, maxRedirects: 0 });
  const html = await (await ctx.get("/courses/fixture-course/basics/quiz")).text();
  const attemptId = /name="attemptId" value="([a-z0-9]+)"/.exec(html)![1]!;
  const answers: Record<string, string> = {};
  for (const m of html.matchAll(/name="q-([a-z0-9-]+)" value="([a-z0-9-]+)"/g)) answers[`q-${m[1]}`] ??= m[2]!;
  return { ctx, attemptId, answers };
}

test("killing the server mid-write loses no acknowledged write and leaves the database intact", async () => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-crash-"));
  const dbFile = path.join(dir, "db.sqlite");
  const env = { NODE_ENV: "production", DATABASE_PATH: dbFile, OUTBOX_DIR: path.join(dir, "outbox"), SIGNING_KEY_PATH: path.join(dir, "key.json"), CONTENT_DIR: "tests/fixtures/content", TRUST_PROXY: "1" };
  let server = await startServer(PORT, env);
  try {
    const learners = await Promise.all(Array.from({ length: LEARNERS }, (_, i) => learner(i, env.OUTBOX_DIR)));
    const acknowledged = new Set<string>();
    let beats = 0;
    let stop = false;

    // Heartbeats from everyone, continuously, while submissions go in one by one.
    const heartbeats = learners.map(async ({ ctx }) => {
      while (!stop) {
        const res = await ctx.post("/progress", { form: { intent: "heartbeat", courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "welcome" } }).catch(() => null);
        if (res?.ok()) beats++;
      }
    });
    let killAfterThree: () => void = () => {};
    const threeAcknowledged = new Promise<void>((resolve) => (killAfterThree = resolve));
    const submissions = learners.map(async ({ ctx, attemptId, answers }, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 10));
      const res = await ctx.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "submit", attemptId, ...answers }, maxRedirects: 0 }).catch(() => null);
      if (res && res.status() === 302) acknowledged.add(attemptId);
      if (acknowledged.size >= 3) killAfterThree();
    });
    // Kill the server as soon as a few submissions are acknowledged, with the rest in flight.
    await Promise.race([threeAcknowledged, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    await stopServer(server, "SIGKILL");
    stop = true;
    await Promise.all([...submissions, ...heartbeats]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(3);
    expect(beats).toBeGreaterThan(0);

    server = await startServer(PORT, env);
    const db = new Database(dbFile, { readonly: true });
    expect((db.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]!.integrity_check).toBe("ok");
    const submitted = new Set((db.prepare("select id from quiz_attempts where status = 'submitted'").all() as Array<{ id: string }>).map((r) => r.id));
    for (const id of acknowledged) expect(submitted.has(id), `acknowledged attempt ${id} was lost`).toBe(true);
    // Every submitted attempt is complete: score and answers recorded together.
    const partial = db.prepare("select count(*) n from quiz_attempts where status = 'submitted' and (score is null or answers is null)").get() as { n: number };
    expect(partial.n).toBe(0);
    db.close();
    for (const l of learners) await l.ctx.dispose();
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
