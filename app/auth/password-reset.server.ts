import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { passwordResets, sessions, users } from "#app/db/schema.ts";
import { emailsSentTo, enqueueEmail } from "#app/email/queue.server.ts";
import { passwordResetClosedEmail, passwordResetEmail, passwordResetNoAccountEmail } from "#app/email/templates.ts";
import { publicOrigin } from "#app/env.server.ts";
import { passwords } from "./password.server.ts";

export const RESET_TTL_MS = 60 * 60 * 1000;
/** More requests than this in one hour for one address send nothing more (no inbox flooding). */
const MAX_RESETS_PER_HOUR = 3;

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Every message a reset request can send: the per-address limit counts them all alike. */
const RESET_TEMPLATES = ["password-reset", "password-reset-no-account", "password-reset-closed"];

/**
 * Queues one email to the address, whether or not it has an account: a
 * single-use reset link for an active account, a note that the account is
 * closed, or a note that no account uses the address. Either way the request
 * does the same work (a token, one transaction, one queued row) and never waits
 * for the mail server, so neither the answer nor its timing reveals an account.
 * `sent` says whether a reset link was made (for tests).
 */
export async function requestPasswordReset(email: string, now: number = Date.now()): Promise<{ sent: boolean }> {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  const tokenHash = hashToken(token);
  const at = new Date(now);
  return getDb().transaction((tx) => {
    if (emailsSentTo(email, RESET_TEMPLATES, new Date(now - RESET_TTL_MS), tx) >= MAX_RESETS_PER_HOUR) return { sent: false };
    const user = tx.select().from(users).where(eq(users.email, email)).get();
    if (!user) {
      enqueueEmail({ to: email, template: "password-reset-no-account", ...passwordResetNoAccountEmail({ email, signupUrl: `${publicOrigin()}/signup` }) }, tx, at);
      return { sent: false };
    }
    if (user.deactivatedAt) {
      enqueueEmail({ to: user.email, template: "password-reset-closed", ...passwordResetClosedEmail({ name: user.name }) }, tx, at);
      return { sent: false };
    }
    // A new link replaces any earlier unused one.
    tx.update(passwordResets)
      .set({ usedAt: at })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)))
      .run();
    tx.insert(passwordResets)
      .values({ id: createId(), userId: user.id, tokenHash, expiresAt: new Date(now + RESET_TTL_MS), createdAt: at })
      .run();
    const url = `${publicOrigin()}/reset-password?token=${token}`;
    enqueueEmail({ to: user.email, template: "password-reset", ...passwordResetEmail({ name: user.name, url, minutes: RESET_TTL_MS / 60_000 }) }, tx, at);
    return { sent: true };
  });
}

export type ResetTokenProblem = "invalid" | "expired" | "used";

export const RESET_PROBLEM_MESSAGES: Record<ResetTokenProblem, string> = {
  invalid: "This reset link is not valid. Check that you copied the whole link, or ask for a new one.",
  expired: "This reset link has expired (links work for one hour). Ask for a new one.",
  used: "This reset link has already been used. Ask for a new one if you still need to reset your password.",
};

export async function checkResetToken(token: string, now: number = Date.now()): Promise<{ ok: true; email: string } | { ok: false; problem: ResetTokenProblem }> {
  const row = getDb()
    .select({ reset: passwordResets, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, hashToken(token)))
    .get();
  if (!row) return { ok: false, problem: "invalid" };
  if (row.reset.usedAt) return { ok: false, problem: "used" };
  if (row.reset.expiresAt.getTime() <= now) return { ok: false, problem: "expired" };
  return { ok: true, email: row.email };
}

/** Sets the new password, spends the token and signs out every session, atomically. */
export async function resetPassword(token: string, newPassword: string, now: number = Date.now()): Promise<{ ok: true; userId: string } | { ok: false; problem: ResetTokenProblem }> {
  const check = await checkResetToken(token, now);
  if (!check.ok) return check;
  const passwordHash = await passwords.hash(newPassword);
  return getDb().transaction((tx) => {
    // The conditional update makes the token single-use even under a race.
    const spent = tx
      .update(passwordResets)
      .set({ usedAt: new Date(now) })
      .where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date(now))))
      .returning({ userId: passwordResets.userId })
      .get();
    if (!spent) return { ok: false as const, problem: "used" as const };
    tx.update(users).set({ passwordHash, updatedAt: new Date(now) }).where(eq(users.id, spent.userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, spent.userId)).run();
    return { ok: true as const, userId: spent.userId };
  });
}
