import { sha256 } from "@oslojs/crypto/sha2";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  readSessionToken,
  sessionCookie,
  SESSION_TTL_MS,
  validateSessionToken,
} from "#app/auth/session.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { sessions, users } from "#app/db/schema.ts";
import { createUser } from "#tests/db-utils.ts";

const DAY = 24 * 60 * 60 * 1000;

describe("sessions", () => {
  test("only the SHA-256 of the secret is stored, never the token", async () => {
    const user = await createUser();
    const { token, session } = await createSession(user.id);
    const [id, secret] = token.split(".") as [string, string];
    expect(session.id).toBe(id);
    const row = getDb().select().from(sessions).where(eq(sessions.id, id)).get()!;
    expect(Buffer.from(row.secretHash).equals(Buffer.from(sha256(new TextEncoder().encode(secret))))).toBe(true);
    const stored = JSON.stringify(getDb().$client.prepare("select * from sessions").all());
    expect(stored).not.toContain(secret);
    expect(secret.length).toBeGreaterThanOrEqual(32);
  });

  test("a valid token returns the user; a forged secret or unknown id does not", async () => {
    const user = await createUser({ role: "author" });
    const { token } = await createSession(user.id);
    const result = await validateSessionToken(token);
    expect(result?.user).toMatchObject({ id: user.id, role: "author", email: user.email });
    const [id, secret] = token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    expect(await validateSessionToken(`${id}.${flipped}`)).toBeNull();
    expect(await validateSessionToken(`nope.${secret}`)).toBeNull();
    expect(await validateSessionToken("garbage")).toBeNull();
    expect(await validateSessionToken("")).toBeNull();
  });

  test("an expired session is refused and deleted", async () => {
    const user = await createUser();
    const now = Date.now();
    const { token, session } = await createSession(user.id, now);
    expect(await validateSessionToken(token, now + SESSION_TTL_MS + 1)).toBeNull();
    expect(getDb().select().from(sessions).where(eq(sessions.id, session.id)).get()).toBeUndefined();
  });

  test("expiry slides forward once half the lifetime is used, not before", async () => {
    const user = await createUser();
    const now = Date.now();
    const { token, session } = await createSession(user.id, now);
    const early = await validateSessionToken(token, now + 10 * DAY);
    expect(early?.renewed).toBe(false);
    expect(early?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());

    const later = now + 16 * DAY;
    const renewed = await validateSessionToken(token, later);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.session.expiresAt.getTime()).toBe(later + SESSION_TTL_MS);
    const row = getDb().select().from(sessions).where(eq(sessions.id, session.id)).get()!;
    expect(row.expiresAt.getTime()).toBe(later + SESSION_TTL_MS);
    // Past the original expiry, the renewed session still works.
    expect(await validateSessionToken(token, now + 40 * DAY)).not.toBeNull();
  });

  test("logout ends one session; password change ends them all", async () => {
    const user = await createUser();
    const a = await createSession(user.id);
    const b = await createSession(user.id);
    await invalidateSession(a.session.id);
    expect(await validateSessionToken(a.token)).toBeNull();
    expect(await validateSessionToken(b.token)).not.toBeNull();
    const c = await createSession(user.id);
    await invalidateUserSessions(user.id);
    expect(await validateSessionToken(b.token)).toBeNull();
    expect(await validateSessionToken(c.token)).toBeNull();
  });

  test("a deactivated user's sessions stop working", async () => {
    const user = await createUser();
    const { token } = await createSession(user.id);
    getDb().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id)).run();
    expect(await validateSessionToken(token)).toBeNull();
  });

  test("the cookie is HttpOnly and Lax, and Secure over HTTPS", () => {
    const expires = new Date(Date.now() + SESSION_TTL_MS);
    const plain = sessionCookie("id.secret", expires, false);
    expect(plain).toMatch(/^kap_session=id\.secret; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(plain).not.toMatch(/Secure/);
    expect(sessionCookie("id.secret", expires, true)).toMatch(/; Secure$/);
    expect(readSessionToken("theme=dark; kap_session=abc.def; other=1")).toBe("abc.def");
    expect(readSessionToken("theme=dark")).toBeNull();
  });
});
