import { describe, expect, test } from "vitest";
import type { QuizBank } from "#app/content/load.server.ts";
import type { AttemptQuestion } from "#app/db/schema.ts";
import { drawQuestions, publicQuestions, seededRandom } from "#app/quiz/draw.server.ts";
import { gradeAnswers } from "#app/quiz/grade.server.ts";

const bank: QuizBank = {
  courseId: "c",
  moduleSlug: "m",
  hash: "h",
  file: "quiz.yaml",
  draw: 3,
  questions: ["q1", "q2", "q3", "q4", "q5", "q6"].map((id) => ({
    id,
    type: "single" as const,
    prompt: `Prompt ${id}`,
    options: [
      { id: "a", text: "A" },
      { id: "b", text: "B" },
      { id: "c", text: "C" },
    ],
    answer: ["b"],
    explanation: "E",
    source: "s",
    objective: "o",
    lesson: "l",
    waivers: [],
  })),
  waivers: [],
};

describe("drawing an attempt", () => {
  test("the same seed draws the same questions in the same order with the same option order", () => {
    expect(drawQuestions(bank, 42)).toEqual(drawQuestions(bank, 42));
    expect(drawQuestions(bank, 42)).toHaveLength(3);
  });

  test("different seeds shuffle differently", () => {
    const orders = new Set(Array.from({ length: 20 }, (_, i) => drawQuestions(bank, i).map((q) => q.id + q.options.map((o) => o.id).join("")).join(",")));
    expect(orders.size).toBeGreaterThan(5);
  });

  test("a retake avoids the previous attempt's questions when the bank allows", () => {
    for (let seed = 0; seed < 20; seed++) {
      const first = drawQuestions(bank, seed).map((q) => q.id);
      const second = drawQuestions(bank, seed + 1000, [first]).map((q) => q.id);
      expect(second.filter((id) => first.includes(id))).toEqual([]);
    }
  });

  test("retakes draw questions never shown first, then those shown longest ago", () => {
    for (let seed = 0; seed < 20; seed++) {
      const first = drawQuestions(bank, seed).map((q) => q.id);
      const second = drawQuestions(bank, seed + 1000, [first]).map((q) => q.id);
      // Six questions, three per attempt: the third attempt repeats only the first attempt's.
      const third = drawQuestions(bank, seed + 2000, [second, first]).map((q) => q.id);
      expect(third.filter((id) => second.includes(id))).toEqual([]);
      // A bank of 6 with draw 4: after one attempt, the two unseen come first, then two seen.
      const wide = { ...bank, draw: 4 };
      const a = drawQuestions(wide, seed).map((q) => q.id);
      const b = drawQuestions(wide, seed + 1000, [a]).map((q) => q.id);
      expect(bank.questions.map((q) => q.id).filter((id) => !a.includes(id)).every((id) => b.includes(id))).toBe(true);
    }
  });

  test("the public view has no key, explanation or source", () => {
    const text = JSON.stringify(publicQuestions(drawQuestions(bank, 7)));
    expect(text).not.toMatch(/answer|explanation|source/);
  });

  test("the PRNG is uniform enough for shuffling", () => {
    const random = seededRandom(1);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) buckets[Math.floor(random() * 4)]! += 1;
    for (const b of buckets) expect(b).toBeGreaterThan(850);
  });
});

describe("grading", () => {
  const q = (over: Partial<AttemptQuestion>): AttemptQuestion => ({ id: "x", type: "single", prompt: "P", options: [{ id: "a", text: "A" }, { id: "b", text: "B" }, { id: "c", text: "C" }], answer: ["a"], partialCredit: false, explanation: "E", source: "s", ...over });

  test("single choice and true/false: right or wrong", () => {
    const questions = [q({ id: "s" }), q({ id: "t", type: "true-false", options: [{ id: "true", text: "True" }, { id: "false", text: "False" }], answer: ["false"] })];
    const r = gradeAnswers(questions, { s: ["a"], t: ["true"] }, 0.8);
    expect(r.results.map((x) => x.correct)).toEqual([true, false]);
    expect(r).toMatchObject({ points: 1, maxPoints: 2, score: 0.5, passed: false });
  });

  test("multiple choice is all-or-nothing by default", () => {
    const m = q({ id: "m", type: "multiple", answer: ["a", "b"] });
    expect(gradeAnswers([m], { m: ["a"] }, 0.8).points).toBe(0);
    expect(gradeAnswers([m], { m: ["b", "a"] }, 0.8).points).toBe(1);
  });

  test("partial credit: right picks minus wrong picks, never below zero", () => {
    const m = q({ id: "m", type: "multiple", answer: ["a", "b"], partialCredit: true });
    expect(gradeAnswers([m], { m: ["a"] }, 0.8).points).toBe(0.5);
    expect(gradeAnswers([m], { m: ["a", "c"] }, 0.8).points).toBe(0);
    expect(gradeAnswers([m], { m: ["c"] }, 0.8).points).toBe(0);
  });

  test("exactly the pass mark passes (4 of 5 at 80%)", () => {
    const five = ["1", "2", "3", "4", "5"].map((id) => q({ id }));
    const r = gradeAnswers(five, { 1: ["a"], 2: ["a"], 3: ["a"], 4: ["a"], 5: ["b"] }, 0.8);
    expect(r.score).toBeCloseTo(0.8);
    expect(r.passed).toBe(true);
  });
});
