import { and, eq, sql } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { perDatabase, prepared } from "#app/db/prepared.server.ts";
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

// An enrollment row is written once and never changed (its requirements are pinned),
// so each process keeps the rows it has read, per database: every lesson view needs
// one, and reading it parsed its JSON anew. Frozen, as many requests share one object.
const MAX_KEPT_ENROLLMENTS = 20_000;
const keptEnrollments = perDatabase(() => new Map<string, Readonly<Enrollment>>());

export async function getEnrollment(userId: string, courseId: string): Promise<Readonly<Enrollment> | null> {
  const kept = keptEnrollments();
  const key = `${userId}\u0000${courseId}`;
  const known = kept.get(key);
  if (known) return known;
  const row = enrollmentOf().get({ userId, courseId });
  if (!row) return null;
  Object.freeze(row.lessonKeys);
  Object.freeze(row.quizModules);
  if (kept.size >= MAX_KEPT_ENROLLMENTS) kept.delete(kept.keys().next().value!);
  kept.set(key, Object.freeze(row));
  return row;
}

/** Enrolls on first use, pinning what completion requires; later calls return the same row. */
export async function ensureEnrollment(userId: string, course: CourseEntry, now: Date = new Date()): Promise<Readonly<Enrollment>> {
  const existing = await getEnrollment(userId, course.id);
  if (existing) return existing;
  const { lessonKeys, quizModules } = requirementsOf(course);
  getDb()
    .insert(enrollments)
    .values({ id: createId(), userId, courseId: course.id, contentVersion: course.version, lessonKeys, quizModules, ceHours: course.ceHours, enrolledAt: now })
    .onConflictDoNothing()
    .run();
  return (await getEnrollment(userId, course.id))!;
}
