import { and, desc, eq, gt, lt } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { loginAttempts } from "#app/db/schema.ts";

/** Five failed sign-ins for one email, or from one IP, within 15 minutes lock it. */
export const MAX_FAILED_LOGINS = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export type ThrottleState =
  | { locked: false; failuresLeft: number }
  | { locked: true; retryAt: Date; scope: "email" | "ip" };

/**
 * Reads the lock state from recorded attempts; cheap (two indexed queries), so
 * a locked-out request is refused before any password hashing.
 * For an email, only failures since its last successful sign-in count; for an IP,
 * every failure counts, so an attacker cannot reset the IP counter by signing
 * into an account of their own.
 */
export function loginThrottle(email: string, ip: string, now: number = Date.now()): ThrottleState {
  const db = getDb();
  const windowStart = new Date(now - LOGIN_WINDOW_MS);
  const lastSuccess = db
    .select({ at: loginAttempts.attemptedAt })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, true), gt(loginAttempts.attemptedAt, windowStart)))
    .orderBy(desc(loginAttempts.attemptedAt))
    .limit(1)
    .get();
  const emailSince = lastSuccess && lastSuccess.at > windowStart ? lastSuccess.at : windowStart;

  const recentFailures = (column: typeof loginAttempts.email | typeof loginAttempts.ip, value: string, since: Date) =>
    db
      .select({ at: loginAttempts.attemptedAt })
      .from(loginAttempts)
      .where(and(eq(column, value), eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since)))
      .orderBy(desc(loginAttempts.attemptedAt))
      .limit(MAX_FAILED_LOGINS)
      .all();

  const byEmail = recentFailures(loginAttempts.email, email, emailSince);
  const byIp = recentFailures(loginAttempts.ip, ip, windowStart);
  // The lock lifts when the oldest of the last five failures leaves the window.
  const lockedUntil = (rows: Array<{ at: Date }>) =>
    rows.length >= MAX_FAILED_LOGINS ? new Date(rows[rows.length - 1]!.at.getTime() + LOGIN_WINDOW_MS) : null;
  const emailLock = lockedUntil(byEmail);
  const ipLock = lockedUntil(byIp);
  if (emailLock || ipLock) {
    const useEmail = emailLock && (!ipLock || emailLock >= ipLock);
    return useEmail
      ? { locked: true, retryAt: emailLock!, scope: "email" }
      : { locked: true, retryAt: ipLock!, scope: "ip" };
  }
  return { locked: false, failuresLeft: MAX_FAILED_LOGINS - Math.max(byEmail.length, byIp.length) };
}

export function recordLoginAttempt(email: string, ip: string, succeeded: boolean, now: number = Date.now()): void {
  getDb().insert(loginAttempts).values({ email, ip, succeeded, attemptedAt: new Date(now) }).run();
}

/** Attempts older than a day no longer matter; called at start-up. */
export function pruneLoginAttempts(now: number = Date.now()): number {
  return getDb()
    .delete(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, new Date(now - 24 * 60 * 60 * 1000)))
    .run().changes;
}

export function retryMessage(retryAt: Date, now: number = Date.now()): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now) / 60_000));
  return `Too many failed sign-in attempts. For your security, sign-in is paused: try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or reset your password.`;
}
