import fs from "node:fs";
import path from "node:path";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { getSigningKey } from "#app/certificates/credential.server.ts";
import { getDb, MIGRATIONS_FOLDER } from "#app/db/client.server.ts";
import { getEnv } from "#app/env.server.ts";

/**
 * The audit anchor: signed checkpoints of the chain (entry count, last id, last
 * hash), appended as JSON lines to a file next to the database. Deleting the
 * newest audit rows cannot rewrite it, and a checkpoint cannot be forged without
 * the site's Ed25519 signing key (the key that signs credentials, kept outside
 * the database and already backed up; anyone can check a checkpoint against the
 * public key in /.well-known/did.json, so copies kept elsewhere stay checkable).
 *
 * Order: a checkpoint is written only AFTER the entry's transaction has
 * committed (appendAudit schedules it; it reads the committed rows), so the
 * anchor never claims an entry that was rolled back. It can lag: by the entries
 * committed since the last checkpoint (milliseconds), or more after a crash,
 * until the next entry catches it up. The verifier therefore accepts rows
 * beyond the anchor when they chain from it, and fails when the anchored entry
 * is missing or different (the newest rows were deleted or rewritten).
 */

type Verifiable = { verifier(): { verify(d: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> } };

export type Checkpoint = { v: 1; count: number; id: number; hash: string; at: string; sig: string };

/** The anchor file for a database file, or null for an in-memory database. */
export function anchorPath(databasePath: string = getEnv().DATABASE_PATH): string | null {
  return databasePath === ":memory:" ? null : `${path.resolve(databasePath)}.audit-anchor`;
}

function payload(c: Pick<Checkpoint, "count" | "id" | "hash" | "at">): Uint8Array {
  return new TextEncoder().encode(`kap-audit-anchor:v1:${c.count}:${c.id}:${c.hash}:${c.at}`);
}

/** Reads every checkpoint line; lines that are not checkpoints are reported, not skipped silently. */
export function readCheckpoints(file: string): { checkpoints: Checkpoint[]; malformed: number[] } {
  const checkpoints: Checkpoint[] = [];
  const malformed: number[] = [];
  if (!fs.existsSync(file)) return { checkpoints, malformed };
  fs.readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const c = JSON.parse(line) as Checkpoint;
      if (c.v === 1 && Number.isInteger(c.count) && Number.isInteger(c.id) && typeof c.hash === "string" && typeof c.sig === "string" && typeof c.at === "string") checkpoints.push(c);
      else malformed.push(i + 1);
    } catch {
      malformed.push(i + 1);
    }
  });
  return { checkpoints, malformed };
}

/** The strongest claim in the file: the checkpoint with the most entries (lines from several workers may interleave). */
export function latestCheckpoint(checkpoints: Checkpoint[]): Checkpoint | undefined {
  return checkpoints.reduce<Checkpoint | undefined>((best, c) => (!best || c.count > best.count ? c : best), undefined);
}

/** Checks a checkpoint's signature with the public key in SIGNING_KEY_PATH (never creates a key). */
export async function checkpointSignatureValid(c: Checkpoint, keyFile: string = path.resolve(getEnv().SIGNING_KEY_PATH)): Promise<boolean> {
  if (!fs.existsSync(keyFile)) return false;
  const { publicKeyMultibase } = JSON.parse(fs.readFileSync(keyFile, "utf8")) as { publicKeyMultibase: string };
  // The package's verifier() is not in our vendor typings (app/types/vendor.d.ts); its shape is stable.
  const key = (await Ed25519Multikey.from({ type: "Multikey", id: "did:key#anchor", controller: "did:key", publicKeyMultibase })) as unknown as Verifiable;
  try {
    return await key.verifier().verify({ data: payload(c), signature: Buffer.from(c.sig, "base64url") });
  } catch {
    return false;
  }
}

// Per process: the last checkpoint this process knows of, so a new one counts only the rows after it.
let known: { file: string; count: number; id: number; hash: string } | undefined;
let scheduled = false;
let chain: Promise<void> = Promise.resolve();
let connection: ReturnType<typeof getDb>["$client"] | undefined;

/**
 * Called by appendAudit inside its transaction: the checkpoint is written after
 * the current synchronous work (the transaction) has finished.
 */
export function scheduleCheckpoint(): void {
  if (scheduled || !anchorPath()) return;
  scheduled = true;
  // The connection that committed the entry; if it is closed by then (shutdown), the next entry catches up.
  connection = getDb().$client;
  setImmediate(() => {
    scheduled = false;
    chain = chain.then(writeCheckpoint).catch((error: unknown) => console.error("[audit] could not write the anchor checkpoint:", error));
  });
}

/** Writes a checkpoint of the committed log now (`audit:verify -- --anchor` for a log from before anchors). */
export async function checkpointNow(): Promise<void> {
  chain = chain.then(writeCheckpoint);
  await chain;
}

/** Resolves once every scheduled checkpoint is written (tests; graceful shutdown). */
export async function flushCheckpoints(): Promise<void> {
  while (scheduled) await new Promise((resolve) => setImmediate(resolve));
  await chain;
}

async function writeCheckpoint(): Promise<void> {
  const file = anchorPath();
  const db = connection ?? getDb().$client;
  if (!file || !db.open) return;
  if (known?.file !== file) {
    const latest = latestCheckpoint(readCheckpoints(file).checkpoints);
    known = latest ? { file, count: latest.count, id: latest.id, hash: latest.hash } : { file, count: 0, id: 0, hash: "" };
  }
  // Only the committed rows after the last checkpoint: an index range on the rowid, usually one row.
  const rows = db.prepare("select id, prev_hash as prevHash, hash from audit_log where id > ? order by id").all(known.id) as Array<{ id: number; prevHash: string; hash: string }>;
  if (!rows.length) return;
  if (known.count > 0 && rows[0]!.prevHash !== known.hash) {
    // The log no longer extends its own anchor: leave the evidence as it is.
    console.error(`[audit] the audit log no longer extends its anchor (entry ${rows[0]!.id}); run npm run audit:verify`);
    return;
  }
  const last = rows.at(-1)!;
  const next = { count: known.count + rows.length, id: last.id, hash: last.hash, at: new Date().toISOString() };
  const { key } = await getSigningKey();
  const sig = Buffer.from(await key.signer().sign({ data: payload(next) })).toString("base64url");
  // One short line with O_APPEND: lines from several workers never interleave within a line.
  fs.appendFileSync(file, `${JSON.stringify({ v: 1, ...next, sig } satisfies Checkpoint)}\n`, { mode: 0o600 });
  known = { file, count: next.count, id: next.id, hash: next.hash };
}

/** Forget this process's view of the anchor (tests that move or rewrite the file). */
export function resetCheckpointState(): void {
  known = undefined;
}

/**
 * The append-only triggers as the migration defines them, compared with the
 * database's own: a dropped or altered trigger is named.
 */
export function checkAppendOnlyTriggers(db = getDb().$client): string[] {
  const migration = fs.readFileSync(path.join(MIGRATIONS_FOLDER, "0004_audit_append_only.sql"), "utf8");
  const normalise = (sql: string) => sql.replace(/--[^\n]*/g, "").replace(/\s+/g, " ").replace(/;\s*$/, "").trim();
  const expected = migration
    .split("--> statement-breakpoint")
    .map(normalise)
    .filter((s) => /^CREATE TRIGGER/i.test(s));
  const problems: string[] = [];
  for (const sql of expected) {
    const name = /CREATE TRIGGER `?(\w+)`?/i.exec(sql)![1]!;
    const row = db.prepare("select sql from sqlite_master where type = 'trigger' and name = ?").get(name) as { sql: string } | undefined;
    if (!row) problems.push(`the append-only trigger ${name} is missing: the database no longer refuses ${name.endsWith("delete") ? "deletions" : "edits"} of audit entries`);
    else if (normalise(row.sql) !== sql) problems.push(`the append-only trigger ${name} differs from its migration (drizzle/0004_audit_append_only.sql)`);
  }
  return problems;
}
