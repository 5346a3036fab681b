import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { asc, desc } from "drizzle-orm";
import { getDb, type DB } from "#app/db/client.server.ts";
import { auditLog } from "#app/db/schema.ts";
import { anchorPath, checkAppendOnlyTriggers, checkpointSignatureValid, latestCheckpoint, readCheckpoints, scheduleCheckpoint } from "./anchor.server.ts";

export const GENESIS_HASH = "0".repeat(64);

export type AuditEntry = {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
};

type Tx = Pick<DB, "select" | "insert">;

function entryHash(prevHash: string, e: { actorId: string | null; action: string; entityType: string; entityId: string; before: string | null; after: string | null; at: Date }): string {
  const canonical = JSON.stringify([prevHash, e.actorId, e.action, e.entityType, e.entityId, e.before, e.after, e.at.getTime()]);
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}

/**
 * Appends one entry, chained to the previous one. Call it inside the same
 * transaction as the change it records, so neither exists without the other.
 * The signed anchor checkpoint follows once the transaction has committed.
 */
export function appendAudit(tx: Tx, entry: AuditEntry): void {
  const last = tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    at: entry.at ?? new Date(),
  };
  tx.insert(auditLog).values({ ...row, prevHash, hash: entryHash(prevHash, row) }).run();
  scheduleCheckpoint();
}

/** Walks the chain; returns the id of the first row that does not match, or null. */
export function verifyAuditChain(db: Pick<DB, "select"> = getDb(), positions?: Map<number, { n: number; hash: string }>): { ok: true; count: number } | { ok: false; badId: number; reason: string } {
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const row of db.select().from(auditLog).orderBy(asc(auditLog.id)).all()) {
    if (row.prevHash !== prevHash) return { ok: false, badId: row.id, reason: "a row before it was changed or deleted" };
    if (entryHash(prevHash, row) !== row.hash) return { ok: false, badId: row.id, reason: "its contents were changed" };
    prevHash = row.hash;
    count++;
    positions?.set(row.id, { n: count, hash: row.hash });
  }
  return { ok: true, count };
}

export type AuditVerdict = { ok: boolean; count: number; anchored: { count: number; at: string } | null; problems: string[] };

/**
 * The whole check behind `npm run audit:verify` and the admin page: the hash
 * chain, the signed anchor (so deleting the newest rows shows), and the
 * append-only triggers as their migration defines them.
 */
export async function verifyAudit(db: DB = getDb()): Promise<AuditVerdict> {
  const problems: string[] = [];
  const positions = new Map<number, { n: number; hash: string }>();
  const chain = verifyAuditChain(db, positions);
  if (!chain.ok) problems.push(`the hash chain is broken at entry ${chain.badId}: ${chain.reason}`);
  const count = chain.ok ? chain.count : positions.size;
  problems.push(...checkAppendOnlyTriggers(db.$client));

  let anchored: AuditVerdict["anchored"] = null;
  const file = anchorPath();
  if (file) {
    const { checkpoints, malformed } = readCheckpoints(file);
    if (malformed.length) problems.push(`the anchor file ${file} has lines that are not checkpoints (line ${malformed.join(", ")}): it was edited`);
    const latest = latestCheckpoint(checkpoints);
    if (!latest) {
      if (count > 0) problems.push(`there is no anchor checkpoint (${file}), so deleted newest entries would not show; a log from before anchors gets one with its next entry or with \`npm run audit:verify -- --anchor\``);
    } else {
      anchored = { count: latest.count, at: latest.at };
      const row = positions.get(latest.id);
      if (!(await checkpointSignatureValid(latest))) {
        problems.push(`the newest anchor checkpoint (${latest.count} entries, ${latest.at}) does not carry a valid signature of the site's signing key: the anchor file was edited or the key replaced`);
      } else if (!row) {
        problems.push(`the newest entries were deleted: the signed anchor (${latest.at}) records ${latest.count} entries ending with entry ${latest.id}, but the log ${chain.ok ? `has ${count} entries` : "breaks before it"}${count < latest.count ? ` (${latest.count - count} missing)` : ""}`);
      } else if (row.hash !== latest.hash || row.n !== latest.count) {
        problems.push(`entry ${latest.id} does not match the signed anchor (${latest.at}): the log was rewritten`);
      }
    }
  }
  return { ok: problems.length === 0, count, anchored, problems };
}

export const AUDIT_PAGE_SIZE = 50;

/** Audit entries, newest first, filtered by action, actor or entity, with the actor's name. */
export function listAudit(f: { action?: string; q?: string; from?: string; to?: string; page: number }) {
  const db = getDb();
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.action) {
    where.push("a.action = @action");
    params.action = f.action;
  }
  if (f.q) {
    where.push("(a.entity_id like @q or u.name like @q or u.email like @q or a.before like @q or a.after like @q)");
    params.q = `%${f.q}%`;
  }
  if (f.from) {
    where.push("a.at >= @from");
    params.from = Date.parse(`${f.from}T00:00:00Z`);
  }
  if (f.to) {
    where.push("a.at < @to");
    params.to = Date.parse(`${f.to}T00:00:00Z`) + 86_400_000;
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const from = "from audit_log a left join users u on u.id = a.actor_id";
  const total = (db.$client.prepare(`select count(*) n ${from} ${whereSql}`).get(params) as { n: number }).n;
  const rows = db.$client
    .prepare(`select a.id, a.action, a.entity_type as entityType, a.entity_id as entityId, a.before, a.after, a.at, a.hash, u.name as actorName, u.email as actorEmail ${from} ${whereSql} order by a.id desc limit ${AUDIT_PAGE_SIZE} offset ${(f.page - 1) * AUDIT_PAGE_SIZE}`)
    .all(params) as Array<{ id: number; action: string; entityType: string; entityId: string; before: string | null; after: string | null; at: number; hash: string; actorName: string | null; actorEmail: string | null }>;
  const actions = (db.$client.prepare("select distinct action from audit_log order by 1").all() as Array<{ action: string }>).map((r) => r.action);
  return { rows, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), actions };
}

/** Records an action that changes nothing but must be accountable (exports, bulk downloads). */
export function recordAccess(actorId: string, action: string, details: Record<string, unknown>): void {
  getDb().transaction((tx) => appendAudit(tx, { actorId, action, entityType: "completions", entityId: "export", after: details }));
}
