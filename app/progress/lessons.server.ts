import { and, eq, sql } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { prepared } from "#app/db/prepared.server.ts";
import { lessonProgress, quizAttempts, type Enrollment } from "#app/db/schema.ts";
import { getEnv } from "#app/env.server.ts";
import { countHeartbeat } from "#app/http/metrics.server.ts";
import { clockOf, setClock } from "./clock.server.ts";
import { ensureEnrollment, getEnrollment, lessonKey, requirementsOf } from "./enrollment.server.ts";

/** Beats credit at most the interval plus a grace: half of it, at least 5 s (a late timer, a slow network). */
export function creditCapSeconds(heartbeatSeconds: number = getEnv().HEARTBEAT_SECONDS): number {
  return heartbeatSeconds + Math.max(5, Math.ceil(heartbeatSeconds / 2));
}

/** Credited time against the lesson's minimum, as the lesson page shows it. */
export type LessonTime = { activeSeconds: number; minimumSeconds: number; remainingSeconds: number; canComplete: boolean };

export function lessonTime(activeSeconds: number, minimumSeconds: number): LessonTime {
  const remainingSeconds = Math.max(0, minimumSeconds - activeSeconds);
  return { activeSeconds, minimumSeconds, remainingSeconds, canComplete: remainingSeconds === 0 };
}

function findLessonIn(course: CourseEntry, moduleSlug: string, lessonSlug: string) {
  return course.modules.find((m) => m.slug === moduleSlug)?.lessons.find((l) => l.slug === lessonSlug) ?? null;
}

// Each lesson view and heartbeat runs these; they are prepared once (see prepared.server.ts).
// In `set`, placeholders are raw SQL values, so timestamps go in as milliseconds.
const byLearner = (key: string) => and(eq(lessonProgress.userId, sql.placeholder("userId")), eq(lessonProgress.courseId, sql.placeholder("courseId")), eq(lessonProgress.lessonKey, sql.placeholder(key)));
const upsertView = prepared((db) =>
  db
    .insert(lessonProgress)
    .values({
      id: sql.placeholder("id"),
      userId: sql.placeholder("userId"),
      courseId: sql.placeholder("courseId"),
      lessonKey: sql.placeholder("lessonKey"),
      firstSeenAt: sql.placeholder("now"),
      lastSeenAt: sql.placeholder("now"),
    })
    .onConflictDoUpdate({ target: [lessonProgress.userId, lessonProgress.courseId, lessonProgress.lessonKey], set: { lastSeenAt: sql`excluded.last_seen_at` } })
    .prepare(),
);
const touchView = prepared((db) => db.update(lessonProgress).set({ lastSeenAt: sql`${sql.placeholder("nowMs")}` }).where(byLearner("lessonKey")).prepare());
const progressRow = prepared((db) => db.select().from(lessonProgress).where(byLearner("lessonKey")).prepare());
const creditTime = prepared((db) =>
  db
    .update(lessonProgress)
    .set({ lastSeenAt: sql`${sql.placeholder("nowMs")}`, activeSeconds: sql`${lessonProgress.activeSeconds} + ${sql.placeholder("credit")}` })
    .where(eq(lessonProgress.id, sql.placeholder("id")))
    .prepare(),
);
const progressRows = prepared((db) =>
  db
    .select({ lessonKey: lessonProgress.lessonKey, lastSeenAt: lessonProgress.lastSeenAt, activeSeconds: lessonProgress.activeSeconds, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, sql.placeholder("userId")), eq(lessonProgress.courseId, sql.placeholder("courseId"))))
    .prepare(),
);
const passedModules = prepared((db) =>
  db
    .selectDistinct({ moduleSlug: quizAttempts.moduleSlug })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, sql.placeholder("userId")), eq(quizAttempts.courseId, sql.placeholder("courseId")), eq(quizAttempts.passed, true)))
    .prepare(),
);

/**
 * Records that the learner opened a lesson, enrolling them on first use. The
 * resume point is the lesson seen last (see getCourseProgress), so a view is
 * one statement: an update, or on the first view an insert (which an update
 * racing it turns into an update). A view starts the learner's time-on-task
 * clock when it has stopped (no beat within the cap); while another page is
 * beating, it leaves the clock alone. Returns the enrollment, for callers that
 * go on to read progress.
 */
export async function recordLessonView(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, now: Date = new Date()): Promise<Readonly<Enrollment>> {
  const enrollment = await ensureEnrollment(userId, course, now);
  const key = lessonKey(moduleSlug, lessonSlug);
  getDb().transaction(() => {
    if (touchView().run({ userId, courseId: course.id, lessonKey: key, nowMs: now.getTime() }).changes === 0) {
      upsertView().run({ id: createId(), userId, courseId: course.id, lessonKey: key, now });
    }
    const clock = clockOf().get({ userId });
    if (!clock || now.getTime() - clock.lastBeatAt.getTime() > creditCapSeconds() * 1000) setClock().run({ userId, courseId: course.id, lessonKey: key, now });
  });
  return enrollment;
}

/**
 * Credits active time, measured by the server's clock. The page beats every
 * HEARTBEAT_SECONDS while it is visible and the learner active; each beat credits
 * the time since the learner's previous accepted beat from any page (at most the
 * cap; a longer gap means they were away, and earns nothing) to the lesson that
 * sent it. So time is credited to one lesson at a time: four tabs beating for
 * 20 s earn 20 s between them, and an early or forged beat earns only the time
 * that passed. A beat for a lesson not opened (no view) is not accepted.
 */
export async function recordHeartbeat(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, now: Date = new Date()): Promise<({ ok: true; credited: number } & LessonTime) | { ok: false }> {
  const lesson = findLessonIn(course, moduleSlug, lessonSlug);
  const key = lessonKey(moduleSlug, lessonSlug);
  if (!lesson) return { ok: false };
  return getDb().transaction(() => {
    const row = progressRow().get({ userId, courseId: course.id, lessonKey: key });
    if (!row) return { ok: false as const };
    const clock = clockOf().get({ userId });
    const gapMs = clock ? now.getTime() - clock.lastBeatAt.getTime() : null;
    let credited = 0;
    if (gapMs === null || gapMs > creditCapSeconds() * 1000) {
      // No clock, or it stopped (the learner was away): start it now; the gap earns nothing.
      setClock().run({ userId, courseId: course.id, lessonKey: key, now });
    } else if (gapMs >= 1000) {
      // Whole seconds; the clock moves by the seconds credited, so fractions carry over to the next beat.
      credited = Math.floor(gapMs / 1000);
      setClock().run({ userId, courseId: course.id, lessonKey: key, now: new Date(clock!.lastBeatAt.getTime() + credited * 1000) });
    }
    // (Under a second since the last beat: too soon to credit, and the clock stays where it was.)
    creditTime().run({ nowMs: now.getTime(), credit: credited, id: row.id });
    countHeartbeat(credited);
    return { ok: true as const, credited, ...lessonTime(row.activeSeconds + credited, lesson.minimumSeconds) };
  });
}

export type MarkCompleteResult = { ok: true } | ({ ok: false; message: string } & LessonTime);

/** "About 3 more minutes", "About 40 more seconds". */
export function timeStillNeeded(seconds: number): string {
  if (seconds >= 90) return `about ${Math.ceil(seconds / 60)} more minutes`;
  if (seconds >= 60) return "about 1 more minute";
  return `about ${seconds} more second${seconds === 1 ? "" : "s"}`;
}

/**
 * Marks a lesson complete once (a repeat keeps the first completion), with its
 * content version, when the learner's credited time on it has reached the
 * lesson's minimum. Refused otherwise, writing nothing.
 */
export async function markLessonComplete(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, hash: string, now: Date = new Date()): Promise<MarkCompleteResult> {
  const key = lessonKey(moduleSlug, lessonSlug);
  const row = progressRow().get({ userId, courseId: course.id, lessonKey: key });
  if (row?.completedAt) return { ok: true };
  const time = lessonTime(row?.activeSeconds ?? 0, findLessonIn(course, moduleSlug, lessonSlug)?.minimumSeconds ?? 0);
  if (!time.canComplete) {
    return { ok: false, message: `This lesson can be marked complete after ${timeStillNeeded(time.remainingSeconds)} of reading time. Time is counted while the lesson is open and you are active on it.`, ...time };
  }
  await recordLessonView(userId, course, moduleSlug, lessonSlug, now);
  getDb()
    .update(lessonProgress)
    .set({ completedAt: now, completedHash: hash })
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.courseId, course.id), eq(lessonProgress.lessonKey, key), sql`${lessonProgress.completedAt} is null`))
    .run();
  return { ok: true };
}

export type ModuleProgress = {
  slug: string;
  title: string;
  lessonsDone: number;
  lessonsTotal: number;
  quizRequired: boolean;
  quizPassed: boolean;
  percent: number;
};

export type CourseProgress = {
  enrolled: boolean;
  percent: number;
  modules: ModuleProgress[];
  completedLessons: Set<string>;
  passedQuizzes: Set<string>;
  lastLessonKey: string | null;
  /** The course changed since enrollment (the learner's requirements stay as they were). */
  courseChanged: boolean;
  /** Credited active time in the course, and per lesson key. */
  activeSeconds: number;
  lessonSeconds: Map<string, number>;
};

/** What counts for completion, grouped by module: worked out once per enrollment (or course). */
type Plan = {
  modules: Array<{ slug: string; title: string; lessonsTotal: number; quizRequired: boolean }>;
  /** Required lesson key -> index in `modules`. */
  moduleOf: Map<string, number>;
  quizModules: readonly string[];
  steps: number;
};

// Kept enrollments are shared objects (see getEnrollment), so their plans are kept beside them.
const plans = new WeakMap<CourseEntry, WeakMap<object, Plan>>();

function planFor(course: CourseEntry, enrollment: Readonly<Enrollment> | null): Plan {
  let byEnrollment = plans.get(course);
  if (!byEnrollment) plans.set(course, (byEnrollment = new WeakMap()));
  const found = byEnrollment.get(enrollment ?? course);
  if (found) return found;
  const { lessonKeys, quizModules } = enrollment ?? requirementsOf(course);
  // Modules in course order, then any that only the pinned requirements still name.
  const slugs = [...new Set([...course.modules.map((m) => m.slug), ...lessonKeys.map((k) => k.split("/")[0]!)])];
  const all = slugs.map((slug) => ({
    slug,
    title: course.modules.find((m) => m.slug === slug)?.title ?? slug,
    lessonsTotal: lessonKeys.filter((k) => k.startsWith(`${slug}/`)).length,
    quizRequired: quizModules.includes(slug),
  }));
  const modules = all.filter((m) => m.lessonsTotal || m.quizRequired);
  const index = new Map(modules.map((m, i) => [m.slug, i]));
  const plan: Plan = {
    modules,
    moduleOf: new Map(lessonKeys.map((k) => [k, index.get(k.split("/")[0]!)!])),
    quizModules,
    steps: lessonKeys.length + quizModules.length,
  };
  byEnrollment.set(enrollment ?? course, plan);
  return plan;
}

/**
 * Progress against the requirements pinned at enrollment: never above 100%,
 * never lowered because lessons were added later. Steps are lessons plus quizzes.
 */
export async function getCourseProgress(userId: string, course: CourseEntry, known?: Readonly<Enrollment>): Promise<CourseProgress> {
  const enrollment = known ?? (await getEnrollment(userId, course.id));
  const plan = planFor(course, enrollment);
  const rows = progressRows().all({ userId, courseId: course.id });
  const passedQuizzes = new Set(passedModules().all({ userId, courseId: course.id }).map((p) => p.moduleSlug));
  const completedLessons = new Set<string>();
  const lessonsDone = plan.modules.map(() => 0);
  let last: (typeof rows)[number] | null = null;
  let activeSeconds = 0;
  const lessonSeconds = new Map<string, number>();
  for (const r of rows) {
    activeSeconds += r.activeSeconds;
    lessonSeconds.set(r.lessonKey, r.activeSeconds);
    // Views and heartbeats both move last_seen_at: the learner resumes where they last were.
    if (!last || r.lastSeenAt > last.lastSeenAt) last = r;
    if (!r.completedAt) continue;
    completedLessons.add(r.lessonKey);
    const m = plan.moduleOf.get(r.lessonKey);
    if (m !== undefined) lessonsDone[m]!++;
  }
  const modules = plan.modules.map((m, i) => {
    const quizPassed = passedQuizzes.has(m.slug);
    const steps = m.lessonsTotal + (m.quizRequired ? 1 : 0);
    const stepsDone = lessonsDone[i]! + (m.quizRequired && quizPassed ? 1 : 0);
    // Fields spelled out: `{ ...m, more }` cost V8 about 2 µs an object here, 100 times this.
    const { slug, title, lessonsTotal, quizRequired } = m;
    return { slug, title, lessonsDone: lessonsDone[i]!, lessonsTotal, quizRequired, quizPassed, percent: steps ? Math.min(100, Math.round((stepsDone / steps) * 100)) : 100 };
  });
  const stepsDone = lessonsDone.reduce((a, b) => a + b, 0) + plan.quizModules.filter((m) => passedQuizzes.has(m)).length;
  return {
    enrolled: Boolean(enrollment),
    percent: plan.steps ? Math.min(100, Math.floor((stepsDone / plan.steps) * 100)) : 0,
    modules,
    completedLessons,
    passedQuizzes,
    lastLessonKey: last?.lessonKey ?? null,
    courseChanged: Boolean(enrollment && enrollment.contentVersion !== course.version),
    activeSeconds,
    lessonSeconds,
  };
}
