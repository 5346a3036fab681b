/** `npm run db:restore -- BACKUP`: replaces DATABASE_PATH with a checked backup. Stop the server first. */
import path from "node:path";
import { restoreDatabase } from "#app/db/backup.server.ts";
import { getEnv } from "#app/env.server.ts";

const backup = process.argv[2];
if (!backup) {
  console.error("Usage: npm run db:restore -- path/to/backup.db   (stop the server first)");
  process.exit(2);
}
const { restored, previous, anchor, previousAnchor } = restoreDatabase(path.resolve(backup), path.resolve(getEnv().DATABASE_PATH));
console.log(`restored ${backup} to ${restored}${previous ? `; the previous file is kept at ${previous}` : ""}`);
if (anchor) console.log(`the backup's audit anchor is now ${anchor}${previousAnchor ? `; the previous one (it records entries written after the backup) is kept at ${previousAnchor}` : ""}`);
else console.log(`the backup has no audit anchor${previousAnchor ? ` (the previous one is kept at ${previousAnchor})` : ""}: run npm run audit:verify -- --anchor once the restored log checks out`);
console.log("Then run npm run audit:verify, and restore SIGNING_KEY_PATH from the same backup if this is a new machine.");
