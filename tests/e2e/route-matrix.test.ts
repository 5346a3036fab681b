import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { DEMO } from "./utils.ts";

/**
 * Every page requested as anonymous, learner, author and admin, with the
 * expected status: 200, 302 (to sign in, or away from sign-in), 403 or 404.
 */
type Role = "anonymous" | "learner" | "author" | "mentor" | "admin";
type Expect = Record<Role, number>;

const PUBLIC: Expect = { anonymous: 200, learner: 200, author: 200, mentor: 200, admin: 200 };
const ANONYMOUS_ONLY: Expect = { anonymous: 200, learner: 302, author: 302, mentor: 302, admin: 302 };
const SIGNED_IN: Expect = { anonymous: 302, learner: 200, author: 200, mentor: 200, admin: 200 };
const AUTHORS: Expect = { anonymous: 302, learner: 403, author: 200, mentor: 403, admin: 200 };
const DRAFT: Expect = { anonymous: 302, learner: 404, author: 200, mentor: 404, admin: 200 };
const MENTORS: Expect = { anonymous: 302, learner: 403, author: 403, mentor: 200, admin: 200 };
const ADMINS: Expect = { anonymous: 302, learner: 403, author: 403, mentor: 403, admin: 200 };
const NOT_FOUND: Expect = { anonymous: 404, learner: 404, author: 404, mentor: 404, admin: 404 };
/** Behind an unmet prerequisite: to sign in, or to the course page (302); staff preview. */
const LOCKED: Expect = { anonymous: 302, learner: 302, author: 200, mentor: 302, admin: 200 };
/** A signed-in user's own record that does not exist. */
const OWN_MISSING: Expect = { anonymous: 302, learner: 404, author: 404, mentor: 404, admin: 404 };

const MATRIX: Array<[string, Expect]> = [
  ["/", PUBLIC],
  ["/courses", PUBLIC],
  ["/courses/fixture-course", PUBLIC],
  ["/verify", PUBLIC],
  ["/healthz", PUBLIC],
  ["/.well-known/did.json", PUBLIC],
  ["/api/verify/AAAAA-AAAAA-AAAAA-AAAAA", NOT_FOUND],
  ["/verify/AAAAA-AAAAA-AAAAA-AAAAA", NOT_FOUND],
  ["/credentials/status/1", PUBLIC],
  ["/credentials/status/2", NOT_FOUND],
  ["/courses/no-such-course", NOT_FOUND],
  ["/login", ANONYMOUS_ONLY],
  ["/signup", ANONYMOUS_ONLY],
  ["/forgot-password", PUBLIC],
  ["/dashboard", SIGNED_IN],
  ["/account", SIGNED_IN],
  ["/account/password", SIGNED_IN],
  ["/certificates", SIGNED_IN],
  ["/transcript", SIGNED_IN],
  ["/transcript?period=last-2-years", SIGNED_IN],
  ["/transcript/csv", SIGNED_IN],
  ["/transcript/pdf", SIGNED_IN],
  ["/transcript/entries/new", SIGNED_IN],
  ["/transcript/entries/no-such-entry", OWN_MISSING],
  ["/transcript/entries/no-such-entry/file", OWN_MISSING],
  ["/courses/fixture-course/basics", SIGNED_IN],
  ["/courses/fixture-course/basics/welcome", SIGNED_IN],
  ["/courses/fixture-course/basics/quiz", SIGNED_IN],
  ["/courses/fixture-course/evaluation", SIGNED_IN],
  ["/courses/fixture-course/complete", SIGNED_IN],
  ["/courses/fixture-course/basics/work-in-progress", DRAFT],
  ["/author", AUTHORS],
  ["/author/items/fixture-course", AUTHORS],
  // Branching cases: enrolled learners play (the demo learner is not enrolled in fixture-cases); authors and admins preview.
  ["/courses/fixture-cases/consult/case/second-lozenge", { anonymous: 302, learner: 403, author: 200, mentor: 403, admin: 200 }],
  ["/courses/fixture-cases/consult/case/no-such-case", OWN_MISSING],
  ["/courses/fixture-cases/consult/case/second-lozenge/no-such-run", OWN_MISSING],
  ["/author/cases/fixture-cases", AUTHORS],
  // A course with a prerequisite (fixture-course, which no demo account has completed): its page is public;
  // learners and mentors are sent from its inner pages to it; authors and admins preview.
  ["/courses/fixture-advanced", PUBLIC],
  ...["/next", "/next/deeper", "/post-test/quiz", "/evaluation", "/complete"].map((p): [string, Expect] => [`/courses/fixture-advanced${p}`, LOCKED]),
  ["/admin", ADMINS],
  ["/admin/users", ADMINS],
  ["/admin/certificates", ADMINS],
  ["/admin/certificates/AAAAA-AAAAA-AAAAA-AAAAA", { anonymous: 302, learner: 403, author: 403, mentor: 403, admin: 404 }],
  ["/admin/completions", ADMINS],
  ["/admin/audit", ADMINS],
  ["/admin/emails", ADMINS],
  ["/admin/mentoring", ADMINS],
  ["/mentor", MENTORS],
  ["/admin/reports/fixture-course", ADMINS],
  ["/admin/completions/export?format=csv", ADMINS],
];

async function contextFor(role: Role, baseURL: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": `192.0.2.${["anonymous", "learner", "author", "mentor", "admin"].indexOf(role) + 10}` } });
  if (role === "anonymous") return ctx;
  const res = await ctx.post("/login", { form: { email: DEMO[role].email, password: DEMO[role].password }, headers: { Origin: baseURL }, maxRedirects: 0 });
  expect(res.status(), `sign in as ${role}`).toBe(302);
  return ctx;
}

for (const role of ["anonymous", "learner", "author", "mentor", "admin"] as const) {
  test(`route matrix as ${role}`, async ({ baseURL }) => {
    const ctx = await contextFor(role, baseURL!);
    const failures: string[] = [];
    for (const [url, expected] of MATRIX) {
      const res = await ctx.get(url, { maxRedirects: 0 });
      if (res.status() !== expected[role]) failures.push(`${url}: expected ${expected[role]}, got ${res.status()}`);
      if (res.status() === 302 && expected[role] === 302 && SIGNED_IN[role] === 302) {
        expect(res.headers().location, url).toMatch(/^\/login/);
      } else if (res.status() === 302 && expected === LOCKED) {
        expect(res.headers().location, url).toBe("/courses/fixture-advanced");
      }
    }
    expect(failures).toEqual([]);
    await ctx.dispose();
  });
}

test("HSTS is sent when the site is served over HTTPS (behind a proxy)", async ({ baseURL }) => {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-Proto": "https" } });
  const res = await ctx.get("/");
  expect(res.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  const plain = await (await request.newContext({ baseURL })).get("/");
  expect(plain.headers()["strict-transport-security"]).toBeUndefined();
  await ctx.dispose();
});
