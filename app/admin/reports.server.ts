import { and, eq } from "drizzle-orm";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { completions, enrollments, evaluations, lessonProgress, quizAttempts } from "#app/db/schema.ts";

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Enrollment, the completion funnel, time on lessons, quiz pass rates and evaluation summaries for one course. */
export async function courseReport(course: CourseEntry) {
  const db = getDb();
  const enrolled = db.select().from(enrollments).where(eq(enrollments.courseId, course.id)).all();
  const completed = db.select({ userId: completions.userId }).from(completions).where(eq(completions.courseId, course.id)).all();
  const progress = db.select().from(lessonProgress).where(eq(lessonProgress.courseId, course.id)).all();
  const attempts = db.select().from(quizAttempts).where(and(eq(quizAttempts.courseId, course.id), eq(quizAttempts.status, "submitted"))).all();
  const evals = db.select().from(evaluations).where(eq(evaluations.courseId, course.id)).all();

  const funnel = course.modules.map((m) => {
    const keys = m.lessons.filter((l) => !l.draft).map((l) => `${m.slug}/${l.slug}`);
    const usersDone = new Set(
      enrolled
        .filter((e) => keys.every((k) => progress.some((p) => p.userId === e.userId && p.lessonKey === k && p.completedAt)))
        .map((e) => e.userId),
    );
    const passed = new Set(attempts.filter((a) => a.moduleSlug === m.slug && a.passed).map((a) => a.userId));
    const moduleAttempts = attempts.filter((a) => a.moduleSlug === m.slug);
    return {
      slug: m.slug,
      title: m.title,
      lessonsDone: usersDone.size,
      quizPassed: passed.size,
      attempts: moduleAttempts.length,
      passRate: moduleAttempts.length ? moduleAttempts.filter((a) => a.passed).length / moduleAttempts.length : null,
      lessons: m.lessons
        .filter((l) => !l.draft)
        .map((l) => {
          const rows = progress.filter((p) => p.lessonKey === `${m.slug}/${l.slug}` && p.completedAt);
          return { slug: l.slug, title: l.title, completed: rows.length, medianActiveMinutes: median(rows.map((r) => r.activeSeconds / 60)) };
        }),
    };
  });

  const ratingQuestions = [
    ...(course.evaluation?.questions.filter((q) => q.kind !== "text").map((q) => ({ id: q.id, prompt: q.prompt, kind: q.kind })) ?? []),
    ...course.objectives.map((o) => ({ id: `objective:${o.id}`, prompt: o.text, kind: "objective" as const })),
  ];
  const ratings = ratingQuestions.map((q) => {
    const values = evals.map((e) => e.responses[q.id]).filter((v): v is number => typeof v === "number");
    const counts = [1, 2, 3, 4, 5].map((n) => values.filter((v) => v === n).length);
    return { ...q, responses: values.length, mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, counts };
  });
  const comments = (course.evaluation?.questions.filter((q) => q.kind === "text") ?? []).map((q) => ({
    id: q.id,
    prompt: q.prompt,
    answers: evals.map((e) => e.responses[q.id]).filter((v): v is string => typeof v === "string" && v.length > 0),
  }));

  const completedIds = new Set(completed.map((c) => c.userId));
  return {
    enrolled: enrolled.length,
    completed: completedIds.size,
    inProgress: enrolled.filter((e) => !completedIds.has(e.userId)).length,
    evaluations: evals.length,
    funnel,
    ratings,
    comments,
  };
}

export type ItemStats = {
  questionId: string;
  prompt: string;
  quizVersion: string;
  responses: number;
  /** Facility: share of learners who got the item right (classical p-value). */
  p: number | null;
  /** Point-biserial correlation of the item with the rest of the attempt's score. */
  discrimination: number | null;
  options: Array<{ id: string; text: string; key: boolean; chosen: number }>;
  flags: string[];
};

/**
 * Classical item analysis per question and quiz version, from submitted
 * attempts: facility, point-biserial discrimination (item vs. the rest of the
 * score, so the item does not correlate with itself), and how often each option
 * was chosen. Flags: too easy (p > 0.95), too hard (p < 0.3), negative discrimination.
 */
export async function itemAnalysis(courseId: string, moduleSlug: string): Promise<ItemStats[]> {
  const attempts = getDb()
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.courseId, courseId), eq(quizAttempts.moduleSlug, moduleSlug), eq(quizAttempts.status, "submitted")))
    .all();
  const byItem = new Map<string, { prompt: string; version: string; options: Map<string, { text: string; key: boolean; chosen: number }>; scores: Array<{ item: number; rest: number }> }>();
  for (const a of attempts) {
    const results = a.results ?? [];
    const total = results.reduce((s, r) => s + r.points, 0);
    for (const q of a.questions) {
      const key = `${q.id}@${a.quizVersion}`;
      let entry = byItem.get(key);
      if (!entry) {
        entry = { prompt: q.prompt, version: a.quizVersion, options: new Map(q.options.map((o) => [o.id, { text: o.text, key: q.answer.includes(o.id), chosen: 0 }])), scores: [] };
        byItem.set(key, entry);
      }
      const r = results.find((x) => x.questionId === q.id);
      for (const c of r?.chosen ?? []) {
        const opt = entry.options.get(c);
        if (opt) opt.chosen += 1;
      }
      const item = r?.points ?? 0;
      entry.scores.push({ item, rest: total - item });
    }
  }
  return [...byItem.entries()].map(([key, e]) => {
    const n = e.scores.length;
    const p = n ? e.scores.reduce((s, x) => s + x.item, 0) / n : null;
    let discrimination: number | null = null;
    if (n >= 3) {
      const meanItem = p!;
      const meanRest = e.scores.reduce((s, x) => s + x.rest, 0) / n;
      const cov = e.scores.reduce((s, x) => s + (x.item - meanItem) * (x.rest - meanRest), 0) / n;
      const sdItem = Math.sqrt(e.scores.reduce((s, x) => s + (x.item - meanItem) ** 2, 0) / n);
      const sdRest = Math.sqrt(e.scores.reduce((s, x) => s + (x.rest - meanRest) ** 2, 0) / n);
      discrimination = sdItem > 0 && sdRest > 0 ? cov / (sdItem * sdRest) : null;
    }
    const flags: string[] = [];
    if (p !== null && p > 0.95) flags.push("too easy (p > 0.95)");
    if (p !== null && p < 0.3) flags.push("too hard (p < 0.3)");
    if (discrimination !== null && discrimination < 0) flags.push("negative discrimination");
    return {
      questionId: key.split("@")[0]!,
      prompt: e.prompt,
      quizVersion: e.version,
      responses: n,
      p,
      discrimination,
      options: [...e.options.entries()].map(([id, o]) => ({ id, ...o })),
      flags,
    };
  });
}
