import { and, asc, count, desc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { auditLog, licenses, ROLES, sessions, users, type Role } from "#app/db/schema.ts";
import { appendAudit } from "#app/audit/audit.server.ts";
import { releaseClaimsOf } from "#app/mentoring/mentoring.server.ts";

export const USERS_PAGE_SIZE = 25;

export type UserRow = { id: string; name: string; email: string; role: Role; createdAt: Date; deactivated: boolean; licenses: string };

export async function listUsers({ q, page }: { q?: string; page: number }): Promise<{ rows: UserRow[]; total: number }> {
  const db = getDb();
  let where: SQL | undefined;
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where = or(like(users.name, pattern), like(users.email, pattern));
  }
  const total = db.select({ n: count() }).from(users).where(where).get()!.n;
  const list = db
    .select()
    .from(users)
    .where(where)
    .orderBy(asc(users.name), asc(users.id))
    .limit(USERS_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * USERS_PAGE_SIZE)
    .all();
  // One query for the licenses of the whole page, in the order they were entered.
  const ids = list.map((u) => u.id);
  const owned = ids.length ? db.select().from(licenses).where(inArray(licenses.userId, ids)).orderBy(sql`rowid`).all() : [];
  const rows = list.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    createdAt: u.createdAt,
    deactivated: Boolean(u.deactivatedAt),
    licenses: owned
      .filter((l) => l.userId === u.id)
      .map((l) => `${l.type} ${l.number} (${l.state})`)
      .join(", "),
  }));
  return { rows, total };
}

export async function countUsersByRole(): Promise<Record<Role, number>> {
  const out = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const row of getDb().select({ role: users.role, n: count() }).from(users).groupBy(users.role).all()) out[row.role] = row.n;
  return out;
}

export type RoleChangeResult = { ok: true; changed: boolean } | { ok: false; message: string };

/** Changes a user's role and records it in the audit log, in one transaction. */
export async function changeUserRole(actorId: string, userId: string, role: Role): Promise<RoleChangeResult> {
  if (actorId === userId) {
    return { ok: false, message: "You cannot change your own role. Ask another administrator." };
  }
  return getDb().transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) return { ok: false as const, message: "That user no longer exists." };
    if (user.role === role) return { ok: true as const, changed: false };
    const now = new Date();
    tx.update(users).set({ role, updatedAt: now }).where(and(eq(users.id, userId))).run();
    appendAudit(tx, { actorId, action: "user.role_changed", entityType: "user", entityId: userId, before: { role: user.role }, after: { role }, at: now });
    if (role !== "mentor" && role !== "admin") releaseClaimsOf(tx, userId, actorId, `no longer a mentor (now ${role})`, now);
    return { ok: true as const, changed: true };
  });
}

export async function recentAudit(limit = 10) {
  const db = getDb();
  return db
    .select({ id: auditLog.id, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after, at: auditLog.at, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}

/** Deactivates (or restores) an account: it can no longer sign in; its records stay. */
export async function setUserActive(actorId: string, userId: string, active: boolean, now: Date = new Date()): Promise<RoleChangeResult> {
  if (actorId === userId) return { ok: false, message: "You cannot deactivate your own account." };
  return getDb().transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) return { ok: false as const, message: "That user no longer exists." };
    if (Boolean(user.deactivatedAt) === !active) return { ok: true as const, changed: false };
    tx.update(users).set({ deactivatedAt: active ? null : now, updatedAt: now }).where(eq(users.id, userId)).run();
    if (!active) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    appendAudit(tx, { actorId, action: active ? "user.reactivated" : "user.deactivated", entityType: "user", entityId: userId, before: { active: !active }, after: { active }, at: now });
    if (!active) releaseClaimsOf(tx, userId, actorId, "account deactivated", now);
    return { ok: true as const, changed: true };
  });
}
