import { and, eq, inArray } from "drizzle-orm";
import { redirect } from "react-router";
import { canSeeDrafts, type Role } from "#app/auth/roles.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { certificates } from "#app/db/schema.ts";

/**
 * Prerequisite courses (course.yaml `prerequisites`): a course is open to a
 * learner once they hold a valid certificate for each one. A revoked
 * certificate does not count; a reissued one counts through its replacement.
 * Authors and admins preview any course.
 */

export type Prerequisite = { id: string; title: string; met: boolean };

/** Each prerequisite of the course with whether the user has met it, in course.yaml order. */
export async function prerequisitesFor(userId: string | null, course: Pick<CourseEntry, "prerequisites">): Promise<Prerequisite[]> {
  const ids = course.prerequisites ?? [];
  if (ids.length === 0) return [];
  const held = userId
    ? new Set(
        getDb()
          .selectDistinct({ courseId: certificates.courseId })
          .from(certificates)
          .where(and(eq(certificates.userId, userId), inArray(certificates.courseId, ids), eq(certificates.status, "valid")))
          .all()
          .map((r) => r.courseId),
      )
    : new Set<string>();
  return Promise.all(ids.map(async (id) => ({ id, title: (await findCourse(id))?.title ?? id, met: held.has(id) })));
}

/** The prerequisites the user has not met (none for authors and admins). */
export async function missingPrerequisites(user: { id: string; role: Role }, course: Pick<CourseEntry, "prerequisites">): Promise<Prerequisite[]> {
  if (canSeeDrafts(user)) return [];
  return (await prerequisitesFor(user.id, course)).filter((p) => !p.met);
}

export function prerequisiteMessage(missing: Prerequisite[]): string {
  const titles = missing.map((p) => `“${p.title}”`).join(" and ");
  return `This course builds on ${titles}: complete ${missing.length > 1 ? "them" : "it"} and receive the certificate first.`;
}

/**
 * Stops a learner who has not met the course's prerequisites: a page request
 * goes to the course page, which says what to complete first; anything else
 * (a form post, a heartbeat) is refused with 403 and changes nothing.
 */
export async function requirePrerequisites(request: Request, user: { id: string; role: Role }, course: Pick<CourseEntry, "id" | "prerequisites">): Promise<void> {
  const missing = await missingPrerequisites(user, course);
  if (missing.length === 0) return;
  if (request.method === "GET" || request.method === "HEAD") throw redirect(`/courses/${course.id}`);
  throw new Response(prerequisiteMessage(missing), { status: 403, statusText: "Forbidden" });
}
