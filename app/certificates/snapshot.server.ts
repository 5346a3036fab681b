import { eq, sql } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import type { DB } from "#app/db/client.server.ts";
import { attestations, enrollments, evaluations, licenses, users, type completions } from "#app/db/schema.ts";
import { learnerInCourse } from "#app/db/where.ts";

export const DELIVERY_FORMAT = "Self-paced online home study (enduring material)";

/**
 * Everything a certificate states, frozen at issue: later edits to the
 * learner's profile or to the course never change an issued certificate.
 */
export type CertificateSnapshot = {
  learnerName: string;
  licenses: Array<{ type: string; number: string; state: string }>;
  course: { id: string; title: string; version: string };
  completedAt: string;
  enrolledAt: string;
  ceHours: number;
  deliveryFormat: string;
  level: string;
  objectives: string[];
  provider: { name: string; address: string; url: string };
  approvals: Array<{ body: string; providerNumber: string; period: string; creditType: string; credits: number; statement: string; sample: boolean }>;
  /** Program administrator who signs, from the course faculty. */
  signatory: { name: string; credentials: string; role: string };
  postTestScore: number;
  evaluationDate: string;
  attestationDate: string;
};

type Tx = Pick<DB, "select">;

export function buildSnapshot(tx: Tx, course: CourseEntry, completion: typeof completions.$inferSelect): CertificateSnapshot {
  const { userId } = completion;
  const user = tx.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()!;
  const licenseRows = tx.select().from(licenses).where(eq(licenses.userId, userId)).orderBy(sql`rowid`).all();
  const evaluation = tx.select({ at: evaluations.submittedAt }).from(evaluations).where(learnerInCourse(evaluations, userId, course.id)).get();
  const attestation = tx.select({ at: attestations.signedAt }).from(attestations).where(learnerInCourse(attestations, userId, course.id)).get();
  const enrollment = tx.select({ at: enrollments.enrolledAt }).from(enrollments).where(learnerInCourse(enrollments, userId, course.id)).get();
  const signatory = course.faculty.find((f) => /administrator/i.test(f.role)) ?? course.faculty[0]!;
  return {
    learnerName: user.name,
    licenses: licenseRows.map((l) => ({ type: l.type, number: l.number, state: l.state })),
    course: { id: course.id, title: course.title, version: completion.contentVersion },
    completedAt: completion.completedAt.toISOString(),
    enrolledAt: (enrollment?.at ?? completion.completedAt).toISOString(),
    ceHours: completion.ceHours,
    deliveryFormat: DELIVERY_FORMAT,
    level: course.level,
    objectives: course.objectives.map((o) => o.text),
    provider: course.provider,
    approvals: course.approvals.map((a) => ({ ...a })),
    signatory: { name: signatory.name, credentials: signatory.credentials, role: signatory.role },
    postTestScore: completion.postTestScore,
    evaluationDate: (evaluation?.at ?? completion.completedAt).toISOString(),
    attestationDate: (attestation?.at ?? completion.completedAt).toISOString(),
  };
}
