import { describe, expect, test } from "vitest";
import { appendAudit, verifyAuditChain } from "#app/audit/audit.server.ts";
import { getDb } from "#app/db/client.server.ts";

describe("audit log chain", () => {
  test("an intact chain verifies; an edited or deleted row is found", () => {
    const db = getDb();
    for (let i = 0; i < 4; i++) {
      appendAudit(db, { actorId: null, action: "test.event", entityType: "thing", entityId: `t${i}`, after: { i } });
    }
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 4 });

    const ids = (db.$client.prepare("select id from audit_log order by id").all() as Array<{ id: number }>).map((r) => r.id);
    // The database refuses edits; someone with raw file access could drop the triggers, so simulate that.
    expect(() => db.$client.prepare("update audit_log set after = '{}' where id = ?").run(ids[0])).toThrow(/append-only/);
    expect(() => db.$client.prepare("delete from audit_log where id = ?").run(ids[0])).toThrow(/append-only/);
    db.$client.exec("drop trigger audit_log_no_update; drop trigger audit_log_no_delete;");
    db.$client.prepare("update audit_log set after = ? where id = ?").run('{"i":99}', ids[1]);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, badId: ids[1], reason: "its contents were changed" });

    db.$client.prepare("update audit_log set after = ? where id = ?").run('{"i":1}', ids[1]);
    expect(verifyAuditChain(db).ok).toBe(true);
    db.$client.prepare("delete from audit_log where id = ?").run(ids[2]);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, badId: ids[3] });
  });
});
