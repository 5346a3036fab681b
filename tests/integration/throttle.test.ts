import { afterEach, describe, expect, test, vi } from "vitest";
import { logIn } from "#app/auth/accounts.server.ts";
import { passwords } from "#app/auth/password.server.ts";
import { LOGIN_WINDOW_MS } from "#app/auth/throttle.server.ts";
import { action as loginAction } from "#app/routes/login.tsx";
import { countRows, createUser } from "#tests/db-utils.ts";
import { formRequest, run } from "#tests/route-utils.ts";

afterEach(() => vi.restoreAllMocks());

describe("login throttling", () => {
  test("five wrong passwords lock the email for 15 minutes, even for the right password", async () => {
    const user = await createUser();
    const now = Date.now();
    for (let i = 1; i <= 5; i++) {
      const r = await logIn({ email: user.email, password: `wrong-${i}`, ip: `10.0.0.${i}`, now: now + i });
      expect(r.ok).toBe(false);
    }
    const verify = vi.spyOn(passwords, "verify");
    const locked = await logIn({ email: user.email, password: user.password, ip: "10.0.0.99", now: now + 10 });
    expect(locked).toMatchObject({ ok: false, status: 429 });
    expect(!locked.ok && locked.message).toMatch(/try again in 15 minutes/);
    // The refusal costs no hashing.
    expect(verify).not.toHaveBeenCalled();
    verify.mockRestore();

    const after = await logIn({ email: user.email, password: user.password, ip: "10.0.0.99", now: now + LOGIN_WINDOW_MS + 10 });
    expect(after.ok).toBe(true);
  });

  test("five failures from one IP lock that IP for every email", async () => {
    const victim = await createUser();
    const now = Date.now();
    for (let i = 0; i < 5; i++) await logIn({ email: `nobody${i}@example.org`, password: "whatever-pass", ip: "192.0.2.50", now: now + i });
    const r = await logIn({ email: victim.email, password: victim.password, ip: "192.0.2.50", now: now + 10 });
    expect(r).toMatchObject({ ok: false, status: 429 });
    const elsewhere = await logIn({ email: victim.email, password: victim.password, ip: "192.0.2.51", now: now + 10 });
    expect(elsewhere.ok).toBe(true);
  });

  test("a successful sign-in clears the email's earlier failures", async () => {
    const user = await createUser();
    const now = Date.now();
    for (let i = 0; i < 4; i++) await logIn({ email: user.email, password: "wrong-password", ip: `203.0.113.${i}`, now: now + i });
    expect((await logIn({ email: user.email, password: user.password, ip: "203.0.113.9", now: now + 5 })).ok).toBe(true);
    const next = await logIn({ email: user.email, password: "wrong-password", ip: "203.0.113.10", now: now + 6 });
    expect(next).toMatchObject({ ok: false, status: 400 });
  });

  test("the sign-in page says when to retry and sets Retry-After", async () => {
    const user = await createUser();
    const ctx = { clientIp: "198.51.100.200" };
    for (let i = 0; i < 5; i++) await run(loginAction, formRequest("/login", { email: user.email, password: "bad-password" }), ctx);
    const sessionsBefore = countRows("sessions");
    const res = await run<{ errors: Record<string, string[]> }>(loginAction, formRequest("/login", { email: user.email, password: user.password }), ctx);
    expect(res.status).toBe(429);
    expect(res.data?.errors.form?.[0]).toMatch(/try again in 1[45] minutes/);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(800);
    expect(countRows("sessions")).toBe(sessionsBefore);
  });

  test("a wrong password says so and warns before the lock", async () => {
    const user = await createUser();
    const ctx = { clientIp: "198.51.100.201" };
    const first = await run<{ errors: Record<string, string[]> }>(loginAction, formRequest("/login", { email: user.email, password: "bad-password" }), ctx);
    expect(first.status).toBe(400);
    expect(first.data?.errors.form?.[0]).toBe("The email or password is incorrect.");
    await run(loginAction, formRequest("/login", { email: user.email, password: "bad-password" }), ctx);
    const third = await run<{ errors: Record<string, string[]> }>(loginAction, formRequest("/login", { email: user.email, password: "bad-password" }), ctx);
    expect(third.data?.errors.form?.[0]).toMatch(/2 attempts left/);
  });
});
