import { and, eq, sql } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { licenses, sessions, users, type License, type User } from "#app/db/schema.ts";
import { appendAudit } from "#app/audit/audit.server.ts";
import { sendEmail } from "#app/email/mailer.server.ts";
import { passwordChangedEmail } from "#app/email/templates.ts";
import type { FieldErrors, LicenseInput } from "./forms.ts";
import { getDecoyHash, passwords } from "./password.server.ts";
import { createSession, invalidateUserSessions } from "./session.server.ts";
import { LOGIN_WINDOW_MS, loginThrottle, recordLoginAttempt, retryMessage } from "./throttle.server.ts";

export type Account = Pick<User, "id" | "email" | "name" | "role" | "createdAt"> & { licenses: License[] };

export async function getAccount(userId: string): Promise<Account | null> {
  const db = getDb();
  const user = db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return null;
  const list = db.select().from(licenses).where(eq(licenses.userId, userId)).orderBy(sql`rowid`).all();
  return { ...user, licenses: list };
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return getDb().select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export type SignupInput = { name: string; email: string; password: string; licenses: LicenseInput[]; role?: User["role"] };

export async function signUp(
  input: SignupInput,
): Promise<{ ok: true; user: User } | { ok: false; fieldErrors: FieldErrors }> {
  const duplicate = { ok: false as const, fieldErrors: { email: ["An account with this email already exists. Sign in, or reset your password."] } };
  if (await findUserByEmail(input.email)) return duplicate;
  const passwordHash = await passwords.hash(input.password);
  const db = getDb();
  try {
    const user = db.transaction((tx) => {
      const created = tx
        .insert(users)
        .values({ id: createId(), email: input.email, name: input.name, role: input.role ?? "learner", passwordHash })
        .returning()
        .get();
      for (const l of input.licenses) {
        tx.insert(licenses).values({ id: createId(), userId: created.id, type: l.type, number: l.number, state: l.state }).run();
      }
      return created;
    });
    return { ok: true, user };
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides.
    if (error instanceof Error && /UNIQUE constraint failed: users\.email/.test(error.message)) return duplicate;
    throw error;
  }
}

export type LoginResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; status: 400 | 403 | 429; message: string; retryAt?: Date };

/**
 * Checks the throttle first (no hashing for a locked email or IP), then the
 * password. Unknown emails cost the same hashing as known ones.
 */
export async function logIn({ email, password, ip, now = Date.now() }: { email: string; password: string; ip: string; now?: number }): Promise<LoginResult> {
  const throttle = loginThrottle(email, ip, now);
  if (throttle.locked) {
    return { ok: false, status: 429, message: retryMessage(throttle.retryAt, now), retryAt: throttle.retryAt };
  }
  const user = await findUserByEmail(email);
  const valid = await passwords.verify(user?.passwordHash ?? (await getDecoyHash()), password);
  if (!user || !valid) {
    recordLoginAttempt(email, ip, false, now);
    const left = throttle.failuresLeft - 1;
    const warning = left > 0 && left <= 2 ? ` ${left} attempt${left === 1 ? "" : "s"} left before sign-in is paused for 15 minutes.` : "";
    if (left <= 0) {
      // This failure set the lock: read its end back, as the next attempt will see it.
      const lock = loginThrottle(email, ip, now);
      const retryAt = lock.locked ? lock.retryAt : new Date(now + LOGIN_WINDOW_MS);
      return { ok: false, status: 429, message: retryMessage(retryAt, now), retryAt };
    }
    return { ok: false, status: 400, message: `The email or password is incorrect.${warning}` };
  }
  if (user.deactivatedAt) {
    return { ok: false, status: 403, message: "This account has been deactivated. Contact your CE administrator to restore access." };
  }
  recordLoginAttempt(email, ip, true, now);
  const { token, session } = await createSession(user.id, now);
  return { ok: true, user, token, expiresAt: session.expiresAt };
}

export async function updateProfile(userId: string, input: { name: string; licenses: LicenseInput[] }): Promise<void> {
  const db = getDb();
  db.transaction((tx) => {
    tx.update(users).set({ name: input.name, updatedAt: new Date() }).where(eq(users.id, userId)).run();
    const existing = tx.select().from(licenses).where(eq(licenses.userId, userId)).all();
    const key = (l: { type: string; number: string; state: string }) => `${l.type}|${l.number}|${l.state}`;
    const wanted = new Set(input.licenses.map(key));
    for (const l of existing) {
      if (!wanted.has(key(l))) tx.delete(licenses).where(and(eq(licenses.id, l.id), eq(licenses.userId, userId))).run();
    }
    const kept = new Set(existing.map(key));
    for (const l of input.licenses) {
      if (!kept.has(key(l))) {
        tx.insert(licenses).values({ id: createId(), userId, type: l.type, number: l.number, state: l.state }).run();
      }
    }
  });
}

/**
 * Changes the password and signs out every session, then opens a fresh one
 * for the browser that made the change.
 */
export async function changePassword(
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; fieldErrors: FieldErrors }> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return { ok: false, fieldErrors: { form: ["Your account could not be found."] } };
  if (!(await passwords.verify(user.passwordHash, input.currentPassword))) {
    return { ok: false, fieldErrors: { currentPassword: ["Your current password is not correct."] } };
  }
  const passwordHash = await passwords.hash(input.newPassword);
  db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId)).run();
  await invalidateUserSessions(userId);
  const { token, session } = await createSession(userId);
  await sendEmail({ to: user.email, template: "password-changed", ...passwordChangedEmail({ name: user.name }) });
  return { ok: true, token, expiresAt: session.expiresAt };
}

/**
 * A learner closes their own account: sign-in stops and sessions end, but the
 * CE records (completions, certificates, attempts, attestations) are kept, as
 * accreditors require them for at least six years.
 */
export async function closeAccount(userId: string, password: string, now: Date = new Date()): Promise<{ ok: true } | { ok: false; fieldErrors: FieldErrors }> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user || !(await passwords.verify(user.passwordHash, password))) return { ok: false, fieldErrors: { closePassword: ["Your password is not correct."] } };
  db.transaction((tx) => {
    tx.update(users).set({ deactivatedAt: now, updatedAt: now }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    appendAudit(tx, { actorId: userId, action: "user.closed_own_account", entityType: "user", entityId: userId, after: { active: false }, at: now });
  });
  return { ok: true };
}
