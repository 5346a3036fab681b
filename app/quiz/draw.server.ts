import type { QuizBank } from "#app/content/load.server.ts";
import type { AttemptQuestion } from "#app/db/schema.ts";
import { seededRandom, shuffle } from "./random.ts";

export { seededRandom } from "./random.ts";

/**
 * Draws the questions of an attempt: `draw` questions from the bank, those the
 * learner has never been shown first, then those seen longest ago, in shuffled
 * order with shuffled options. `history` holds the question ids of earlier
 * attempts, newest first. The result is a full snapshot (keys included, stored
 * server-side).
 */
export function drawQuestions(bank: QuizBank, seed: number, history: ReadonlyArray<readonly string[]> = []): AttemptQuestion[] {
  const random = seededRandom(seed);
  const count = Math.min(bank.draw ?? bank.questions.length, bank.questions.length);
  // How recently each question was shown: 0 = the last attempt; never shown = history.length.
  const lastShown = new Map<string, number>();
  history.forEach((ids, age) => ids.forEach((id) => lastShown.has(id) || lastShown.set(id, age)));
  const recency = (id: string) => lastShown.get(id) ?? history.length;
  // Shuffle first, then a stable sort by recency: ties stay in random order.
  const ordered = shuffle(bank.questions, random).sort((a, b) => recency(b.id) - recency(a.id));
  const chosen = shuffle(ordered.slice(0, count), random);
  return chosen.map((q): AttemptQuestion => {
    const common = { id: q.id, prompt: q.prompt, explanation: q.explanation, source: q.source, lesson: q.lesson, objective: q.objective };
    if (q.type === "true-false") {
      return {
        ...common,
        type: q.type,
        options: [
          { id: "true", text: "True" },
          { id: "false", text: "False" },
        ],
        answer: [String(q.answer)],
        partialCredit: false,
      };
    }
    return {
      ...common,
      type: q.type,
      options: shuffle(q.options, random).map((o) => ({ id: o.id, text: o.text })),
      answer: q.answer,
      partialCredit: q.type === "multiple" ? q.partialCredit : false,
    };
  });
}

/** What the browser may see of an open attempt: no keys, no feedback. */
export function publicQuestions(questions: AttemptQuestion[]) {
  return questions.map((q) => ({ id: q.id, type: q.type, prompt: q.prompt, options: q.options }));
}
