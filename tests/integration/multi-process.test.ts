import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { verifyAudit, verifyAuditChain } from "#app/audit/audit.server.ts";
import { getSigningKey } from "#app/certificates/credential.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { countRows } from "#tests/db-utils.ts";

const run = promisify(execFile);

test("two processes writing at once (WEB_CONCURRENCY=2) lose no transaction and keep the audit chain whole", async () => {
  const perProcess = 1500;
  await getSigningKey(); // as start-up does before the workers exist
  const startAt = Date.now() + 2500;
  const writer = () => run(process.execPath, ["--import", "tsx", "tests/integration/audit-writer.child.ts", String(perProcess), String(startAt)], { env: process.env });
  const outputs = await Promise.all([writer(), writer()]);
  // Each append reads the chain's last hash, then inserts: a transaction that did not
  // take the write lock up front would fail with SQLITE_BUSY when the other wrote between.
  expect(outputs.map((o) => JSON.parse(o.stdout) as string[])).toEqual([[], []]);
  expect(countRows("audit_log")).toBe(2 * perProcess);
  expect(verifyAuditChain(getDb())).toEqual({ ok: true, count: 2 * perProcess });
  // Both processes appended checkpoints to one anchor file; the newest covers every entry.
  expect(await verifyAudit()).toMatchObject({ ok: true, anchored: { count: 2 * perProcess } });
}, 60_000);
