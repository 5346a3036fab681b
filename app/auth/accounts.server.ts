import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { licenses, pendingSignups, sessions, users, type License, type User } from "#app/db/schema.ts";
import { appendAudit } from "#app/audit/audit.server.ts";
import { emailsSentTo, enqueueEmail } from "#app/email/queue.server.ts";
import { confirmSignupEmail, passwordChangedEmail, signupExistingEmail, welcomeEmail, type SupportContact } from "#app/email/templates.ts";
import { listCourses } from "#app/content/catalog.server.ts";
import { publicOrigin } from "#app/env.server.ts";
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

type NewAccount = { name: string; email: string; passwordHash: string; licenses: LicenseInput[]; role?: User["role"] };

function insertAccount(tx: Pick<DB, "insert">, input: NewAccount): User {
  const created = tx
    .insert(users)
    .values({ id: createId(), email: input.email, name: input.name, role: input.role ?? "learner", passwordHash: input.passwordHash })
    .returning()
    .get();
  for (const l of input.licenses) {
    tx.insert(licenses).values({ id: createId(), userId: created.id, type: l.type, number: l.number, state: l.state }).run();
  }
  return created;
}

const DUPLICATE_MESSAGE = "An account with this email already exists. Sign in, or reset your password.";
const isDuplicateEmail = (error: unknown) => error instanceof Error && /UNIQUE constraint failed: users\.email/.test(error.message);

/**
 * Creates an account at once, without an email round trip: for the demo seed,
 * tests and administrators' tools. The sign-up form goes through
 * requestSignUp / confirmSignUp instead (decision 015).
 */
export async function signUp(
  input: SignupInput,
): Promise<{ ok: true; user: User } | { ok: false; fieldErrors: FieldErrors }> {
  const duplicate = { ok: false as const, fieldErrors: { email: [DUPLICATE_MESSAGE] } };
  if (await findUserByEmail(input.email)) return duplicate;
  const passwordHash = await passwords.hash(input.password);
  try {
    return { ok: true, user: getDb().transaction((tx) => insertAccount(tx, { ...input, passwordHash })) };
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides.
    if (isDuplicateEmail(error)) return duplicate;
    throw error;
  }
}

/** A sign-up link works once, for this long. */
export const SIGNUP_TTL_MS = 24 * 60 * 60 * 1000;
/** More sign-ups than this in one hour for one address send nothing more (no inbox flooding). */
const MAX_SIGNUP_EMAILS_PER_HOUR = 3;
const SIGNUP_TEMPLATES = ["signup-confirm", "signup-existing"];

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * The sign-up form (decision 015): the same answer and the same work whatever
 * the address. A new address gets a pending sign-up and an email with a
 * confirmation link; an address with an account gets an email telling its owner
 * that someone tried to register with it. No account exists, and no one is
 * signed in, until the link is followed. The email is queued, never awaited.
 */
export async function requestSignUp(input: SignupInput, now: number = Date.now()): Promise<void> {
  const email = input.email.trim().toLowerCase();
  // Hashed either way, so an existing address answers no faster.
  const passwordHash = await passwords.hash(input.password);
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  const at = new Date(now);
  getDb().transaction((tx) => {
    if (emailsSentTo(email, SIGNUP_TEMPLATES, new Date(now - 60 * 60 * 1000), tx) >= MAX_SIGNUP_EMAILS_PER_HOUR) return;
    const existing = tx.select({ name: users.name }).from(users).where(eq(users.email, email)).get();
    if (existing) {
      const origin = publicOrigin();
      enqueueEmail({ to: email, template: "signup-existing", ...signupExistingEmail({ name: existing.name, loginUrl: `${origin}/login`, resetUrl: `${origin}/forgot-password` }) }, tx, at);
      return;
    }
    tx.insert(pendingSignups)
      .values({ id: createId(), email, tokenHash: hashToken(token), name: input.name, passwordHash, licenses: JSON.stringify(input.licenses), expiresAt: new Date(now + SIGNUP_TTL_MS), createdAt: at })
      .run();
    const url = `${publicOrigin()}/signup?token=${token}`;
    enqueueEmail({ to: email, template: "signup-confirm", ...confirmSignupEmail({ name: input.name, url, hours: SIGNUP_TTL_MS / 3_600_000 }) }, tx, at);
  });
}

export type SignupLinkProblem = "invalid" | "expired" | "used";

export const SIGNUP_LINK_MESSAGES: Record<SignupLinkProblem, string> = {
  invalid: "This sign-up link is not valid. Check that you copied the whole link, or sign up again.",
  expired: "This sign-up link has expired (links work for 24 hours). Sign up again.",
  used: "This sign-up link has already been used. Sign in with the email and password you chose.",
};

/** What a confirmation link's page shows: whose sign-up it confirms, or why it cannot. */
export function checkSignupToken(token: string, now: number = Date.now()): { ok: true; email: string; name: string } | { ok: false; problem: SignupLinkProblem } {
  const row = getDb().select().from(pendingSignups).where(eq(pendingSignups.tokenHash, hashToken(token))).get();
  if (!row) return { ok: false, problem: "invalid" };
  if (row.usedAt) return { ok: false, problem: "used" };
  if (row.expiresAt.getTime() <= now) return { ok: false, problem: "expired" };
  return { ok: true, email: row.email, name: row.name };
}

/** Whom a learner asks for help: the providers of the catalog's courses (there is no separate support address). */
async function supportContacts(): Promise<SupportContact[]> {
  const byName = new Map<string, SupportContact>();
  for (const c of await listCourses()) if (!byName.has(c.provider.name)) byName.set(c.provider.name, { name: c.provider.name, url: c.provider.url, address: c.provider.address });
  return [...byName.values()];
}

/**
 * Follows a confirmation link: spends it (once, even under a race) and creates
 * the account, with its welcome email queued in the same transaction. Accounts
 * made by signUp (the demo seed, administrators' tools) get no welcome.
 */
export async function confirmSignUp(token: string, now: number = Date.now()): Promise<{ ok: true; user: User } | { ok: false; message: string }> {
  const check = checkSignupToken(token, now);
  if (!check.ok) return { ok: false, message: SIGNUP_LINK_MESSAGES[check.problem] };
  const support = await supportContacts();
  try {
    return getDb().transaction((tx) => {
      const spent = tx
        .update(pendingSignups)
        .set({ usedAt: new Date(now) })
        .where(and(eq(pendingSignups.tokenHash, hashToken(token)), isNull(pendingSignups.usedAt), gt(pendingSignups.expiresAt, new Date(now))))
        .returning()
        .get();
      if (!spent) return { ok: false as const, message: SIGNUP_LINK_MESSAGES.used };
      // Other pending sign-ups for the address can no longer make a second account.
      tx.update(pendingSignups).set({ usedAt: new Date(now) }).where(and(eq(pendingSignups.email, spent.email), isNull(pendingSignups.usedAt))).run();
      const user = insertAccount(tx, { name: spent.name, email: spent.email, passwordHash: spent.passwordHash, licenses: JSON.parse(spent.licenses) as LicenseInput[] });
      enqueueEmail({ to: user.email, template: "welcome", ...welcomeEmail({ name: user.name, origin: publicOrigin(), support }) }, tx, new Date(now));
      return { ok: true as const, user };
    });
  } catch (error) {
    // Only the address's owner holds the link, so saying so reveals nothing.
    if (isDuplicateEmail(error)) return { ok: false, message: DUPLICATE_MESSAGE };
    throw error;
  }
}

export type LoginResult =
  | { ok: true; user: User; token: string; expiresAt: Date }
  | { ok: false; status: 400 | 403; message: string; retryAt?: undefined }
  // A 429 always says when to retry: the page shows it and Retry-After carries it.
  | { ok: false; status: 429; message: string; retryAt: Date };

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
  enqueueEmail({ to: user.email, template: "password-changed", ...passwordChangedEmail({ name: user.name }) });
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
