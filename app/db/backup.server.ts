import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { getDb } from "./client.server.ts";

/**
 * Online backup with SQLite's backup API: consistent while the site keeps
 * serving (pages are copied in steps; writers are not blocked for long).
 * The copy is checked with PRAGMA integrity_check before it is reported good.
 */
export async function backupDatabase(destination: string): Promise<{ file: string; pages: number; integrity: string }> {
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  const result = await getDb().$client.backup(destination);
  const copy = new Database(destination, { readonly: true });
  const integrity = String((copy.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]?.integrity_check);
  copy.close();
  if (integrity !== "ok") throw new Error(`backup failed its integrity check: ${integrity}`);
  return { file: path.resolve(destination), pages: result.totalPages, integrity };
}

/**
 * Restores a backup to `target` (the server must be stopped): checks the backup,
 * keeps the current file aside as `<target>.before-restore`, then copies.
 */
export function restoreDatabase(backup: string, target: string): { restored: string; previous: string | null } {
  const check = new Database(backup, { readonly: true, fileMustExist: true });
  const integrity = String((check.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]?.integrity_check);
  check.close();
  if (integrity !== "ok") throw new Error(`the backup is damaged: ${integrity}`);
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.before-restore`;
    fs.copyFileSync(target, previous);
  }
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.copyFileSync(backup, target);
  return { restored: path.resolve(target), previous };
}
