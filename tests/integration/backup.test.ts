import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { backupDatabase, restoreDatabase } from "#app/db/backup.server.ts";
import { countRows, createUser } from "#tests/db-utils.ts";

describe("backup and restore", () => {
  test("an online backup taken during writes restores to a consistent database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-backup-"));
    for (let i = 0; i < 5; i++) await createUser();
    // Writes keep coming while the backup runs.
    const writing = Promise.all(Array.from({ length: 5 }, () => createUser()));
    const backup = await backupDatabase(path.join(dir, "backup.db"));
    await writing;
    expect(backup.integrity).toBe("ok");

    const copy = new Database(backup.file, { readonly: true });
    const usersInBackup = (copy.prepare("select count(*) n from users").get() as { n: number }).n;
    copy.close();
    expect(usersInBackup).toBeGreaterThanOrEqual(5);
    expect(usersInBackup).toBeLessThanOrEqual(countRows("users"));

    const target = path.join(dir, "restored.db");
    fs.writeFileSync(target, "not a database");
    const { previous } = restoreDatabase(backup.file, target);
    expect(fs.readFileSync(previous!, "utf8")).toBe("not a database");
    const restored = new Database(target, { readonly: true });
    expect((restored.prepare("select count(*) n from users").get() as { n: number }).n).toBe(usersInBackup);
    expect((restored.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]!.integrity_check).toBe("ok");
    restored.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a damaged backup is refused and the current database is left alone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-restore-"));
    const bad = path.join(dir, "bad.db");
    fs.writeFileSync(bad, "garbage".repeat(1000));
    const target = path.join(dir, "live.db");
    fs.writeFileSync(target, "live");
    expect(() => restoreDatabase(bad, target)).toThrow();
    expect(fs.readFileSync(target, "utf8")).toBe("live");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("npm run db:backup works from the command line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-backup-cli-"));
    const out = path.join(dir, "b.db");
    const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-backup.ts", out], { encoding: "utf8", env: process.env });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/integrity ok/);
    expect(fs.existsSync(out)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
