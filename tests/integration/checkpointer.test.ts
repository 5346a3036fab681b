import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db/client.server.ts";
import { REQUEST_CHECKPOINT_PAGES, startCheckpointer } from "#app/db/checkpointer.server.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-checkpoint-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Commits `n` small writes on a connection that never checkpoints by itself within them. */
function writeRows(file: string, n: number) {
  const db = openDatabase(file);
  db.$client.pragma(`wal_autocheckpoint = ${REQUEST_CHECKPOINT_PAGES}`);
  db.$client.exec("create table if not exists t (id integer primary key, v text)");
  const insert = db.$client.prepare("insert into t (v) values (?)");
  for (let i = 0; i < n; i++) insert.run("x".repeat(200));
  return db;
}

const dbPages = (file: string) => fs.statSync(file).size / 4096;

describe("WAL checkpoints in a worker thread (decision 010)", () => {
  it("copies committed pages into the database file while the writer never checkpoints", async () => {
    const file = path.join(dir, "background.sqlite");
    const db = writeRows(file, 1);
    const checkpointer = startCheckpointer(file, 20);
    try {
      writeRows(file, 2_000).$client.close();
      const before = dbPages(file);
      // Wait for the copy, not merely its start: under load a checkpoint can be seen part-way (up to 5 s).
      for (let i = 0; i < 250 && dbPages(file) <= before + 50; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(dbPages(file)).toBeGreaterThan(before + 50);
      expect(db.$client.prepare("select count(*) n from t").get()).toEqual({ n: 2_001 });
      expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await checkpointer.stop();
      db.$client.close();
    }
  });

  it("without it, the same writes stay in the WAL", async () => {
    const file = path.join(dir, "alone.sqlite");
    const db = writeRows(file, 1);
    const before = dbPages(file);
    writeRows(file, 2_000).$client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(dbPages(file)).toBe(before);
    db.$client.close();
  });
});
