import { and, eq, gte } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb, type DB } from "#app/db/client.server.ts";
import { activityClock, caseRuns, enrollments } from "#app/db/schema.ts";

/** Whether a course has any branching case (its time on task then includes case time). */
export function courseHasCases(course: Pick<CourseEntry, "modules">): boolean {
  return course.modules.some((m) => m.cases.length > 0);
}

/** The longest pause before a choice that is credited in full: a longer one means the learner was away, and earns this much. */
export const CASE_PAUSE_CAP_SECONDS = 5 * 60;

type Tx = Pick<DB, "select" | "insert">;

function setClock(tx: Tx, userId: string, courseId: string, key: string, at: Date): void {
  tx.insert(activityClock)
    .values({ userId, courseId, lessonKey: key, lastBeatAt: at })
    .onConflictDoUpdate({ target: activityClock.userId, set: { courseId, lessonKey: key, lastBeatAt: at } })
    .run();
}

const clockKey = (run: { moduleSlug: string; caseSlug: string }) => `case:${run.moduleSlug}/${run.caseSlug}`;

/**
 * A new run starts the learner's one activity clock (the one lesson heartbeats
 * run on, app/progress/lessons.server.ts) when it has stopped; while another
 * page is beating, it leaves the clock alone.
 */
export function startCaseClock(tx: Tx, run: { userId: string; courseId: string; moduleSlug: string; caseSlug: string }, now: Date): void {
  const clock = tx.select().from(activityClock).where(eq(activityClock.userId, run.userId)).get();
  if (!clock || now.getTime() - clock.lastBeatAt.getTime() > CASE_PAUSE_CAP_SECONDS * 1000) setClock(tx, run.userId, run.courseId, clockKey(run), now);
}

/**
 * Credits a choice with the time since the clock's last beat, from a lesson or a
 * case (at most CASE_PAUSE_CAP_SECONDS), and moves the clock on by what it
 * credited. A case has no heartbeat, so a choice is the moment the learner is
 * known to be present; sharing the clock means time spent in two windows at
 * once (a lesson beating beside a case, or two cases) is credited once.
 */
export function creditCaseChoice(tx: Tx, run: { userId: string; courseId: string; moduleSlug: string; caseSlug: string }, now: Date): number {
  const clock = tx.select().from(activityClock).where(eq(activityClock.userId, run.userId)).get();
  if (!clock) {
    setClock(tx, run.userId, run.courseId, clockKey(run), now);
    return 0;
  }
  const gapMs = now.getTime() - clock.lastBeatAt.getTime();
  // Under a second (or a clock already ahead): nothing to credit, and the clock stays.
  if (gapMs < 1000) return 0;
  const credited = Math.min(Math.floor(gapMs / 1000), CASE_PAUSE_CAP_SECONDS);
  // Whole seconds; after a capped pause the clock restarts now.
  setClock(tx, run.userId, run.courseId, clockKey(run), gapMs > CASE_PAUSE_CAP_SECONDS * 1000 ? now : new Date(clock.lastBeatAt.getTime() + credited * 1000));
  return credited;
}

/**
 * Time on task in a course's branching cases: each run's seconds credited at
 * its choices (creditCaseChoice). A case credits its best run, and at most the
 * minutes its best path supports (the CE estimate), so replaying or idling in a
 * case never adds time beyond one play-through. Only runs started since the
 * learner enrolled count: staff previewing a case before enrolling earn nothing.
 */
export function caseSeconds(userId: string, course: Pick<CourseEntry, "id" | "modules">): number {
  const runs = getDb()
    .select({ moduleSlug: caseRuns.moduleSlug, caseSlug: caseRuns.caseSlug, activeSeconds: caseRuns.activeSeconds })
    .from(caseRuns)
    .innerJoin(enrollments, and(eq(enrollments.userId, caseRuns.userId), eq(enrollments.courseId, caseRuns.courseId)))
    .where(and(eq(caseRuns.userId, userId), eq(caseRuns.courseId, course.id), gte(caseRuns.startedAt, enrollments.enrolledAt)))
    .all();
  const best = new Map<string, number>();
  for (const run of runs) {
    const key = `${run.moduleSlug}/${run.caseSlug}`;
    best.set(key, Math.max(best.get(key) ?? 0, run.activeSeconds));
  }
  let total = 0;
  for (const m of course.modules) {
    for (const c of m.cases) total += Math.min(best.get(`${m.slug}/${c.slug}`) ?? 0, Math.round(c.estimatedMinutes * 60));
  }
  return total;
}
