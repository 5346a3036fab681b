import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { flushCheckpoints } from "#app/audit/anchor.server.ts";
import { verifyAudit } from "#app/audit/audit.server.ts";
import { ensureCredential, listCertificates, reissueCertificate, revokeCertificate } from "#app/certificates/certificates.server.ts";
import { backupDatabase, restoreDatabase } from "#app/db/backup.server.ts";
import { independentlyVerify } from "#tests/credential-verifier.ts";
import { countRows, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";

describe("backup and restore", () => {
  test("an online backup taken during writes restores to a consistent database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-backup-"));
    for (let i = 0; i < 5; i++) await createUser();
    // Writes keep coming while the backup runs.
    const writing = Promise.all(Array.from({ length: 5 }, () => createUser()));
    const backup = await backupDatabase(path.join(dir, "backup.db"));
    await writing;
    expect(backup.integrity).toBe("ok");

    const copy = new Database(backup.file, { readonly: true });
    const usersInBackup = (copy.prepare("select count(*) n from users").get() as { n: number }).n;
    copy.close();
    expect(usersInBackup).toBeGreaterThanOrEqual(5);
    expect(usersInBackup).toBeLessThanOrEqual(countRows("users"));

    const target = path.join(dir, "restored.db");
    fs.writeFileSync(target, "not a database");
    const { previous } = restoreDatabase(backup.file, target);
    expect(fs.readFileSync(previous!, "utf8")).toBe("not a database");
    const restored = new Database(target, { readonly: true });
    expect((restored.prepare("select count(*) n from users").get() as { n: number }).n).toBe(usersInBackup);
    expect((restored.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]!.integrity_check).toBe("ok");
    restored.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a damaged backup is refused and the current database is left alone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-restore-"));
    const bad = path.join(dir, "bad.db");
    fs.writeFileSync(bad, "garbage".repeat(1000));
    const target = path.join(dir, "live.db");
    fs.writeFileSync(target, "live");
    expect(() => restoreDatabase(bad, target)).toThrow();
    expect(fs.readFileSync(target, "utf8")).toBe("live");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("npm run db:backup works from the command line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-backup-cli-"));
    const out = path.join(dir, "b.db");
    const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-backup.ts", out], { encoding: "utf8", env: process.env });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/integrity ok/);
    expect(fs.existsSync(out)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** Runs a module in a fresh process against the restored files, as a restored site would start. */
function inRestoredSite(env: Record<string, string>, code: string) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", env: { ...process.env, ...env } });
  if (res.status !== 0) throw new Error(`child failed (${res.status}): ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

const CHECK_RESTORED = `
const { publicVerification, findCertificate } = await import("#app/certificates/certificates.server.ts");
const { verifySignedCredential, didDocument } = await import("#app/certificates/credential.server.ts");
const { verifyAudit } = await import("#app/audit/audit.server.ts");
const id = process.env.DRILL_CERTIFICATE;
const cert = await findCertificate(id);
const did = await didDocument();
console.log(JSON.stringify({
  verification: await publicVerification(id),
  credential: await verifySignedCredential(cert.credential),
  publicKeyMultibase: did.verificationMethod[0].publicKeyMultibase,
  audit: await verifyAudit(),
}));`;

describe("restore drill", () => {
  test("a live database and its signing key, backed up while serving and restored to a fresh path, still verify certificates and keep the audit chain intact", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-drill-"));
    const admin = await createUser({ role: "admin" });
    // A certified learner whose credential is signed, and a revoked certificate: both in the audit chain.
    const kept = await createUser({ name: "Drill Learner" });
    await completeFixtureCourse(kept.id);
    const [certificate] = await listCertificates(kept.id);
    const credential = await ensureCredential(certificate!);
    const revoked = await createUser({ name: "Revoked Learner" });
    await completeFixtureCourse(revoked.id);
    const [toRevoke] = await listCertificates(revoked.id);
    expect((await revokeCertificate(admin.id, toRevoke!.id, { publicReason: "drill", internalNote: "restore drill" })).ok).toBe(true);
    await flushCheckpoints();
    const live = await verifyAudit();
    expect(live).toMatchObject({ ok: true, anchored: { count: live.count } });

    // Backup while writes keep coming: the database (online, with its audit anchor) and the key file (a plain copy).
    const writing = Promise.all(Array.from({ length: 3 }, () => createUser()));
    const backup = await backupDatabase(path.join(dir, "backups", "kap-academy.db"));
    await writing;
    expect(backup.anchor).toBe(`${backup.file}.audit-anchor`);
    fs.copyFileSync(process.env.SIGNING_KEY_PATH!, path.join(dir, "backups", "signing-key.json"));
    // The live site moves on after the backup; the restore must be the backup's moment, whole.
    expect((await reissueCertificate(admin.id, certificate!.id, { reason: "name corrected after the backup", learnerMessage: "Your name was corrected." })).ok).toBe(true);
    await flushCheckpoints();
    const later = await backupDatabase(path.join(dir, "later", "kap-academy.db"));

    // Restore onto a fresh machine: the real command, then the real audit check.
    const fresh = { DATABASE_PATH: path.join(dir, "fresh", "kap-academy.db"), SIGNING_KEY_PATH: path.join(dir, "fresh", "signing-key.json") };
    fs.mkdirSync(path.join(dir, "fresh"));
    fs.copyFileSync(path.join(dir, "backups", "signing-key.json"), fresh.SIGNING_KEY_PATH);
    const restore = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-restore.ts", backup.file], { encoding: "utf8", env: { ...process.env, ...fresh } });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`restored ${backup.file} to ${fresh.DATABASE_PATH}`);
    const auditVerify = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { encoding: "utf8", env: { ...process.env, ...fresh } });
    expect(auditVerify.status, auditVerify.stderr).toBe(0);
    expect(auditVerify.stdout).toMatch(/hash chain intact/);

    const restored = inRestoredSite({ ...fresh, DRILL_CERTIFICATE: certificate!.publicId }, CHECK_RESTORED);
    expect(restored.verification).toMatchObject({ status: "valid", publicId: certificate!.publicId, learnerName: "Drill Learner", replacedBy: null });
    expect(restored.credential).toEqual({ verified: true });
    expect(await independentlyVerify(credential, restored.publicKeyMultibase as string)).toBe(true);
    expect(restored.audit).toMatchObject({ ok: true, count: live.count, anchored: { count: live.count }, problems: [] });
    const revokedThere = inRestoredSite({ ...fresh, DRILL_CERTIFICATE: toRevoke!.publicId }, CHECK_RESTORED);
    expect(revokedThere.verification).toMatchObject({ status: "revoked", revokedReason: "drill" });

    // Why the key belongs in the backup: without it a new key is made and earlier credentials no longer verify.
    const keyless = inRestoredSite({ ...fresh, SIGNING_KEY_PATH: path.join(dir, "fresh", "lost-key.json"), DRILL_CERTIFICATE: certificate!.publicId }, CHECK_RESTORED);
    expect(keyless.verification).toMatchObject({ status: "valid" });
    expect((keyless.credential as { verified: boolean }).verified).toBe(false);
    expect((keyless.audit as { problems: string[] }).problems.join("\n")).toMatch(/does not carry a valid signature/);

    // Restoring over a database that moved on: its newer anchor is kept aside as evidence, and the restored log verifies.
    fs.copyFileSync(path.join(dir, "backups", "signing-key.json"), path.join(dir, "later", "signing-key.json"));
    const over = { DATABASE_PATH: later.file, SIGNING_KEY_PATH: path.join(dir, "later", "signing-key.json") };
    expect(inRestoredSite({ ...over, DRILL_CERTIFICATE: certificate!.publicId }, CHECK_RESTORED).verification).toMatchObject({ status: "replaced" });
    const back = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-restore.ts", backup.file], { encoding: "utf8", env: { ...process.env, ...over } });
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain(`kept at ${later.file}.audit-anchor.before-restore`);
    const rolledBack = inRestoredSite({ ...over, DRILL_CERTIFICATE: certificate!.publicId }, CHECK_RESTORED);
    expect(rolledBack.verification).toMatchObject({ status: "valid", replacedBy: null });
    expect(rolledBack.audit).toMatchObject({ ok: true, count: live.count });
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000); // seven fresh processes, each loading the app
});
