import { and, eq, sql } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { prepared } from "#app/db/prepared.server.ts";
import { lessonProgress, quizAttempts, type Enrollment } from "#app/db/schema.ts";
import { ensureEnrollment, getEnrollment, lessonKey, requirementsOf } from "./enrollment.server.ts";

/** Heartbeats come every 30 s; a longer gap means the learner left, and is not counted. */
export const HEARTBEAT_SECONDS = 30;
const MAX_CREDIT_PER_BEAT = 45;

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
 * racing it turns into an update). Returns the enrollment, for callers that go
 * on to read progress.
 */
export async function recordLessonView(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, now: Date = new Date()): Promise<Readonly<Enrollment>> {
  const enrollment = await ensureEnrollment(userId, course, now);
  const key = lessonKey(moduleSlug, lessonSlug);
  if (touchView().run({ userId, courseId: course.id, lessonKey: key, nowMs: now.getTime() }).changes === 0) {
    upsertView().run({ id: createId(), userId, courseId: course.id, lessonKey: key, now });
  }
  return enrollment;
}

/**
 * Credits active time. The page sends a beat every 30 s while it is visible and
 * the learner has been active in the last 10 minutes; each beat credits the time
 * since the previous one, at most 45 s, so a missed or forged beat gains nothing.
 */
export async function recordHeartbeat(userId: string, courseId: string, key: string, now: Date = new Date()): Promise<{ ok: boolean; activeSeconds: number }> {
  const row = progressRow().get({ userId, courseId, lessonKey: key });
  if (!row) return { ok: false, activeSeconds: 0 };
  const gap = Math.floor((now.getTime() - row.lastSeenAt.getTime()) / 1000);
  const credit = gap > 0 && gap <= MAX_CREDIT_PER_BEAT ? gap : 0;
  creditTime().run({ nowMs: now.getTime(), credit, id: row.id });
  return { ok: true, activeSeconds: row.activeSeconds + credit };
}

/** Marks a lesson complete once (a repeat keeps the first completion), with its content version. */
export async function markLessonComplete(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, hash: string, now: Date = new Date()) {
  await recordLessonView(userId, course, moduleSlug, lessonSlug, now);
  getDb()
    .update(lessonProgress)
    .set({ completedAt: now, completedHash: hash })
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.courseId, course.id), eq(lessonProgress.lessonKey, lessonKey(moduleSlug, lessonSlug)), sql`${lessonProgress.completedAt} is null`))
    .run();
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
  activeSeconds: number;
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
  for (const r of rows) {
    activeSeconds += r.activeSeconds;
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
  };
}
