import { describe, expect, test } from "vitest";
import { estimateCase } from "#app/cases/content.server.ts";
import { bestPath, checkCaseGraph } from "#app/cases/graph.ts";
import { caseSchema, type CaseYaml } from "#app/cases/schema.ts";

const refs = new Set(["known"]);

/** A small valid case: start -> (best) middle -> (best) end, with an unsafe branch that still ends. */
function sample(): CaseYaml {
  return caseSchema.parse({
    title: "Sample",
    minutes: 3,
    start: "start",
    references: ["known"],
    scenes: [
      { id: "start", narrative: "One two three four.", choices: [
        { id: "good", text: "Good move", to: "middle", rating: "best", feedback: "Yes.", source: "known" },
        { id: "bad", text: "Bad move", to: "harm", rating: "unsafe", feedback: "No: here is why." },
      ] },
      { id: "middle", narrative: "Five six.", choices: [{ id: "finish", text: "Finish", to: "end", rating: "best" }] },
      { id: "harm", narrative: "Harm.", choices: [{ id: "repair", text: "Repair", to: "end", rating: "acceptable" }] },
      { id: "end", narrative: "The end.", ending: true },
    ],
  });
}

const messages = (c: CaseYaml) => checkCaseGraph(c, refs).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("case graph checks", () => {
  test("a sound case passes, and its best path is the shortest run of best choices", () => {
    expect(messages(sample())).toEqual([]);
    expect(bestPath(sample())).toEqual([{ sceneId: "start", choiceId: "good" }, { sceneId: "middle", choiceId: "finish" }]);
  });

  test("an unknown target, and the scene it leaves unreachable", () => {
    const c = sample();
    c.scenes[0]!.choices[0]!.to = "midle";
    expect(messages(c)).toEqual([
      'scenes.0.choices.0.to: scenes[0].choices[0].to: "midle" is not a scene of this case',
      'scenes.1.id: scenes[1] ("middle"): no path from the start reaches this scene',
      'start: start: no path of "best" choices leads from "start" to an ending; mark the best choice in each scene along one complete path',
    ]);
  });

  test("a scene that is neither an ending nor has choices stops the path", () => {
    const c = sample();
    c.scenes[3]!.ending = false;
    expect(messages(c)).toContain('scenes.3.id: scenes[3] ("end"): the path stops here with no ending; give the scene choices, or mark it "ending: true"');
    // The scenes leading only there are not also reported as loops: the dead end explains them.
    expect(messages(c).filter((m) => m.includes("loop"))).toEqual([]);
  });

  test("a loop with no way out is reported on each of its scenes", () => {
    const c = sample();
    c.scenes[2]!.choices[0]!.to = "harm";
    expect(messages(c)).toEqual(['scenes.2.id: scenes[2] ("harm"): no ending can be reached from here (a loop with no way out through: harm)']);
  });

  test("no best path; an unsafe choice without feedback; an ending with choices", () => {
    const c = sample();
    c.scenes[1]!.choices[0]!.rating = "acceptable";
    delete c.scenes[0]!.choices[1]!.feedback;
    c.scenes[3]!.choices = [{ id: "again", text: "Again", to: "start", rating: "best" }];
    expect(messages(c)).toEqual([
      'scenes.0.choices.1.rating: scenes[0].choices[1] ("bad"): an unsafe choice needs feedback saying why, and what to do instead',
      'scenes.3.choices: scenes[3] ("end"): an ending has no choices; remove them or drop "ending: true"',
      'start: start: no path of "best" choices leads from "start" to an ending; mark the best choice in each scene along one complete path',
    ]);
  });

  test("duplicate ids, unknown references and an unknown start", () => {
    const c = sample();
    c.scenes[2]!.id = "middle";
    c.scenes[0]!.choices[1]!.id = "good";
    c.scenes[0]!.choices[0]!.source = "unknown";
    c.references = ["known", "missing"];
    c.start = "begin";
    expect(messages(c)).toEqual([
      'scenes.0.choices.0.source: scenes[0].choices[0].source: "unknown" is not a reference id in course.yaml or module.yaml',
      'scenes.0.choices.1.id: scenes[0].choices[1].id: duplicate choice id "good" in scene "start"',
      'scenes.2.id: scenes[2].id: duplicate scene id "middle"',
      'references.1: references: "missing" is not defined in course.yaml or any module.yaml references',
      // Renaming "harm" leaves the choice that led there pointing at nothing.
      'scenes.0.choices.1.to: scenes[0].choices[1].to: "harm" is not a scene of this case',
      "start: start: \"begin\" is not a scene of this case (scenes: start, middle, end)",
    ]);
  });

  test("the CE estimate reads the best path only, plus a minute per decision", () => {
    // Best path: start (4 words + choice texts "Good move" 2 + "Bad move" 2 + feedback "Yes." 1), middle (2 + 1 + 0), end (2) = 14 words.
    expect(estimateCase(sample(), 200)).toBe(Math.round((14 / 200 + 2) * 10) / 10);
  });
});
