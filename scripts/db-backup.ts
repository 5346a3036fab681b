/** `npm run db:backup [-- FILE]`: an online backup of DATABASE_PATH (safe while the site serves). */
import path from "node:path";
import { backupDatabase } from "#app/db/backup.server.ts";
import { closeDb } from "#app/db/client.server.ts";
import { getEnv } from "#app/env.server.ts";

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const destination = process.argv[2] ?? path.join(path.dirname(getEnv().DATABASE_PATH), "backups", `kap-academy-${stamp}.db`);
const result = await backupDatabase(destination);
closeDb();
console.log(`backup written to ${result.file} (${result.pages} pages, integrity ${result.integrity})`);
