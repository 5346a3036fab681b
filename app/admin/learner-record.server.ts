import { asc, desc, eq, sql } from "drizzle-orm";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { assignmentReviews, assignmentSubmissions, attestations, caseRuns, certificates, completions, enrollments, evaluations, licenses, quizAttempts, users } from "#app/db/schema.ts";
import { findAssignment } from "#app/mentoring/mentoring.server.ts";
import { getCourseProgress } from "#app/progress/lessons.server.ts";
import { requiredCourseSeconds } from "#app/progress/completion.server.ts";
import { DEFAULT_COURSE_MINIMUM } from "#app/content/schemas.ts";
import { learnerInCourse } from "#app/db/where.ts";
import { platformTranscript } from "#app/transcript/transcript.server.ts";
import { caseSeconds } from "#app/cases/time.server.ts";

const minimumOf = (c: typeof completions.$inferSelect) => c.minimumSeconds ?? c.ceHours * 3600 * DEFAULT_COURSE_MINIMUM;

/** The learner's runs of the course's branching cases, oldest first, titled as the case was when played (its snapshot). */
function caseWork(userId: string, courseId: string) {
  return getDb()
    .select()
    .from(caseRuns)
    .where(learnerInCourse(caseRuns, userId, courseId))
    .orderBy(asc(caseRuns.startedAt))
    .all()
    .map((r) => ({
      id: r.id,
      title: r.snapshot.title,
      moduleSlug: r.moduleSlug,
      caseSlug: r.caseSlug,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      status: r.status,
      /** "best", "safe" or "unsafe" once finished; null while open. */
      outcome: r.outcome,
      caseVersion: r.caseVersion,
    }));
}

/**
 * The learner's submissions of the course's mentor-reviewed assignments, oldest
 * first, each with its review's outcome and reviewer. The title is the
 * assignment's as the content names it now (its id when the content no longer has it).
 */
async function assignmentWork(userId: string, courseId: string) {
  const rows = getDb()
    .select({ s: assignmentSubmissions, outcome: assignmentReviews.outcome, reviewer: users.name })
    .from(assignmentSubmissions)
    .leftJoin(assignmentReviews, eq(assignmentReviews.submissionId, assignmentSubmissions.id))
    .leftJoin(users, eq(users.id, assignmentReviews.mentorId))
    .where(learnerInCourse(assignmentSubmissions, userId, courseId))
    .orderBy(asc(assignmentSubmissions.submittedAt), asc(assignmentSubmissions.version))
    .all();
  return Promise.all(
    rows.map(async ({ s, outcome, reviewer }) => {
      const place = await findAssignment(courseId, s.moduleSlug, s.lessonSlug, true);
      return {
        id: s.id,
        title: place?.assignment.id === s.assignmentId ? place.assignment.title : s.assignmentId,
        moduleSlug: s.moduleSlug,
        lessonSlug: s.lessonSlug,
        /** 1, 2, ... within the learner's thread for this assignment. */
        version: s.version,
        /** Hash of the assignment file the learner answered. */
        assignmentVersion: s.assignmentHash,
        status: s.status,
        submittedAt: s.submittedAt,
        reviewedAt: s.reviewedAt,
        /** The mentor's outcome ("approved" or "revise"); null until reviewed. */
        outcome: outcome ?? null,
        reviewerName: reviewer ?? null,
      };
    }),
  );
}

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
        /** Credited time on lessons and in cases, as attestation counts it. */
        activeMinutes: progress && course ? Math.round((progress.activeSeconds + caseSeconds(userId, course)) / 60) : null,
        /** Minutes the course requires in all (its courseMinimum share of its CE hours). */
        requiredMinutes: course ? Math.ceil(requiredCourseSeconds(course) / 60) : null,
        attempts: db.select().from(quizAttempts).where(learnerInCourse(quizAttempts, userId, e.courseId)).orderBy(asc(quizAttempts.startedAt)).all(),
        evaluation: db.select().from(evaluations).where(learnerInCourse(evaluations, userId, e.courseId)).get() ?? null,
        attestation: db.select().from(attestations).where(learnerInCourse(attestations, userId, e.courseId)).get() ?? null,
        /** The practice work behind a certificate: branching-case runs and mentor-reviewed assignments. */
        caseRuns: caseWork(userId, e.courseId),
        assignments: await assignmentWork(userId, e.courseId),
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
