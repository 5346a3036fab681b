import http from "node:http";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { DEMO, E2E_DB, signUpLink } from "./utils.ts";

/**
 * Thousands of malformed, oversized and wrongly typed requests to every action
 * and resource route: no 5xx, and nothing written. A seeded generator keeps
 * runs reproducible.
 */
const ACTIONS = [
  "/login", "/signup", "/forgot-password", "/reset-password", "/verify",
  "/account", "/account/password", "/reflections", "/progress",
  "/courses/fixture-course/basics/quiz", "/courses/fixture-course/practice/quiz",
  "/courses/fixture-course/evaluation", "/courses/fixture-course/complete",
  "/admin/users", "/admin/certificates", "/admin/completions", "/admin/certificates/AAAAA-AAAAA-AAAAA-AAAAA",
];
const RESOURCES = [
  "/lesson-code/", "/certificates/", "/api/verify/", "/verify/", "/courses/fixture-course/assets/",
  "/admin/completions/export?format=", "/admin/completions/pdfs?from=", "/courses/", "/admin/learners/",
];
/** Prototype keys: parsed into a plain object, they would reach Object.prototype. */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "q-__proto__", "q-constructor", "q-toString", "q-hasOwnProperty"];
const FIELDS = ["email", "password", "confirmPassword", "name", "licenseType", "licenseNumber", "licenseState", "intent", "attemptId", "token", "userId", "role", "certificateId", "reason", "publicReason", "internalNote", "learnerMessage", "confirmId", "courseId", "moduleSlug", "lessonSlug", "promptId", "text", "confirm", "currentPassword", "newPassword", "closePassword", "id", "q-who-prescribes", "learned", "redirectTo", ...PROTOTYPE_KEYS];
/** CR and LF where a header could be built from a field (header injection, Headers.set throwing). */
const CRLF = ["a\r\nSet-Cookie: evil=1", "/dashboard\r\nLocation: https://evil.example", "\r", "\n", "x\ry", "/\n/evil.example"];
/** Bidi controls and other invisible characters (U+202E makes "Ana" read backwards); U+FEFF inside, as trim() drops it at the ends. */
const BIDI = ["\u202eanA", "Ana\u202e", "\u202dx\u202c", "\u2066Ana\u2069", "\u2067x\u2069", "\u200fAna", "\u200eAna", "\u061cAna", "Ana\u200b", "An\ufeffa"];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function junk(r: () => number): string {
  const kinds = [
    () => "",
    () => "x".repeat(Math.floor(r() * 20_000)),
    () => String(Math.floor(r() * 1e9) - 5e8),
    () => "../../etc/passwd",
    () => "'; drop table users; --",
    () => "<script>alert(1)</script>",
    () => "\u0000\u0001\u202e\ud83d\ude00",
    () => "=HYPERLINK(\"http://x\")",
    () => "start",
    () => "submit",
    () => "revoke",
    () => "%00%ff",
    () => JSON.stringify({ a: [1, { b: null }] }),
    () => CRLF[Math.floor(r() * CRLF.length)]!,
    () => BIDI[Math.floor(r() * BIDI.length)]!,
    () => PROTOTYPE_KEYS[Math.floor(r() * PROTOTYPE_KEYS.length)]!,
  ];
  return kinds[Math.floor(r() * kinds.length)]!();
}

async function signedIn(baseURL: string, role: "learner" | "admin", ip: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const res = await ctx.post("/login", { form: { email: DEMO[role].email, password: DEMO[role].password }, headers: { Origin: baseURL }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
  return ctx;
}

/** Row counts of every table, read from the server's database file (WAL: committed rows only). */
function counts(): Record<string, number> {
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as Array<{ name: string }>).map((t) => t.name);
  // Failed sign-ins are recorded on purpose (throttling); everything else must be untouched.
  // An admin's junk filter can still be a valid (empty) one: such downloads are audited reads, not writes.
  const where = (t: string) => (t === "audit_log" ? " where action not in ('certificates.downloaded', 'completions.exported')" : "");
  const out = Object.fromEntries(tables.filter((t) => t !== "login_attempts").map((t) => [t, (db.prepare(`select count(*) n from "${t}"${where(t)}`).get() as { n: number }).n]));
  db.close();
  return out;
}

test("malformed requests never cause a server error or a write", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const r = rng(20261122);
  const anonymous = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": "198.18.0.1" } });
  const learner = await signedIn(baseURL!, "learner", "198.18.0.2");
  const admin = await signedIn(baseURL!, "admin", "198.18.0.3");
  const before = counts();
  const failures: string[] = [];
  let sent = 0;

  for (let i = 0; i < 1500; i++) {
    const ctx = [anonymous, learner, admin][i % 3]!;
    const url = ACTIONS[Math.floor(r() * ACTIONS.length)]!;
    const form: Record<string, string> = {};
    for (let f = 0; f < Math.floor(r() * 6); f++) form[FIELDS[Math.floor(r() * FIELDS.length)]!] = junk(r);
    const style = Math.floor(r() * 4);
    const headers = { Origin: baseURL! };
    const res =
      style === 0
        ? await ctx.post(url, { form, headers, maxRedirects: 0 })
        : style === 1
          ? await ctx.post(url, { data: JSON.stringify(form), headers: { ...headers, "Content-Type": "application/json" }, maxRedirects: 0 })
          : style === 2
            ? await ctx.post(url, { multipart: form, headers, maxRedirects: 0 })
            : await ctx.post(url, { data: junk(r), headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
    sent++;
    if (res.status() >= 500) failures.push(`${res.status()} POST ${url} ${JSON.stringify(form).slice(0, 200)}`);
  }
  for (let i = 0; i < 600; i++) {
    const ctx = [anonymous, learner, admin][i % 3]!;
    const url = `${RESOURCES[Math.floor(r() * RESOURCES.length)]}${encodeURIComponent(junk(r).slice(0, 300))}`;
    const res = await ctx.get(url, { maxRedirects: 0 });
    sent++;
    if (res.status() >= 500) failures.push(`${res.status()} GET ${url.slice(0, 200)}`);
  }
  const huge = await learner.post("/account", { data: "name=" + "x".repeat(2 * 1024 * 1024), headers: { Origin: baseURL!, "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
  expect(huge.status()).toBe(413);

  expect(failures).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(2000);
  expect(counts()).toEqual(before);
  for (const ctx of [anonymous, learner, admin]) await ctx.dispose();
});

/** Fields that the site must refuse outright when they carry a control character. */
const SIGNUP = { name: "Fuzz Clinician", password: "fuzz test passphrase", confirmPassword: "fuzz test passphrase", licenseType: "LPC", licenseNumber: "F123", licenseState: "TX" };

test("fuzz (findings 5, 7): CR/LF, bidi characters and prototype keys in every field of every action: no server error and no write", async ({ baseURL }) => {
  test.setTimeout(240_000);
  const anonymous = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": "198.18.1.1" } });
  const learner = await signedIn(baseURL!, "learner", "198.18.1.2");
  const admin = await signedIn(baseURL!, "admin", "198.18.1.3");
  const before = counts();
  const failures: string[] = [];
  const values = [...CRLF, ...BIDI];
  let i = 0;
  // The profile form posts to the index route (a POST to /account reaches the layout, which has no action).
  for (const url of [...ACTIONS, "/account?index"]) {
    for (const field of FIELDS) {
      for (const value of [CRLF[i % CRLF.length]!, BIDI[i % BIDI.length]!]) {
        const ctx = [anonymous, learner, admin][i % 3]!;
        const form = { [field]: value };
        const res = i % 2 ? await ctx.post(url, { multipart: form, headers: { Origin: baseURL! }, maxRedirects: 0 }) : await ctx.post(url, { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
        if (res.status() >= 500) failures.push(`${res.status()} POST ${url} ${JSON.stringify(form)}`);
        i++;
      }
    }
    // Every field at once, and every prototype key at once (as names, with plausible values).
    for (const ctx of [anonymous, learner, admin]) {
      const all = Object.fromEntries(FIELDS.map((f, n) => [f, values[n % values.length]!]));
      const protos = Object.fromEntries(PROTOTYPE_KEYS.map((k) => [k, k.startsWith("q-") ? "a" : "start"]));
      for (const form of [all, protos, { intent: "submit", attemptId: "x", ...protos }]) {
        const res = await ctx.post(url, { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
        if (res.status() >= 500) failures.push(`${res.status()} POST ${url} ${JSON.stringify(form).slice(0, 200)}`);
      }
    }
  }
  for (const prefix of RESOURCES) {
    for (const value of values) {
      const res = await learner.get(`${prefix}${encodeURIComponent(value)}`, { maxRedirects: 0 });
      if (res.status() >= 500) failures.push(`${res.status()} GET ${prefix}${JSON.stringify(value)}`);
    }
  }
  expect(failures).toEqual([]);
  expect(counts()).toEqual(before);
  for (const ctx of [anonymous, learner, admin]) await ctx.dispose();
});

test("findings 1 and 5: open redirect and CR/LF in redirectTo: a correct sign-in whose redirectTo holds CR/LF or points off-site is redirected on this site, with its session cookie", async ({ baseURL }) => {
  const targets = [...CRLF, "/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "\t//evil.example", " //evil.example", "/\u202e/evil.example", "javascript:alert(1)"];
  const wrong: string[] = [];
  for (const [n, redirectTo] of targets.entries()) {
    const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": `198.18.2.${n + 1}` } });
    const res = await ctx.post("/login", { form: { email: DEMO.learner.email, password: DEMO.learner.password, redirectTo }, headers: { Origin: baseURL! }, maxRedirects: 0 });
    const location = res.headers()["location"] ?? "";
    const onSite = location !== "" && !/[\r\n\t\\]/.test(location) && new URL(location, baseURL).origin === new URL(baseURL!).origin;
    const cookie = /^kap_session=/.test(res.headers()["set-cookie"] ?? "");
    if (res.status() !== 302 || !onSite || !cookie) wrong.push(`${JSON.stringify(redirectTo)}: ${res.status()} ${JSON.stringify(location)}${cookie ? "" : " without a session cookie"}`);
    await ctx.dispose();
  }
  expect(wrong).toEqual([]);
});

test("finding 7: names with bidi or control characters are refused at sign-up and on the profile, and nothing is written", async ({ baseURL }) => {
  const learner = await signedIn(baseURL!, "learner", "198.18.3.2");
  const before = counts();
  const accepted: string[] = [];
  for (const [n, bad] of [...BIDI, ...CRLF, "Ana\u0000Ruiz", "Ana\u0007"].entries()) {
    const name = bad.includes("Ana") ? bad : `Ana ${bad} Ruiz`;
    // A fresh visitor each time: a sign-up that wrongly succeeded must not make the next one a signed-in request.
    const anonymous = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": `198.18.3.${100 + n}` } });
    const signup = await anonymous.post("/signup", { form: { ...SIGNUP, name, email: `fuzz-name-${n}@clinic.example` }, headers: { Origin: baseURL! }, maxRedirects: 0 });
    if (signup.status() !== 400) accepted.push(`sign-up ${JSON.stringify(name)}: ${signup.status()}`);
    await anonymous.dispose();
    const profile = await learner.post("/account?index", { form: { name, licenseType: "LMFT", licenseNumber: "LMFT1", licenseState: "CA" }, headers: { Origin: baseURL! }, maxRedirects: 0 });
    if (profile.status() !== 400) accepted.push(`profile ${JSON.stringify(name)}: ${profile.status()}`);
  }
  expect(accepted).toEqual([]);
  expect(counts()).toEqual(before);
  const db = new Database(E2E_DB, { readonly: true });
  expect((db.prepare("select name from users where email = ?").get(DEMO.learner.email) as { name: string }).name).toBe(DEMO.learner.name);
  db.close();
  await learner.dispose();
});

test("finding 5: quiz answers under prototype keys (q-__proto__, q-constructor, q-toString) are refused without a server error, and the attempt stays open", async ({ baseURL }) => {
  test.setTimeout(90_000);
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL!, "X-Forwarded-For": "198.18.4.1" } });
  await signUp(ctx, `fuzz-quiz-${Date.now()}@clinic.example`);
  for (const lesson of ["welcome", "second-lesson"]) {
    const ids = { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: lesson };
    await ctx.post("/progress", { form: { intent: "view", ...ids } });
    for (let beat = 0; beat < 30; beat++) {
      const answer = (await (await ctx.post("/progress", { form: { intent: "heartbeat", ...ids } })).json()) as { time?: { canComplete: boolean } };
      if (answer.time?.canComplete) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect((await ctx.post("/progress", { form: { intent: "complete", ...ids } })).status()).toBe(200);
  }
  await ctx.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "start" }, maxRedirects: 0 });
  const html = await (await ctx.get("/courses/fixture-course/basics/quiz")).text();
  const attemptId = /name="attemptId" value="([a-z0-9]+)"/.exec(html)![1]!;
  const answers: Record<string, string> = {};
  for (const m of html.matchAll(/name="q-([a-z0-9-]+)" value="([a-z0-9-]+)"/g)) answers[`q-${m[1]}`] ??= m[2]!;
  expect(Object.keys(answers).length).toBeGreaterThan(0);

  const before = counts();
  // Fields without the q- prefix are not answers and are ignored; these name questions that cannot exist.
  for (const key of PROTOTYPE_KEYS.filter((k) => k.startsWith("q-"))) {
    for (const extra of [{ [key]: "a" }, { [key]: answers[Object.keys(answers)[0]!]! }]) {
      const form = new URLSearchParams({ intent: "submit", attemptId, ...answers });
      for (const [k, v] of Object.entries(extra)) form.append(k, v);
      const res = await ctx.post("/courses/fixture-course/basics/quiz?index", { data: form.toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });
      expect(res.status(), `field ${key}`).toBeLessThan(500);
      expect(res.status(), `field ${key}`).not.toBe(302);
    }
  }
  expect(counts()).toEqual(before);
  const db = new Database(E2E_DB, { readonly: true });
  expect((db.prepare("select status from quiz_attempts where id = ?").get(attemptId) as { status: string }).status).toBe("open");
  db.close();
  // The same attempt, answered properly, is then accepted: the refusals were about the keys alone.
  const ok = await ctx.post("/courses/fixture-course/basics/quiz?index", { form: { intent: "submit", attemptId, ...answers }, maxRedirects: 0 });
  expect(ok.status()).toBe(302);
  await ctx.dispose();
});

/** A new account, signed in: at once, or through the emailed confirmation link when sign-up sends one. */
async function signUp(ctx: APIRequestContext, email: string) {
  const res = await ctx.post("/signup", { form: { ...SIGNUP, email }, maxRedirects: 0 });
  if (res.status() === 302) return;
  expect(res.status()).toBe(200);
  const token = new URL(await signUpLink(email), "http://x").searchParams.get("token")!;
  expect((await ctx.post("/signup", { form: { intent: "confirm", token }, maxRedirects: 0 })).status()).toBe(302);
}

/**
 * A raw chunked POST (no Content-Length), written as fast as the server takes it,
 * until it answers. `reset` is set when the server closed the connection before
 * its answer could be read (a reset can overtake a response already sent).
 */
function chunkedPost(baseURL: string, path: string, chunks: Iterable<string | Buffer>, ip: string): Promise<{ status: number; sent: number; body: string; reset?: string }> {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = http.request(new URL(path, baseURL), {
      method: "POST",
      headers: { Origin: baseURL, "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", "X-Forwarded-For": ip },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, sent, body }));
      res.on("error", () => resolve({ status: res.statusCode!, sent, body }));
    });
    // The server may close the connection while we still write: that is the point.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, sent, body: "", reset: error.code ?? error.message });
    });
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      while (!answered && !req.destroyed) {
        const next = iterator.next();
        if (next.done) return void req.end();
        sent += next.value.length;
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

test("finding 2: body limit bypassed with chunked encoding: one over the 1 MiB limit is refused with 413 before it is all sent; a small one is read as usual", async ({ baseURL }) => {
  const before = counts();
  const chunk = Buffer.alloc(64 * 1024, "x");
  const total = 64 * 1024 * 1024;
  function* huge() {
    yield "email=";
    for (let n = 0; n < total / chunk.length; n++) yield chunk;
  }
  // Addresses and emails of their own, so a re-run is never throttled by the last one's failed sign-ins.
  const run = Date.now() % 250;
  const big = await chunkedPost(baseURL!, "/forgot-password", huge(), `198.18.5.${run}`);
  // The server stops reading at the limit and answers 413; its close can reach us as a reset first.
  expect(big.status === 413 || big.reset === "ECONNRESET" || big.reset === "EPIPE", `answer ${big.status} ${big.reset ?? ""}`).toBe(true);
  if (big.status === 413) expect(big.body).toContain("Request too large");
  else test.info().annotations.push({ type: "note", description: `the 413 was overtaken by a connection reset (${big.reset}) after ${big.sent} bytes` });
  expect(big.sent).toBeLessThan(total / 2);
  const plainHealth = await request.newContext({ baseURL });
  expect((await plainHealth.get("/healthz")).status()).toBe(200);
  await plainHealth.dispose();

  // Small and chunked: read as a form like any other (a failed sign-in: recorded for throttling only, which counts() leaves out).
  const small = await chunkedPost(baseURL!, "/login", [`email=nobody-chunked-${run}`, "%40clinic.example&pass", "word=not-the-password"], `198.18.6.${run}`);
  const plain = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": `198.18.7.${run}` } });
  const same = await plain.post("/login", { form: { email: `nobody-plain-${run}@clinic.example`, password: "not-the-password" }, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(small.status).toBe(same.status());
  expect(small.body).toContain("The email or password is incorrect.");
  expect(counts()).toEqual(before);
  await plain.dispose();
});
