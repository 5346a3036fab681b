import type { QuizBank } from "#app/content/load.server.ts";
import type { AttemptQuestion } from "#app/db/schema.ts";

/** mulberry32: a small seeded PRNG, so an attempt can be re-drawn from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Draws the questions of an attempt: `draw` questions from the bank, preferring
 * ones the previous attempt did not show, in shuffled order with shuffled
 * options. The result is a full snapshot (keys included, stored server-side).
 */
export function drawQuestions(bank: QuizBank, seed: number, previousIds: readonly string[] = []): AttemptQuestion[] {
  const random = seededRandom(seed);
  const count = Math.min(bank.draw ?? bank.questions.length, bank.questions.length);
  const fresh = shuffle(bank.questions.filter((q) => !previousIds.includes(q.id)), random);
  const seen = shuffle(bank.questions.filter((q) => previousIds.includes(q.id)), random);
  const chosen = shuffle([...fresh, ...seen].slice(0, count), random);
  return chosen.map((q): AttemptQuestion => {
    if (q.type === "true-false") {
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        options: [
          { id: "true", text: "True" },
          { id: "false", text: "False" },
        ],
        answer: [String(q.answer)],
        partialCredit: false,
        explanation: q.explanation,
        source: q.source,
      };
    }
    return {
      id: q.id,
      type: q.type,
      prompt: q.prompt,
      options: shuffle(q.options, random).map((o) => ({ id: o.id, text: o.text })),
      answer: q.answer,
      partialCredit: q.type === "multiple" ? q.partialCredit : false,
      explanation: q.explanation,
      source: q.source,
    };
  });
}

/** What the browser may see of an open attempt: no keys, no feedback. */
export function publicQuestions(questions: AttemptQuestion[]) {
  return questions.map((q) => ({ id: q.id, type: q.type, prompt: q.prompt, options: q.options }));
}
