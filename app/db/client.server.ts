import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getEnv } from "#app/env.server.ts";
import * as schema from "./schema.ts";

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** drizzle/ at the project root, found from this file both in source and in build/server. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

export function openDatabase(file: string): DB {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // WAL with synchronous=NORMAL is durable across application crashes.
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema }) as DB;
  // Transactions take the write lock when they begin. With several worker
  // processes (WEB_CONCURRENCY), a deferred transaction that reads and then
  // writes fails at once with SQLITE_BUSY(_SNAPSHOT) when another process wrote
  // in between; an immediate one waits its turn (busy_timeout) instead.
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(run, { behavior: "immediate", ...config })) as DB["transaction"];
  return db;
}

/**
 * A separate read-only connection for long scans (exports): while a statement is
 * being iterated its connection is busy, so the shared one must not be used.
 * In WAL mode the scan sees one consistent snapshot and never blocks writers.
 */
export function openReadOnly(): Database.Database {
  const sqlite = new Database(getEnv().DATABASE_PATH, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

export function migrateDatabase(db: DB = getDb()): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

// One connection per process, kept across dev-server module reloads.
const globalForDb = globalThis as unknown as { __kapDb?: { file: string; db: DB } };

export function getDb(): DB {
  const file = getEnv().DATABASE_PATH;
  if (!globalForDb.__kapDb || globalForDb.__kapDb.file !== file) {
    globalForDb.__kapDb = { file, db: openDatabase(file) };
  }
  return globalForDb.__kapDb.db;
}

export function closeDb(): void {
  globalForDb.__kapDb?.db.$client.close();
  globalForDb.__kapDb = undefined;
}
