/** `npm run audit:verify`: walks the audit log's hash chain; exits 1 if any row was edited or deleted. */
import { verifyAuditChain } from "#app/audit/audit.server.ts";
import { closeDb } from "#app/db/client.server.ts";
import { getEnv } from "#app/env.server.ts";

const result = verifyAuditChain();
closeDb();
if (result.ok) {
  console.log(`audit log OK: ${result.count} entries, hash chain intact (${getEnv().DATABASE_PATH})`);
} else {
  console.error(`audit log BROKEN at entry ${result.badId}: ${result.reason}`);
  process.exit(1);
}
