import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { anchorPath, flushCheckpoints, readCheckpoints } from "#app/audit/anchor.server.ts";
import { appendAudit, verifyAudit } from "#app/audit/audit.server.ts";
import { getDb, MIGRATIONS_FOLDER } from "#app/db/client.server.ts";

/** `npm run audit:verify` as an operator runs it, against this test file's database and key. */
function auditVerify(...args: string[]) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], { env: process.env, encoding: "utf8" });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

async function record(n: number) {
  for (let i = 0; i < n; i++) {
    getDb().transaction((tx) => appendAudit(tx, { actorId: null, action: "test.anchor", entityType: "thing", entityId: `a${i}`, after: { i } }));
  }
  await flushCheckpoints();
}

const MIGRATION = fs.readFileSync(`${MIGRATIONS_FOLDER}/0004_audit_append_only.sql`, "utf8").split("--> statement-breakpoint");

describe("finding 4: audit:verify misses tampering", () => {
  test("finding 4: an untouched chain with its signed anchor passes (exit 0)", async () => {
    await record(5);
    const { checkpoints } = readCheckpoints(anchorPath()!);
    expect(checkpoints.at(-1)).toMatchObject({ count: 5 });
    expect(await verifyAudit()).toMatchObject({ ok: true, count: 5, anchored: { count: 5 }, problems: [] });
    const res = auditVerify();
    expect(res.out).toMatch(/audit log OK: 5 entries, hash chain intact, append-only triggers in place; anchor 5 entries/);
    expect(res.code).toBe(0);
  });

  test("finding 4: deleting the newest row (triggers put back) fails with a clear message", async () => {
    const db = getDb().$client;
    const newest = db.prepare("select * from audit_log order by id desc limit 1").get() as Record<string, unknown>;
    db.exec("drop trigger audit_log_no_delete");
    db.prepare("delete from audit_log where id = ?").run(newest.id);
    db.exec(MIGRATION[1]!); // the trigger exactly as the migration made it
    expect((await verifyAudit()).problems).toEqual([expect.stringMatching(/^the newest entries were deleted: the signed anchor .* records 5 entries ending with entry \d+, but the log has 4 entries \(1 missing\)$/)]);
    const res = auditVerify();
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/audit log FAILED verification/);
    expect(res.out).toMatch(/the newest entries were deleted/);

    // Put the row back as it was: the log verifies again.
    db.prepare("insert into audit_log (id, actor_id, action, entity_type, entity_id, before, after, at, prev_hash, hash) values (@id, @actor_id, @action, @entity_type, @entity_id, @before, @after, @at, @prev_hash, @hash)").run(newest);
    expect((await verifyAudit()).ok).toBe(true);
  });

  test("finding 4: a dropped append-only trigger fails, naming the trigger", async () => {
    const db = getDb().$client;
    db.exec("drop trigger audit_log_no_update");
    const res = auditVerify();
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/the append-only trigger audit_log_no_update is missing/);
    db.exec("create trigger audit_log_no_update before update on audit_log begin select 1; end");
    expect((await verifyAudit()).problems).toEqual(["the append-only trigger audit_log_no_update differs from its migration (drizzle/0004_audit_append_only.sql)"]);
    db.exec("drop trigger audit_log_no_update");
    db.exec(MIGRATION[0]!);
    expect((await verifyAudit()).ok).toBe(true);
  });

  test("finding 4: the anchor follows the commit: a rolled-back entry is never anchored, and an entry not yet anchored is accepted", async () => {
    const before = readCheckpoints(anchorPath()!).checkpoints.length;
    expect(() =>
      getDb().transaction((tx) => {
        appendAudit(tx, { actorId: null, action: "test.rolled-back", entityType: "thing", entityId: "x" });
        throw new Error("the change failed");
      }),
    ).toThrow("the change failed");
    await flushCheckpoints();
    expect(readCheckpoints(anchorPath()!).checkpoints.length).toBe(before);
    expect((await verifyAudit()).ok).toBe(true);

    // Committed but its checkpoint still pending (the in-flight entry): rows beyond the anchor that chain from it pass.
    getDb().transaction((tx) => appendAudit(tx, { actorId: null, action: "test.in-flight", entityType: "thing", entityId: "y" }));
    expect(await verifyAudit()).toMatchObject({ ok: true, count: 6, anchored: { count: 5 } });
    await flushCheckpoints();
    expect(await verifyAudit()).toMatchObject({ ok: true, count: 6, anchored: { count: 6 } });
  });

  test("finding 4: a forged or missing anchor is reported", async () => {
    const file = anchorPath()!;
    const lines = fs.readFileSync(file, "utf8");
    const last = JSON.parse(lines.trim().split("\n").at(-1)!) as { count: number };
    fs.appendFileSync(file, `${JSON.stringify({ ...last, count: last.count + 1 })}\n`);
    expect((await verifyAudit()).problems).toEqual([expect.stringMatching(/does not carry a valid signature/)]);
    fs.rmSync(file);
    expect((await verifyAudit()).problems).toEqual([expect.stringMatching(/^there is no anchor checkpoint/)]);
    const res = auditVerify("--anchor");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/anchored the audit log's 6 entries/);
    expect(readCheckpoints(file).checkpoints).toHaveLength(1);
  });
});
