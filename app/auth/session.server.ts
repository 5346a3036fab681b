import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { prepared } from "#app/db/prepared.server.ts";
import { sessions, users, type Session, type User } from "#app/db/schema.ts";

/**
 * Database sessions in the Lucia design (lucia-auth.com, "Sessions").
 *
 * The cookie carries `<id>.<secret>`. The id finds the row; the secret is
 * compared, in constant time, with the SHA-256 stored in the row. Expiry
 * slides: a session used after half its lifetime is extended to a full one.
 */

export const SESSION_COOKIE_NAME = "kap_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type SessionUser = Pick<User, "id" | "email" | "name" | "role">;
export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean };

function randomSecret(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return encodeBase32LowerCaseNoPadding(buf);
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** A new token: 120-bit id (not secret) and 160-bit secret. */
export function generateSessionToken(): { id: string; secret: string; token: string } {
  const id = randomSecret(15);
  const secret = randomSecret(20);
  return { id, secret, token: `${id}.${secret}` };
}

export async function createSession(
  userId: string,
  now: number = Date.now(),
): Promise<{ token: string; session: Session }> {
  const { id, secret, token } = generateSessionToken();
  const session = getDb()
    .insert(sessions)
    .values({
      id,
      userId,
      secretHash: Buffer.from(hashSecret(secret)),
      expiresAt: new Date(now + SESSION_TTL_MS),
      createdAt: new Date(now),
    })
    .returning()
    .get();
  return { token, session };
}

// Runs on every signed-in request.
const sessionWithUser = prepared((db) =>
  db
    .select({
      session: sessions,
      user: { id: users.id, email: users.email, name: users.name, role: users.role, deactivatedAt: users.deactivatedAt },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .prepare(),
);

/** Returns the session and its user, or null for an unknown, forged or expired token. */
export async function validateSessionToken(
  token: string,
  now: number = Date.now(),
): Promise<SessionValidation | null> {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 200) return null;
  const [id, secret] = parts as [string, string];
  const db = getDb();
  const row = sessionWithUser().get({ id });
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.session.secretHash))) return null;
  if (row.session.expiresAt.getTime() <= now || row.user.deactivatedAt) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  let session = row.session;
  let renewed = false;
  if (session.expiresAt.getTime() - now < SESSION_TTL_MS / 2) {
    const expiresAt = new Date(now + SESSION_TTL_MS);
    db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id)).run();
    session = { ...session, expiresAt };
    renewed = true;
  }
  const { deactivatedAt: _ignored, ...user } = row.user;
  return { session, user, renewed };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  getDb().delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Signs the user out everywhere (password change, reset, deactivation). */
export async function invalidateUserSessions(userId: string, exceptSessionId?: string): Promise<void> {
  const db = getDb();
  const where = exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId);
  db.delete(sessions).where(where).run();
}

export async function deleteExpiredSessions(now: number = Date.now()): Promise<number> {
  return getDb().delete(sessions).where(lt(sessions.expiresAt, new Date(now))).run().changes;
}

// ---- cookies --------------------------------------------------------------

/** Cookies are marked Secure whenever the site is served over HTTPS. */
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [`${SESSION_COOKIE_NAME}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function blankSessionCookie(secure: boolean): string {
  const parts = [`${SESSION_COOKIE_NAME}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    if (pair.slice(0, eq).trim() === SESSION_COOKIE_NAME) {
      const value = pair.slice(eq + 1).trim();
      return value || null;
    }
  }
  return null;
}
