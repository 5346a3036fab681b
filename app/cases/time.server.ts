import { and, asc, eq, inArray } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { caseRuns, caseSteps } from "#app/db/schema.ts";

/** Whether a course has any branching case (its time on task then includes case time). */
export function courseHasCases(course: Pick<CourseEntry, "modules">): boolean {
  return course.modules.some((m) => m.cases.length > 0);
}

/** The longest pause between two of a run's events that is credited in full: a longer one means the learner was away. */
export const CASE_PAUSE_CAP_SECONDS = 5 * 60;

/**
 * Time on task in a course's branching cases, measured by the server's clock:
 * in each run, the gaps between its start, each choice (taken back or not) and
 * its end, each credited up to CASE_PAUSE_CAP_SECONDS. A case credits its best
 * run, and at most the minutes its best path supports (the CE estimate), so
 * replaying or idling in a case never adds time beyond one play-through.
 */
export function caseSeconds(userId: string, course: Pick<CourseEntry, "id" | "modules">): number {
  const db = getDb();
  const runs = db
    .select({ id: caseRuns.id, moduleSlug: caseRuns.moduleSlug, caseSlug: caseRuns.caseSlug, startedAt: caseRuns.startedAt, finishedAt: caseRuns.finishedAt })
    .from(caseRuns)
    .where(and(eq(caseRuns.userId, userId), eq(caseRuns.courseId, course.id)))
    .all();
  if (runs.length === 0) return 0;
  const steps = db
    .select({ runId: caseSteps.runId, chosenAt: caseSteps.chosenAt })
    .from(caseSteps)
    .where(inArray(caseSteps.runId, runs.map((r) => r.id)))
    .orderBy(asc(caseSteps.chosenAt))
    .all();
  const best = new Map<string, number>();
  for (const run of runs) {
    const events = [run.startedAt, ...steps.filter((s) => s.runId === run.id).map((s) => s.chosenAt), ...(run.finishedAt ? [run.finishedAt] : [])].map((d) => d.getTime());
    let ms = 0;
    for (let i = 1; i < events.length; i++) ms += Math.min(Math.max(0, events[i]! - events[i - 1]!), CASE_PAUSE_CAP_SECONDS * 1000);
    const key = `${run.moduleSlug}/${run.caseSlug}`;
    best.set(key, Math.max(best.get(key) ?? 0, Math.floor(ms / 1000)));
  }
  let total = 0;
  for (const m of course.modules) {
    for (const c of m.cases) total += Math.min(best.get(`${m.slug}/${c.slug}`) ?? 0, Math.round(c.estimatedMinutes * 60));
  }
  return total;
}
