import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { DEMO, uniqueEmail } from "./utils.ts";

/**
 * Issue 18's sign-in findings replayed against the production server, as the
 * probe sent them: the answers a browser gets, headers included, for page
 * (document) and data (`.data`, React Router's fetch) requests.
 */

let ip = 0;
/** Its own client address per context, so these lockouts touch no other test. */
async function client(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { "X-Forwarded-For": `198.18.7.${++ip}`, Origin: baseURL } });
}

test("finding 1: open redirect: /login?redirectTo=%2F%09%2Fevil.example signs in and stays on this site", async ({ baseURL }) => {
  const ctx = await client(baseURL!);
  const page = await ctx.get("/login?redirectTo=%2F%09%2Fevil.example");
  expect(page.status()).toBe(200);
  // The page's hidden field carries the decoded value back, as a browser posts it.
  const redirectTo = new URL("/login?redirectTo=%2F%09%2Fevil.example", baseURL).searchParams.get("redirectTo")!;
  const res = await ctx.post("/login", { form: { email: DEMO.learner.email, password: DEMO.learner.password, redirectTo }, maxRedirects: 0 });
  expect(res.status()).toBe(302);
  expect(res.headers().location).toBe("/dashboard");
  const kept = await (await client(baseURL!)).post("/login", { form: { email: DEMO.learner.email, password: DEMO.learner.password, redirectTo: "/certificates?x=1" }, maxRedirects: 0 });
  expect(kept.headers().location).toBe("/certificates?x=1");
  await ctx.dispose();
});

test("finding 5: CR/LF redirect: a redirectTo with CR or LF after a correct password answers 302 with the session cookie", async ({ baseURL }) => {
  for (const redirectTo of ["/dashboard\r\nSet-Cookie: evil=1", "/courses\n"]) {
    const ctx = await client(baseURL!);
    const res = await ctx.post("/login", { form: { email: DEMO.learner.email, password: DEMO.learner.password, redirectTo }, maxRedirects: 0 });
    expect(res.status()).toBe(302);
    expect(res.headers().location).toMatch(/^\/[^/\\]/);
    expect(res.headers()["set-cookie"]).toMatch(/^kap_session=/);
    expect(res.headers()["set-cookie"]).not.toMatch(/evil/);
    // The cookie works: the dashboard opens.
    expect((await ctx.get("/dashboard", { maxRedirects: 0 })).status()).toBe(200);
    await ctx.dispose();
  }
});

test("finding 8: Retry-After: locked sign-in answers 429 with Retry-After for page and data requests", async ({ baseURL }) => {
  const email = uniqueEmail("locked");
  const ctx = await client(baseURL!);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await ctx.post("/login", { form: { email, password: "not the password" }, maxRedirects: 0 });
    statuses.push(res.status());
    if (res.status() === 429) expect(Number(res.headers()["retry-after"])).toBeGreaterThan(800);
  }
  expect(statuses).toEqual([400, 400, 400, 400, 429]);
  const page = await ctx.post("/login", { form: { email, password: "not the password" }, maxRedirects: 0 });
  expect(page.status()).toBe(429);
  const pageRetry = page.headers()["retry-after"]!;
  expect(pageRetry).toMatch(/^\d+$/);
  expect(Number(pageRetry)).toBeGreaterThan(800);
  expect(Number(pageRetry)).toBeLessThanOrEqual(900);
  expect(await page.text()).toMatch(/try again in 1[45] minutes/);

  // React Router's client posts the form to /login.data.
  const data = await ctx.post("/login.data", { form: { email, password: "not the password" }, maxRedirects: 0 });
  expect(data.status()).toBe(429);
  expect(Number(data.headers()["retry-after"])).toBeGreaterThan(800);
  await ctx.dispose();
});
