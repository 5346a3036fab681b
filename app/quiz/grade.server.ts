import type { AttemptQuestion, AttemptResult } from "#app/db/schema.ts";

/**
 * Grades answers against the attempt's own snapshot. Single choice and
 * true/false: 1 point when right. Multiple choice: all-or-nothing, or with
 * partialCredit (right picks minus wrong picks) / number of right options, at least 0.
 */
export function gradeAnswers(questions: AttemptQuestion[], answers: Record<string, string[]>, passMark: number) {
  const results: AttemptResult[] = questions.map((q) => {
    const chosen = [...new Set(answers[q.id] ?? [])];
    const key = new Set(q.answer);
    const exact = chosen.length === key.size && chosen.every((c) => key.has(c));
    let points = exact ? 1 : 0;
    if (!exact && q.type === "multiple" && q.partialCredit) {
      const right = chosen.filter((c) => key.has(c)).length;
      const wrong = chosen.length - right;
      points = Math.max(0, (right - wrong) / key.size);
    }
    return { questionId: q.id, chosen, correct: exact, points: Math.round(points * 1000) / 1000 };
  });
  const points = results.reduce((s, r) => s + r.points, 0);
  const maxPoints = questions.length;
  const score = maxPoints ? points / maxPoints : 0;
  // A small epsilon so 4/5 = 0.8 passes a 0.8 mark despite floating point.
  return { results, points, maxPoints, score, passed: score + 1e-9 >= passMark };
}
