import { and, eq, gte } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { caseRuns, enrollments } from "#app/db/schema.ts";
import { clockOf, setClock } from "#app/progress/clock.server.ts";

/** Whether a course has any branching case (its time on task then includes case time). */
export function courseHasCases(course: Pick<CourseEntry, "modules">): boolean {
  return course.modules.some((m) => m.cases.length > 0);
}

/** The longest pause before a choice that is credited in full: a longer one means the learner was away, and earns this much. */
export const CASE_PAUSE_CAP_SECONDS = 5 * 60;

type RunKey = { userId: string; courseId: string; moduleSlug: string; caseSlug: string };

const moveClock = (run: RunKey, now: Date) => setClock().run({ userId: run.userId, courseId: run.courseId, lessonKey: `case:${run.moduleSlug}/${run.caseSlug}`, now });

/**
 * A new run starts the learner's one activity clock (app/progress/clock.server.ts)
 * when it has stopped; while another page is beating, it leaves the clock alone.
 * Inside the caller's transaction.
 */
export function startCaseClock(run: RunKey, now: Date): void {
  const clock = clockOf().get({ userId: run.userId });
  if (!clock || now.getTime() - clock.lastBeatAt.getTime() > CASE_PAUSE_CAP_SECONDS * 1000) moveClock(run, now);
}

/**
 * Credits a choice with the time since the clock last moved, by a lesson beat or
 * a case choice (at most CASE_PAUSE_CAP_SECONDS), and moves the clock on by what
 * it credited. A case has no heartbeat, so a choice is the moment the learner is
 * known to be present; sharing the clock means time spent in two windows at
 * once (a lesson beating beside a case, or two cases) is credited once.
 * Inside the caller's transaction.
 */
export function creditCaseChoice(run: RunKey, now: Date): number {
  const clock = clockOf().get({ userId: run.userId });
  if (!clock) {
    moveClock(run, now);
    return 0;
  }
  const gapMs = now.getTime() - clock.lastBeatAt.getTime();
  // Under a second (or a clock already ahead): nothing to credit, and the clock stays.
  if (gapMs < 1000) return 0;
  const credited = Math.min(Math.floor(gapMs / 1000), CASE_PAUSE_CAP_SECONDS);
  // Whole seconds; after a capped pause the clock restarts now.
  moveClock(run, gapMs > CASE_PAUSE_CAP_SECONDS * 1000 ? now : new Date(clock.lastBeatAt.getTime() + credited * 1000));
  return credited;
}

export type CountedRun = { moduleSlug: string; caseSlug: string; status: "open" | "finished"; outcome: "best" | "safe" | "unsafe" | null; activeSeconds: number };

/** A learner's runs of a course's cases that count for credit: those started since enrolling (a staff preview played before does not). */
export function countedRuns(userId: string, courseId: string): CountedRun[] {
  return getDb()
    .select({ moduleSlug: caseRuns.moduleSlug, caseSlug: caseRuns.caseSlug, status: caseRuns.status, outcome: caseRuns.outcome, activeSeconds: caseRuns.activeSeconds })
    .from(caseRuns)
    .innerJoin(enrollments, and(eq(enrollments.userId, caseRuns.userId), eq(enrollments.courseId, caseRuns.courseId)))
    .where(and(eq(caseRuns.userId, userId), eq(caseRuns.courseId, courseId), gte(caseRuns.startedAt, enrollments.enrolledAt)))
    .all();
}

/**
 * Time on task in a course's branching cases: each run's seconds credited at
 * its choices (creditCaseChoice). A case credits its best run, and at most the
 * minutes its best path supports (the CE estimate), so replaying or idling in a
 * case never adds time beyond one play-through. Only runs started since the
 * learner enrolled count: staff previewing a case before enrolling earn nothing.
 */
export function caseSeconds(userId: string, course: Pick<CourseEntry, "id" | "modules">, runs: CountedRun[] = countedRuns(userId, course.id)): number {
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
