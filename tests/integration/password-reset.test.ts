import { describe, expect, test } from "vitest";
import { logIn } from "#app/auth/accounts.server.ts";
import { RESET_TTL_MS, requestPasswordReset, resetPassword } from "#app/auth/password-reset.server.ts";
import { createSession, validateSessionToken } from "#app/auth/session.server.ts";
import { drainMailQueue } from "#app/email/queue.server.ts";
import { action as forgotAction } from "#app/routes/forgot-password.tsx";
import { action as resetAction, loader as resetLoader } from "#app/routes/reset-password.tsx";
import { countRows, createUser, outboxFiles, readEml } from "#tests/db-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

async function latestResetLink(): Promise<string> {
  await drainMailQueue();
  const files = outboxFiles().filter((f) => f.includes("password-reset"));
  const body = readEml(files[files.length - 1]!);
  const match = body.match(/http:\/\/localhost:3000\/reset-password\?token=[a-z0-9]+/);
  if (!match) throw new Error("no reset link in the email");
  return match[0];
}

describe("password reset", () => {
  test("end to end: emailed link, new password, old sessions ended, link single-use", async () => {
    const user = await createUser();
    const oldSession = await createSession(user.id);
    const before = outboxFiles().length;

    const asked = await run<{ sentTo: string }>(forgotAction, formRequest("/forgot-password", { email: user.email.toUpperCase() }));
    expect(asked.data?.sentTo).toBe(user.email);
    await drainMailQueue();
    expect(outboxFiles().length).toBe(before + 1);
    const eml = readEml(outboxFiles().at(-1)!);
    expect(eml).toMatch(new RegExp(`To: ${user.email}`));
    expect(eml).toMatch(/Subject: Reset your KAP Academy password/);

    const link = new URL((await latestResetLink()));
    const page = await run<{ problem: string | null; email: string }>(resetLoader, getRequest(`${link.pathname}${link.search}`));
    expect(page.data).toMatchObject({ problem: null, email: user.email });

    const token = link.searchParams.get("token")!;
    const done = await run(resetAction, formRequest("/reset-password", { token, password: "a brand new passphrase", confirmPassword: "a brand new passphrase" }));
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/login?notice=password-reset");

    expect(await validateSessionToken(oldSession.token)).toBeNull();
    expect((await logIn({ email: user.email, password: user.password, ip: "127.0.0.2" })).ok).toBe(false);
    expect((await logIn({ email: user.email, password: "a brand new passphrase", ip: "127.0.0.2" })).ok).toBe(true);

    const again = await run<{ errors: Record<string, string[]> }>(resetAction, formRequest("/reset-password", { token, password: "yet another passphrase", confirmPassword: "yet another passphrase" }));
    expect(again.status).toBe(400);
    expect(again.data?.errors.form?.[0]).toMatch(/already been used/);
    expect((await logIn({ email: user.email, password: "yet another passphrase", ip: "127.0.0.3" })).ok).toBe(false);
  });

  test("an unknown email gets the same answer, and its inbox a note that no account uses it (no link)", async () => {
    const before = outboxFiles().length;
    const res = await run<{ sentTo: string }>(forgotAction, formRequest("/forgot-password", { email: "nobody-here@clinic.example" }));
    expect(res.status).toBe(200);
    expect(res.data?.sentTo).toBe("nobody-here@clinic.example");
    await drainMailQueue();
    expect(outboxFiles().length).toBe(before + 1);
    const eml = readEml(outboxFiles().at(-1)!);
    expect(eml).toMatch(/To: nobody-here@clinic.example/);
    expect(eml).toMatch(/no account uses this address/);
    expect(eml).not.toMatch(/reset-password\?token=/);
  });

  test("a link expires after one hour", async () => {
    const user = await createUser();
    const now = Date.now();
    await requestPasswordReset(user.email, now);
    const token = new URL((await latestResetLink())).searchParams.get("token")!;
    const late = await resetPassword(token, "a brand new passphrase", now + RESET_TTL_MS + 1);
    expect(late).toEqual({ ok: false, problem: "expired" });
    expect((await logIn({ email: user.email, password: user.password, ip: "127.0.0.4" })).ok).toBe(true);
  });

  test("a forged token or a weak new password changes nothing", async () => {
    const user = await createUser();
    const forged = await run<{ problem: string }>(resetLoader, getRequest("/reset-password?token=abc123"));
    expect(forged.data?.problem).toMatch(/not valid/);
    await requestPasswordReset(user.email);
    const token = new URL((await latestResetLink())).searchParams.get("token")!;
    const weak = await run<{ errors: Record<string, string[]> }>(resetAction, formRequest("/reset-password", { token, password: "short", confirmPassword: "short" }));
    expect(weak.status).toBe(400);
    expect(weak.data?.errors.password).toContain("Use at least 10 characters.");
    // The token is still usable after a refused attempt.
    expect((await resetPassword(token, "a brand new passphrase")).ok).toBe(true);
  });

  test("requests beyond three an hour send nothing more", async () => {
    const user = await createUser();
    const now = Date.now();
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await requestPasswordReset(user.email, now + i)).sent);
    expect(results).toEqual([true, true, true, false, false]);
    expect(countRows("password_resets")).toBeGreaterThanOrEqual(3);
  });
});
