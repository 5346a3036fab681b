/** `npm run db:restore -- BACKUP`: replaces DATABASE_PATH with a checked backup. Stop the server first. */
import path from "node:path";
import { restoreDatabase } from "#app/db/backup.server.ts";
import { getEnv } from "#app/env.server.ts";

const backup = process.argv[2];
if (!backup) {
  console.error("Usage: npm run db:restore -- path/to/backup.db   (stop the server first)");
  process.exit(2);
}
const { restored, previous } = restoreDatabase(path.resolve(backup), path.resolve(getEnv().DATABASE_PATH));
console.log(`restored ${backup} to ${restored}${previous ? `; the previous file is kept at ${previous}` : ""}`);
