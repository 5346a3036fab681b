import { findCourse } from "#app/content/catalog.server.ts";
import { attestAndComplete, submitEvaluation } from "#app/progress/completion.server.ts";
import { markLessonComplete } from "#app/progress/lessons.server.ts";
import { startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";

/** Takes a learner through the whole fixture course (lessons, quizzes, evaluation), optionally attesting. */
export async function completeFixtureCourse(userId: string, { attest = true, ip = "203.0.113.5", now }: { attest?: boolean; ip?: string; now?: Date } = {}) {
  const course = (await findCourse("fixture-course"))!;
  for (const m of course.modules) {
    for (const l of m.lessons.filter((x) => !x.draft)) await markLessonComplete(userId, course, m.slug, l.slug, l.hash);
    const s = await startAttempt(userId, course, m.slug);
    if (!s.ok) throw new Error(s.message);
    await submitAttempt(userId, s.attempt.id, Object.fromEntries(s.attempt.questions.map((q) => [q.id, q.answer])));
  }
  const form = new FormData();
  for (const [k, v] of Object.entries({ learned: "5", useful: "4" })) form.set(k, v);
  for (const o of course.objectives) form.set(`objective:${o.id}`, "5");
  const evaluated = await submitEvaluation(userId, course, form);
  if (!evaluated.ok) throw new Error(JSON.stringify(evaluated));
  if (attest) {
    const done = await attestAndComplete(userId, course, { confirmed: true, ip, userAgent: "test" }, now);
    if (!done.ok) throw new Error(done.message);
  }
  return course;
}
