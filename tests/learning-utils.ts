import { findCourse } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { attestAndComplete, submitEvaluation } from "#app/progress/completion.server.ts";
import { markLessonComplete, recordHeartbeat, recordLessonView } from "#app/progress/lessons.server.ts";
import { startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";

/** A clock the test moves by hand, so time on task is controlled and tests take milliseconds. */
export type TestClock = { now(): Date; advance(seconds: number): Date };

export function testClock(start: Date = new Date(Date.now() - 24 * 3_600_000)): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (seconds) => new Date((t += seconds * 1000)),
  };
}

/**
 * The learner reads a lesson as the page records it: a view, then a heartbeat
 * every 30 s (the default interval) until `seconds` (by default the lesson's
 * minimum) are credited. Returns the seconds credited.
 */
export async function readLesson(userId: string, course: CourseEntry, moduleSlug: string, lessonSlug: string, clock: TestClock, seconds?: number): Promise<number> {
  const lesson = course.modules.find((m) => m.slug === moduleSlug)?.lessons.find((l) => l.slug === lessonSlug);
  if (!lesson) throw new Error(`no lesson ${moduleSlug}/${lessonSlug}`);
  const target = seconds ?? lesson.minimumSeconds;
  await recordLessonView(userId, course, moduleSlug, lessonSlug, clock.now());
  let credited = 0;
  while (credited < target) {
    const beat = await recordHeartbeat(userId, course, moduleSlug, lessonSlug, clock.advance(30));
    if (!beat.ok) throw new Error(`heartbeat refused for ${moduleSlug}/${lessonSlug}`);
    credited += beat.credited;
  }
  return credited;
}

/** Reads every published lesson of a module for its minimum time and marks it complete. */
export async function completeModuleLessons(userId: string, course: CourseEntry, moduleSlug: string, clock: TestClock): Promise<void> {
  const module = course.modules.find((m) => m.slug === moduleSlug)!;
  for (const l of module.lessons.filter((x) => !x.draft)) {
    await readLesson(userId, course, module.slug, l.slug, clock);
    const marked = await markLessonComplete(userId, course, module.slug, l.slug, l.hash, clock.now());
    if (!marked.ok) throw new Error(marked.message);
  }
}

/**
 * Takes a learner through the whole fixture course (lessons read for their
 * minimum time, quizzes, evaluation), optionally attesting. The clock starts six
 * hours before `now` (default: the present) unless given; attestation happens at
 * `now` when given.
 */
export async function completeFixtureCourse(
  userId: string,
  { attest = true, ip = "203.0.113.5", now, clock = testClock(new Date((now?.getTime() ?? Date.now()) - 6 * 3_600_000)), courseId = "fixture-course" }: { attest?: boolean; ip?: string; now?: Date; clock?: TestClock; courseId?: string } = {},
) {
  const course = (await findCourse(courseId))!;
  for (const m of course.modules) {
    await completeModuleLessons(userId, course, m.slug, clock);
    if (!m.quiz) continue; // tested by a later module's post-test
    const s = await startAttempt(userId, course, m.slug, clock.advance(60));
    if (!s.ok) throw new Error(s.message);
    await submitAttempt(userId, s.attempt.id, Object.fromEntries(s.attempt.questions.map((q) => [q.id, q.answer])), clock.advance(120));
  }
  const form = new FormData();
  for (const [k, v] of Object.entries({ learned: "5", useful: "4" })) form.set(k, v);
  for (const o of course.objectives) form.set(`objective:${o.id}`, "5");
  const evaluated = await submitEvaluation(userId, course, form, clock.advance(60));
  if (!evaluated.ok) throw new Error(JSON.stringify(evaluated));
  if (attest) {
    const done = await attestAndComplete(userId, course, { confirmed: true, ip, userAgent: "test" }, now ?? clock.advance(60));
    if (!done.ok) throw new Error(done.message);
  }
  return course;
}
