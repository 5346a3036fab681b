import { expect, test } from "@playwright/test";
import { DEMO, gotoHydrated, signIn, signUp, uniqueEmail } from "./utils.ts";

test("a learner cannot reach administration; an anonymous visitor is sent to sign in", async ({ page }) => {
  const anonymous = await page.goto("/admin/users");
  expect(anonymous?.status()).toBe(200);
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fusers/);

  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("link", { name: "Administration" })).toHaveCount(0);
  const res = await page.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
});

test("an admin changes a user's role", async ({ page, browser }) => {
  const email = uniqueEmail("promote");
  const signup = await browser.newContext();
  const p = await signup.newPage();
  await signUp(p, { name: "Quinn Promoted", email, password: "promotion passphrase", license: { type: "Psychologist", number: "PSY 100", state: "OR" } });

  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  await gotoHydrated(page, "/admin/users?q=Quinn");
  const row = page.getByTestId("user-row").filter({ hasText: email });
  await row.getByLabel("Role of Quinn Promoted").selectOption("author");
  await row.getByRole("button", { name: "Save role of Quinn Promoted" }).click();
  await expect(page.getByRole("status")).toHaveText("Role updated.");
  await gotoHydrated(page, "/admin");
  await expect(page.getByRole("cell", { name: "user.role_changed" }).first()).toBeVisible();

  await p.reload();
  await expect(p.getByTestId("role-badge")).toHaveText("Author");
  await signup.close();
});

test("a cross-site POST is refused and changes nothing", async ({ page, request, baseURL }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await expect(page).toHaveURL(/\/dashboard/);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "kap_session")!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe("Lax");

  const form = { name: "Hacked Name", licenseType: "LPC", licenseNumber: "1", licenseState: "TX" };
  // Another origin: React Router's own origin check refuses it before any middleware runs.
  const forged = await request.post("/account", {
    headers: { Origin: "https://evil.example", Cookie: `kap_session=${session.value}`, "Sec-Fetch-Site": "cross-site" },
    form,
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(400);
  // A cross-site request without Origin passes that check; the cross-site middleware refuses it.
  const crossSite = await request.post("/account", {
    headers: { Cookie: `kap_session=${session.value}`, "Sec-Fetch-Site": "cross-site" },
    form,
    maxRedirects: 0,
  });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toMatch(/Refused: a POST request from another site/);

  const noOrigin = await request.post("/logout", { headers: { Cookie: `kap_session=${session.value}` }, maxRedirects: 0 });
  expect(noOrigin.status()).toBe(403);

  await page.goto("/account");
  await expect(page.getByLabel("Full legal name")).toHaveValue(DEMO.learner.name);

  // The same request from our own origin is accepted.
  const same = await request.post("/logout", { headers: { Origin: baseURL!, Cookie: `kap_session=${session.value}` }, maxRedirects: 0 });
  expect(same.status()).toBe(302);
});

test("five wrong passwords lock that email for 15 minutes", async ({ browser }) => {
  // Distinct client addresses, so the IP lock does not affect other tests.
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.77" } });
  const page = await context.newPage();
  const email = uniqueEmail("locked");
  await signUp(page, { name: "Kim Locked", email, password: "the real passphrase", license: { type: "LPC", number: "LPC 9", state: "TX" } });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  for (let i = 1; i <= 5; i++) {
    await signIn(page, email, `wrong password ${i}`, { expectError: true });
  }
  await expect(page.getByRole("alert")).toContainText("try again in 15 minutes");
  // Even the right password is refused now, from another address too.
  const other = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.78" } });
  const page2 = await other.newPage();
  await signIn(page2, email, "the real passphrase", { expectError: true });
  await expect(page2.getByRole("alert")).toContainText(/try again in 1[45] minutes/);
  await expect(page2).toHaveURL(/\/login/);
  await context.close();
  await other.close();
});

test("health check and security headers", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.text()).toBe("ok");
  const home = await request.get("/");
  const headers = home.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});

test("the layout works on a 375 px phone and the page hydrates under the CSP", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Keyboard users see where focus is.
  await page.goto("/dashboard");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  expect(errors).toEqual([]);
  await context.close();
});

test("the issuer's DID document is served for did:web resolution", async ({ request, baseURL }) => {
  const res = await request.get("/.well-known/did.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  const host = new URL(baseURL!).host.replace(":", "%3A");
  expect(doc.id).toBe(`did:web:${host}`);
  expect(doc.verificationMethod[0]).toMatchObject({ type: "Multikey", controller: doc.id });
});
