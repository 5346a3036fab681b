import { and, eq, sql } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { prepared } from "#app/db/prepared.server.ts";
import { enrollments, type Enrollment } from "#app/db/schema.ts";

export function lessonKey(moduleSlug: string, lessonSlug: string): string {
  return `${moduleSlug}/${lessonSlug}`;
}

/** The lessons and quizzes that count for completion in the course as it is now. */
export function requirementsOf(course: CourseEntry): { lessonKeys: string[]; quizModules: string[] } {
  return {
    lessonKeys: course.modules.flatMap((m) => m.lessons.filter((l) => !l.draft).map((l) => lessonKey(m.slug, l.slug))),
    quizModules: course.modules.filter((m) => m.quiz).map((m) => m.slug),
  };
}

const enrollmentOf = prepared((db) =>
  db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.userId, sql.placeholder("userId")), eq(enrollments.courseId, sql.placeholder("courseId"))))
    .prepare(),
);

export async function getEnrollment(userId: string, courseId: string): Promise<Enrollment | null> {
  return enrollmentOf().get({ userId, courseId }) ?? null;
}

/** Enrolls on first use, pinning what completion requires; later calls return the same row. */
export async function ensureEnrollment(userId: string, course: CourseEntry, now: Date = new Date()): Promise<Enrollment> {
  const existing = await getEnrollment(userId, course.id);
  if (existing) return existing;
  const { lessonKeys, quizModules } = requirementsOf(course);
  getDb()
    .insert(enrollments)
    .values({ id: createId(), userId, courseId: course.id, contentVersion: course.version, lessonKeys, quizModules, enrolledAt: now })
    .onConflictDoNothing()
    .run();
  return (await getEnrollment(userId, course.id))!;
}
