import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { KnowledgeCheck } from "#app/components/mdx/knowledge-check.tsx";
import { LessonProvider } from "#app/components/mdx/lesson-context.tsx";

const OPTIONS = ["Alpha option", "Bravo option", "Charlie option", "Delta option", "Echo option"];

/** The option texts in the order a learner with this seed sees them (server render, as the page is). */
function orderFor(seed: string | undefined, uid = "lesson-check-1"): string[] {
  const check = createElement(KnowledgeCheck, { question: "Which one?", options: OPTIONS, answer: 2, explanation: "Because.", uid });
  const html = renderToString(
    createElement(LessonProvider, { value: { courseId: "c", moduleSlug: "m", lessonSlug: "l", references: [], reflections: {}, canSave: true, shuffleSeed: seed } }, check),
  );
  return [...html.matchAll(/<input[^>]*value="(\d)"[^>]*\/?>\s*(?:<!-- -->)?\s*([A-Za-z]+ option)/g)].map((m) => m[2]!);
}

describe("knowledge checks", () => {
  test("options are shuffled per learner, the same on every render for that learner", () => {
    const first = orderFor("learner-a");
    expect([...first].sort()).toEqual([...OPTIONS].sort());
    expect(orderFor("learner-a")).toEqual(first);
    // Over many learners the keyed option lands in every position.
    const positions = new Set(Array.from({ length: 40 }, (_, i) => orderFor(`learner-${i}`).indexOf("Charlie option")));
    expect([...positions].sort()).toEqual([0, 1, 2, 3, 4]);
    // Two checks in one lesson are shuffled independently.
    expect(Array.from({ length: 10 }, (_, i) => orderFor(`learner-${i}`, "lesson-check-2").join()).some((o, i) => o !== orderFor(`learner-${i}`).join())).toBe(true);
  });

  test("without a learner (an author's preview) the authored order is kept", () => {
    expect(orderFor(undefined)).toEqual(OPTIONS);
  });
});
