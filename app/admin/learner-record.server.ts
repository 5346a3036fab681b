import { asc, desc, eq, sql } from "drizzle-orm";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { attestations, certificates, completions, enrollments, evaluations, licenses, quizAttempts, users } from "#app/db/schema.ts";
import { getCourseProgress } from "#app/progress/lessons.server.ts";
import { requiredCourseSeconds } from "#app/progress/completion.server.ts";
import { DEFAULT_COURSE_MINIMUM } from "#app/content/schemas.ts";
import { learnerInCourse } from "#app/db/where.ts";
import { platformTranscript } from "#app/transcript/transcript.server.ts";

const minimumOf = (c: typeof completions.$inferSelect) => c.minimumSeconds ?? c.ceHours * 3600 * DEFAULT_COURSE_MINIMUM;

/** Everything the platform holds about one learner's CE activity, for an administrator. */
export async function getLearnerRecord(userId: string) {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return null;
  const byUser = <T extends { userId: unknown }>(t: T) => eq(t.userId as never, userId);
  const enrolled = db.select().from(enrollments).where(byUser(enrollments)).orderBy(asc(enrollments.enrolledAt)).all();
  const courses = await Promise.all(
    enrolled.map(async (e) => {
      const course = await findCourse(e.courseId);
      const progress = course ? await getCourseProgress(userId, course) : null;
      const completion = db.select().from(completions).where(learnerInCourse(completions, userId, e.courseId)).get() ?? null;
      return {
        courseId: e.courseId,
        title: course?.title ?? e.courseId,
        enrolledAt: e.enrolledAt,
        contentVersion: e.contentVersion,
        percent: progress?.percent ?? null,
        activeMinutes: progress ? Math.round(progress.activeSeconds / 60) : null,
        /** Minutes the course requires in all (its courseMinimum share of its CE hours). */
        requiredMinutes: course ? Math.ceil(requiredCourseSeconds(course) / 60) : null,
        attempts: db.select().from(quizAttempts).where(learnerInCourse(quizAttempts, userId, e.courseId)).orderBy(asc(quizAttempts.startedAt)).all(),
        evaluation: db.select().from(evaluations).where(learnerInCourse(evaluations, userId, e.courseId)).get() ?? null,
        attestation: db.select().from(attestations).where(learnerInCourse(attestations, userId, e.courseId)).get() ?? null,
        completion,
        /** The completion's active time against the minimum recorded with it (older records: the default share). */
        timeShortfall: completion && completion.activeSeconds < minimumOf(completion) ? { activeMinutes: Math.round(completion.activeSeconds / 60), minimumMinutes: Math.ceil(minimumOf(completion) / 60) } : null,
      };
    }),
  );
  const held = db.select().from(licenses).where(byUser(licenses)).orderBy(sql`rowid`).all();
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt, deactivatedAt: user.deactivatedAt },
    licenses: held,
    courses,
    certificates: db.select().from(certificates).where(byUser(certificates)).orderBy(desc(certificates.issuedAt)).all(),
    /** The platform-issued part of the learner's CE transcript; their self-reported CE stays private to them. */
    transcript: platformTranscript(userId, held.map((l) => ({ type: l.type, number: l.number, state: l.state }))),
  };
}
