import { and, eq } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { assignmentSubmissions } from "#app/db/schema.ts";

export type AssignmentRequirement = {
  /** How many assignments of the course are `required: true`. */
  required: number;
  /** Those without a submission a mentor judged as meeting the standard. */
  missing: Array<{ title: string; href: string }>;
  /** What the attestation page and a refused attestation say. */
  message: string;
};

/** A course's required assignments (an assignment with `required: true`) and which of them still need a mentor's approval. */
export function assignmentRequirement(userId: string, course: CourseEntry): AssignmentRequirement {
  const required = course.modules.flatMap((m) => m.lessons.filter((l) => !l.draft && l.assignment?.required).map((l) => ({ m, l })));
  if (!required.length) return { required: 0, missing: [], message: "" };
  const approved = getDb()
    .select({ moduleSlug: assignmentSubmissions.moduleSlug, lessonSlug: assignmentSubmissions.lessonSlug })
    .from(assignmentSubmissions)
    .where(and(eq(assignmentSubmissions.userId, userId), eq(assignmentSubmissions.courseId, course.id), eq(assignmentSubmissions.status, "approved")))
    .all();
  const done = new Set(approved.map((a) => `${a.moduleSlug}/${a.lessonSlug}`));
  const missing = required
    .filter(({ m, l }) => !done.has(`${m.slug}/${l.slug}`))
    .map(({ m, l }) => ({ title: l.assignment!.title, href: `/courses/${course.id}/${m.slug}/${l.slug}/assignment` }));
  const message = missing.length
    ? `A mentor must judge your case work as meeting the standard first: ${missing.map((a) => `"${a.title}"`).join(", ")}.`
    : "";
  return { required: required.length, missing, message };
}
