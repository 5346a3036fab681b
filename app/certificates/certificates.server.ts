import { randomBytes } from "node:crypto";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { and, desc, eq, isNull } from "drizzle-orm";
import { appendAudit } from "#app/audit/audit.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { certificates, completions, users, type Certificate } from "#app/db/schema.ts";
import { publicOrigin } from "#app/env.server.ts";
import { countCertificateIssued } from "#app/http/metrics.server.ts";
import { buildCredential, getSigningKey, signCredential } from "./credential.server.ts";
import { buildSnapshot } from "./snapshot.server.ts";

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
    .values({ id: createId(), publicId, userId: completion.userId, courseId: course.id, completionId: completion.id, snapshot: buildSnapshot(tx, course, completion), issuedAt: now })
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
  const signed = await signCredential(buildCredential(certificate.snapshot, did, user.email));
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
  };
}

export type AdminResult = { ok: true; certificate: Certificate } | { ok: false; message: string };

export async function revokeCertificate(actorId: string, certificateId: string, reason: string, now: Date = new Date()): Promise<AdminResult> {
  return getDb().transaction((tx) => {
    const cert = tx.select().from(certificates).where(eq(certificates.id, certificateId)).get();
    if (!cert) return { ok: false as const, message: "That certificate does not exist." };
    if (cert.status !== "valid") return { ok: false as const, message: `This certificate is already ${cert.status}.` };
    tx.update(certificates).set({ status: "revoked", revokedAt: now, revokedReason: reason }).where(eq(certificates.id, cert.id)).run();
    appendAudit(tx, { actorId, action: "certificate.revoked", entityType: "certificate", entityId: cert.publicId, before: { status: cert.status }, after: { status: "revoked", reason }, at: now });
    return { ok: true as const, certificate: tx.select().from(certificates).where(eq(certificates.id, cert.id)).get()! };
  });
}

/**
 * Reissues a certificate (e.g. to correct a name): a new certificate with a new
 * id and a fresh snapshot of the learner's current profile; the old one shows
 * as replaced and points to the new one.
 */
export async function reissueCertificate(actorId: string, certificateId: string, reason: string, now: Date = new Date()): Promise<AdminResult> {
  const db = getDb();
  const old = await findCertificateById(certificateId);
  if (!old) return { ok: false, message: "That certificate does not exist." };
  if (old.status === "replaced") return { ok: false, message: "This certificate was already replaced; reissue the newest one." };
  const course = await findCourse(old.courseId);
  if (!course) return { ok: false, message: "The course of this certificate is no longer available." };
  const created = db.transaction((tx) => {
    const completion = tx.select().from(completions).where(eq(completions.id, old.completionId)).get()!;
    const id = createId();
    const snapshot = { ...buildSnapshot(tx, course, completion), course: old.snapshot.course, ceHours: old.snapshot.ceHours, objectives: old.snapshot.objectives, approvals: old.snapshot.approvals };
    tx.insert(certificates).values({ id, publicId: generatePublicId(), userId: old.userId, courseId: old.courseId, completionId: old.completionId, snapshot, issuedAt: now, replacesId: old.id }).run();
    tx.update(certificates).set({ status: "replaced", replacedById: id }).where(eq(certificates.id, old.id)).run();
    const fresh = tx.select().from(certificates).where(eq(certificates.id, id)).get()!;
    appendAudit(tx, { actorId, action: "certificate.reissued", entityType: "certificate", entityId: old.publicId, before: { status: old.status, learnerName: old.snapshot.learnerName }, after: { replacedBy: fresh.publicId, learnerName: fresh.snapshot.learnerName, reason }, at: now });
    return fresh;
  });
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
