import { getDb, type DB } from "./client.server.ts";

/**
 * A query prepared once per database connection instead of on every call.
 * Building SQL with drizzle and compiling it in SQLite cost more than running
 * it for the small lookups each page view makes (session, enrollment,
 * progress), so hot paths use `sql.placeholder(...)` and `.prepare()`.
 */
export function prepared<Q>(build: (db: DB) => Q): () => Q {
  const byDb = new WeakMap<DB, Q>();
  return () => {
    const db = getDb();
    let query = byDb.get(db);
    if (!query) {
      query = build(db);
      byDb.set(db, query);
    }
    return query;
  };
}
