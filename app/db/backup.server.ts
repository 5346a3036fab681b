import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { anchorPath } from "#app/audit/anchor.server.ts";
import { getEnv } from "#app/env.server.ts";
import { getDb } from "./client.server.ts";

/**
 * Online backup with SQLite's backup API: consistent while the site keeps
 * serving (pages are copied in steps; writers are not blocked for long).
 * The copy is checked with PRAGMA integrity_check before it is reported good.
 *
 * The audit anchor (signed checkpoints next to the database) goes with it, as
 * `<destination>.audit-anchor`, copied BEFORE the database: it then claims no
 * entry the copy lacks (the verifier accepts entries beyond the anchor).
 */
export async function backupDatabase(destination: string): Promise<{ file: string; pages: number; integrity: string; anchor: string | null }> {
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  const liveAnchor = anchorPath(getEnv().DATABASE_PATH);
  const anchor = liveAnchor && fs.existsSync(liveAnchor) ? anchorPath(destination)! : null;
  if (anchor) fs.copyFileSync(liveAnchor!, anchor);
  const result = await getDb().$client.backup(destination);
  const copy = new Database(destination, { readonly: true });
  const integrity = String((copy.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]?.integrity_check);
  copy.close();
  if (integrity !== "ok") throw new Error(`backup failed its integrity check: ${integrity}`);
  return { file: path.resolve(destination), pages: result.totalPages, integrity, anchor };
}

/**
 * Restores a backup to `target` (the server must be stopped): checks the backup,
 * keeps the current file aside as `<target>.before-restore`, then copies. The
 * backup's audit anchor replaces the current one, which is kept aside too
 * (`<target>.audit-anchor.before-restore`): it records the entries written after
 * the backup, which the restore gives up. A backup without an anchor leaves the
 * restored log unanchored until `npm run audit:verify -- --anchor`.
 */
export function restoreDatabase(backup: string, target: string): { restored: string; previous: string | null; anchor: string | null; previousAnchor: string | null } {
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
  const [backupAnchor, targetAnchor] = [anchorPath(backup)!, anchorPath(target)!];
  let previousAnchor: string | null = null;
  if (fs.existsSync(targetAnchor)) {
    previousAnchor = `${targetAnchor}.before-restore`;
    fs.renameSync(targetAnchor, previousAnchor);
  }
  const anchor = fs.existsSync(backupAnchor) ? targetAnchor : null;
  if (anchor) fs.copyFileSync(backupAnchor, anchor);
  return { restored: path.resolve(target), previous, anchor, previousAnchor };
}
