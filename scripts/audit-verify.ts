/**
 * `npm run audit:verify`: checks the audit log's hash chain, its signed anchor
 * (so deleted newest entries show) and the append-only triggers; exits 1 with
 * every problem found. `-- --anchor` writes the first checkpoint for a log from
 * before anchors, once the rest of the check passes.
 */
import { anchorPath, checkpointNow } from "#app/audit/anchor.server.ts";
import { verifyAudit } from "#app/audit/audit.server.ts";
import { closeDb } from "#app/db/client.server.ts";
import { getEnv } from "#app/env.server.ts";

const where = getEnv().DATABASE_PATH;
let verdict = await verifyAudit();
if (process.argv.includes("--anchor") && !verdict.anchored && verdict.problems.every((p) => p.startsWith("there is no anchor checkpoint"))) {
  await checkpointNow();
  console.log(`anchored the audit log's ${verdict.count} entries in ${anchorPath()}`);
  verdict = await verifyAudit();
}
closeDb();
if (verdict.ok) {
  const anchor = verdict.anchored ? `; anchor ${verdict.anchored.count} entries, signed ${verdict.anchored.at}` : "";
  console.log(`audit log OK: ${verdict.count} entries, hash chain intact, append-only triggers in place${anchor} (${where})`);
} else {
  console.error(`audit log FAILED verification (${where}):`);
  for (const problem of verdict.problems) console.error(`  - ${problem}`);
  process.exit(1);
}
