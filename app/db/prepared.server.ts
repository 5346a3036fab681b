import { getDb, type DB } from "./client.server.ts";

/**
 * A value made once per database connection (tests open a new database per file,
 * so a plain module-level value would outlive its database).
 */
export function perDatabase<T>(make: (db: DB) => T): () => T {
  const byDb = new WeakMap<DB, T>();
  return () => {
    const db = getDb();
    let value = byDb.get(db);
    if (value === undefined) {
      value = make(db);
      byDb.set(db, value);
    }
    return value;
  };
}

/**
 * A query prepared once per database connection instead of on every call.
 * Building SQL with drizzle and compiling it in SQLite cost more than running
 * it for the small lookups each page view makes (session, enrollment,
 * progress), so hot paths use `sql.placeholder(...)` and `.prepare()`.
 */
export const prepared: <Q>(build: (db: DB) => Q) => () => Q = perDatabase;
