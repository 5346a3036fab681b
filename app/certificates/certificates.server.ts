import { randomBytes } from "node:crypto";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { and, desc, eq, isNull } from "drizzle-orm";
import { appendAudit } from "#app/audit/audit.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { certificates, completions, users, type Certificate } from "#app/db/schema.ts";
import { certificateReissuedEmail, certificateRevokedEmail } from "#app/email/certificate-notices.ts";
import { enqueueEmail } from "#app/email/queue.server.ts";
import { publicOrigin } from "#app/env.server.ts";
import { countCertificateIssued } from "#app/http/metrics.server.ts";
import { buildCredential, getSigningKey, signCredential } from "./credential.server.ts";
import { buildSnapshot } from "./snapshot.server.ts";
import { allocateStatusIndex, bumpStatusList, statusEntry } from "./status-list.server.ts";

/** 100 random bits, shown as four groups of five (e.g. K7Q2M-9XW4R-...). */
export function generatePublicId(): string {
  const raw = encodeBase32UpperCaseNoPadding(randomBytes(13)).slice(0, 20);
  return raw.match(/.{5}/g)!.join("-");
}

/** Accepts ids typed with lower case, spaces or without dashes. */
export function normalizePublicId(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[A-Z2-7]{20}$/.test(raw)) return null;
  return raw.match(/.{5}/g)!.join("-");
}

export function verifyUrl(publicId: string): string {
  return `${publicOrigin()}/verify/${publicId}`;
}

type Tx = Pick<DB, "select" | "insert" | "update">;

/**
 * Issues the certificate for a completion, inside the completion's transaction.
 * The unique index on (learner, course) for originals makes a retry return the
 * existing certificate instead of a second one.
 */
export function issueCertificate(tx: Tx, course: CourseEntry, completion: typeof completions.$inferSelect, now: Date): Certificate {
  const publicId = generatePublicId();
  const inserted = tx
    .insert(certificates)
    .values({ id: createId(), publicId, userId: completion.userId, courseId: course.id, completionId: completion.id, snapshot: buildSnapshot(tx, course, completion), issuedAt: now, statusListIndex: allocateStatusIndex(tx) })
    .onConflictDoNothing()
    .run();
  if (inserted.changes) {
    countCertificateIssued();
    appendAudit(tx, { actorId: null, action: "certificate.issued", entityType: "certificate", entityId: publicId, after: { userId: completion.userId, courseId: course.id, ceHours: completion.ceHours }, at: now });
  }
  const issued = tx.select().from(certificates).where(and(eq(certificates.userId, completion.userId), eq(certificates.courseId, course.id))).orderBy(desc(certificates.issuedAt)).all();
  return issued.find((c) => c.status === "valid") ?? issued[0]!;
}

/** Signs the Open Badges credential of a certificate once and stores it. */
export async function ensureCredential(certificate: Certificate): Promise<Record<string, unknown>> {
  if (certificate.credential) return certificate.credential;
  const db = getDb();
  const { did } = await getSigningKey();
  const user = db.select({ email: users.email }).from(users).where(eq(users.id, certificate.userId)).get()!;
  // Every certificate has its index since migration 0010 (backfilled there).
  if (certificate.statusListIndex === null) throw new Error(`certificate ${certificate.publicId} has no status list index`);
  const signed = await signCredential(buildCredential(certificate.snapshot, did, user.email, statusEntry(certificate.statusListIndex)));
  // Another request may have signed it first: keep whichever was stored.
  db.update(certificates).set({ credential: signed }).where(and(eq(certificates.id, certificate.id), isNull(certificates.credential))).run();
  return db.select({ credential: certificates.credential }).from(certificates).where(eq(certificates.id, certificate.id)).get()!.credential!;
}

export async function listCertificates(userId: string): Promise<Certificate[]> {
  return getDb().select().from(certificates).where(eq(certificates.userId, userId)).orderBy(desc(certificates.issuedAt)).all();
}

export async function findCertificate(publicId: string): Promise<Certificate | null> {
  const normalized = normalizePublicId(publicId);
  if (!normalized) return null;
  return getDb().select().from(certificates).where(eq(certificates.publicId, normalized)).get() ?? null;
}

export async function findCertificateById(id: string): Promise<Certificate | null> {
  return getDb().select().from(certificates).where(eq(certificates.id, id)).get() ?? null;
}

/** What anyone may see: no email, no license number. */
export async function publicVerification(publicId: string) {
  const certificate = await findCertificate(publicId);
  if (!certificate) return { status: "not-found" as const };
  const s = certificate.snapshot;
  const replacement = certificate.replacedById ? await findCertificateById(certificate.replacedById) : null;
  // Only the public reason is stored on the certificate; the internal note lives in the audit log alone.
  return {
    status: certificate.status,
    publicId: certificate.publicId,
    learnerName: s.learnerName,
    course: { id: s.course.id, title: s.course.title },
    ceHours: s.ceHours,
    completedAt: s.completedAt.slice(0, 10),
    issuedAt: certificate.issuedAt.toISOString().slice(0, 10),
    provider: s.provider.name,
    revokedAt: certificate.revokedAt?.toISOString().slice(0, 10) ?? null,
    revokedReason: certificate.status === "revoked" ? certificate.revokedReason : null,
    replacedBy: replacement?.publicId ?? null,
    replacedAt: replacement?.issuedAt.toISOString().slice(0, 10) ?? null,
  };
}

/** A certificate's standing as its learner sees it: status, date, public reason, replacement. */
export async function certificateStanding(certificate: Certificate) {
  const replacement = certificate.replacedById ? await findCertificateById(certificate.replacedById) : null;
  return {
    status: certificate.status,
    revokedAt: certificate.revokedAt?.toISOString().slice(0, 10) ?? null,
    revokedReason: certificate.status === "revoked" ? certificate.revokedReason : null,
    replacedBy: replacement?.publicId ?? null,
    replacedAt: replacement?.issuedAt.toISOString().slice(0, 10) ?? null,
  };
}

export type CertificateStanding = Awaited<ReturnType<typeof certificateStanding>>;

/** The answer of a download route for a certificate that is no longer valid: 410 Gone, in words. */
export async function unavailableDownload(certificate: Certificate): Promise<Response> {
  const s = await certificateStanding(certificate);
  const text =
    s.status === "revoked"
      ? `Certificate ${certificate.publicId} was revoked on ${s.revokedAt}${s.revokedReason ? ` (reason: ${s.revokedReason})` : ""}. It is no longer valid and cannot be downloaded.`
      : `Certificate ${certificate.publicId} was replaced by ${s.replacedBy ?? "a newer certificate"}${s.replacedAt ? ` on ${s.replacedAt}` : ""}. Download the new certificate instead.`;
  return new Response(text, { status: 410, statusText: "Gone", headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}

export type AdminResult = { ok: true; certificate: Certificate } | { ok: false; message: string };

/** What a revocation records: the reason anyone may read, and a note for the audit log only. */
export type Revocation = { publicReason: string; internalNote: string };
/** What a reissue records: the reason (audit log only), and what the learner is told. */
export type Reissue = { reason: string; learnerMessage: string };

function learnerOf(tx: Tx, cert: Certificate) {
  return tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, cert.userId)).get()!;
}

/**
 * Revokes a certificate. The record, its status-list bit (the list's version),
 * the audit entry and the learner's email are one transaction: each exists
 * exactly when the others do.
 */
export async function revokeCertificate(actorId: string, certificateId: string, revocation: Revocation, now: Date = new Date()): Promise<AdminResult> {
  return getDb().transaction((tx) => {
    const cert = tx.select().from(certificates).where(eq(certificates.id, certificateId)).get();
    if (!cert) return { ok: false as const, message: "That certificate does not exist." };
    if (cert.status !== "valid") return { ok: false as const, message: `This certificate is already ${cert.status}.` };
    const { publicReason, internalNote } = revocation;
    tx.update(certificates).set({ status: "revoked", revokedAt: now, revokedReason: publicReason }).where(eq(certificates.id, cert.id)).run();
    bumpStatusList(tx);
    appendAudit(tx, { actorId, action: "certificate.revoked", entityType: "certificate", entityId: cert.publicId, before: { status: cert.status }, after: { status: "revoked", publicReason, internalNote }, at: now });
    const learner = learnerOf(tx, cert);
    const mail = certificateRevokedEmail({
      name: learner.name,
      courseTitle: cert.snapshot.course.title,
      publicId: cert.publicId,
      verifyUrl: verifyUrl(cert.publicId),
      revokedOn: now.toISOString().slice(0, 10),
      publicReason,
      contact: cert.snapshot.provider,
    });
    enqueueEmail({ to: learner.email, template: "certificate-revoked", ...mail }, tx, now);
    return { ok: true as const, certificate: tx.select().from(certificates).where(eq(certificates.id, cert.id)).get()! };
  });
}

/**
 * Reissues a certificate (e.g. to correct a name): a new certificate with a new
 * id, its own status-list index and a fresh snapshot of the learner's current
 * profile. The old one shows as replaced, points to the new one, and its bit in
 * the status list is set, so its Open Badge no longer verifies as current.
 */
export async function reissueCertificate(actorId: string, certificateId: string, reissue: Reissue, now: Date = new Date()): Promise<AdminResult> {
  const db = getDb();
  const old = await findCertificateById(certificateId);
  if (!old) return { ok: false, message: "That certificate does not exist." };
  if (old.status === "replaced") return { ok: false, message: "This certificate was already replaced; reissue the newest one." };
  if (old.status !== "valid") return { ok: false, message: `This certificate is ${old.status}; only a valid certificate can be reissued.` };
  const course = await findCourse(old.courseId);
  if (!course) return { ok: false, message: "The course of this certificate is no longer available." };
  const created = db.transaction((tx) => {
    // Checked again inside the transaction: another admin may have acted meanwhile.
    const current = tx.select({ status: certificates.status }).from(certificates).where(eq(certificates.id, old.id)).get()!;
    if (current.status !== "valid") return null;
    const completion = tx.select().from(completions).where(eq(completions.id, old.completionId)).get()!;
    const id = createId();
    const snapshot = { ...buildSnapshot(tx, course, completion), course: old.snapshot.course, ceHours: old.snapshot.ceHours, objectives: old.snapshot.objectives, approvals: old.snapshot.approvals };
    tx.insert(certificates).values({ id, publicId: generatePublicId(), userId: old.userId, courseId: old.courseId, completionId: old.completionId, snapshot, issuedAt: now, replacesId: old.id, statusListIndex: allocateStatusIndex(tx) }).run();
    tx.update(certificates).set({ status: "replaced", replacedById: id }).where(eq(certificates.id, old.id)).run();
    bumpStatusList(tx);
    const fresh = tx.select().from(certificates).where(eq(certificates.id, id)).get()!;
    appendAudit(tx, {
      actorId,
      action: "certificate.reissued",
      entityType: "certificate",
      entityId: old.publicId,
      before: { status: old.status, learnerName: old.snapshot.learnerName },
      after: { replacedBy: fresh.publicId, learnerName: fresh.snapshot.learnerName, reason: reissue.reason, learnerMessage: reissue.learnerMessage },
      at: now,
    });
    const learner = learnerOf(tx, old);
    const mail = certificateReissuedEmail({
      name: learner.name,
      courseTitle: fresh.snapshot.course.title,
      oldPublicId: old.publicId,
      newPublicId: fresh.publicId,
      verifyUrl: verifyUrl(fresh.publicId),
      message: reissue.learnerMessage,
      contact: fresh.snapshot.provider,
    });
    enqueueEmail({ to: learner.email, template: "certificate-reissued", ...mail }, tx, now);
    return fresh;
  });
  if (!created) return { ok: false, message: "This certificate changed meanwhile; reload it and try again." };
  await ensureCredential(created);
  return { ok: true, certificate: (await findCertificateById(created.id))! };
}

/** Certificates for the admin list, newest first, optionally filtered by name, email or id. */
export async function searchCertificates(q: string | undefined, limit = 50) {
  const db = getDb();
  const rows = db
    .select({ certificate: certificates, email: users.email })
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .orderBy(desc(certificates.issuedAt))
    .all();
  const needle = q?.trim().toLowerCase();
  return rows
    .filter(({ certificate, email }) => !needle || email.includes(needle) || certificate.publicId.toLowerCase().includes(needle) || certificate.snapshot.learnerName.toLowerCase().includes(needle))
    .slice(0, limit);
}
