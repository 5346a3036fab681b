/** `npm run db:backup [-- FILE]`: an online backup of DATABASE_PATH (safe while the site serves). */
import path from "node:path";
import { backupDatabase } from "#app/db/backup.server.ts";
import { closeDb } from "#app/db/client.server.ts";
import { getEnv } from "#app/env.server.ts";

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const destination = process.argv[2] ?? path.join(path.dirname(getEnv().DATABASE_PATH), "backups", `kap-academy-${stamp}.db`);
const result = await backupDatabase(destination);
closeDb();
console.log(`backup written to ${result.file} (${result.pages} pages, integrity ${result.integrity})${result.anchor ? `; audit anchor to ${result.anchor}` : ""}`);
console.log("Back up the signing key (SIGNING_KEY_PATH) too: certificates' credentials and the audit anchor are signed with it.");
