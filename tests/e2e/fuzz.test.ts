import { expect, request, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";
import { DEMO, E2E_DB } from "./utils.ts";

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
  "/admin/users", "/admin/certificates", "/admin/completions",
];
const RESOURCES = [
  "/lesson-code/", "/certificates/", "/api/verify/", "/verify/", "/courses/fixture-course/assets/",
  "/admin/completions/export?format=", "/admin/completions/pdfs?from=", "/courses/", "/admin/learners/",
];
const FIELDS = ["email", "password", "confirmPassword", "name", "licenseType", "licenseNumber", "licenseState", "intent", "attemptId", "token", "userId", "role", "certificateId", "reason", "courseId", "moduleSlug", "lessonSlug", "promptId", "text", "confirm", "currentPassword", "newPassword", "closePassword", "id", "q-who-prescribes", "learned"];

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
