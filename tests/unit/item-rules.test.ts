import { describe, expect, test } from "vitest";
import { checkItemRules, isNearDuplicate, overlapShare, proseSentences, type RuleBank, type RuleCourse, type RuleLesson } from "#app/content/item-rules.server.ts";
import { formatProblem } from "#app/content/problems.ts";
import { quizSchema, type CourseYaml } from "#app/content/schemas.ts";
import { parseYaml } from "#app/content/yaml.server.ts";

/** A bank parsed from YAML as content:check parses it, with its key positions. */
function bank(yaml: string, moduleDir = "01.m"): RuleBank {
  const file = `${moduleDir}/quiz.yaml`;
  const parsed = parseYaml(file, yaml, quizSchema);
  if (!parsed.data) throw new Error(parsed.problems.map(formatProblem).join("\n"));
  return { file, moduleDir, quiz: parsed.data, positionOf: parsed.positionOf };
}

function course(objectives: string[], waivers: CourseYaml["waivers"] = []): RuleCourse {
  return { file: "course.yaml", course: { objectives: objectives.map((id) => ({ id, text: id })), waivers }, positionOf: () => ({ line: 1, col: 1 }) };
}

/** A single-choice item keyed `a` in YAML, with its options' texts in authored order. */
function single(id: string, texts: string[], key = "a", extra = ""): string {
  const options = texts.map((t, i) => `      - { id: ${"abcd"[i]}, text: "${t}" }`).join("\n");
  return `  - id: ${id}\n    type: single\n    prompt: "Question ${id}?"\n    options:\n${options}\n    answer: ${key}\n    explanation: E.\n    source: s\n    objective: o\n    lesson: l\n${extra}`;
}

const messages = (problems: ReturnType<typeof checkItemRules>) => problems.map(formatProblem);
const rule = (problems: ReturnType<typeof checkItemRules>, text: string) => messages(problems).filter((m) => m.includes(text));

describe("near-duplicate: the share of a graded text's words in n-word runs found in a lesson text", () => {
  test("a verbatim copy is flagged", () => {
    const sentence = "Sublingual ketamine reaches the circulation less completely than an intramuscular injection does.";
    expect(overlapShare(sentence, `As lesson 2 showed, ${sentence}`)).toBe(1);
    expect(isNearDuplicate(sentence, `As lesson 2 showed, ${sentence}`)).toBe(true);
  });

  test("a copy with a few words changed is still flagged", () => {
    const check = "Call the medical staff immediately using the agreed signal, stay with Daniel, and tell them what you saw and when";
    const key = "Call the medical staff immediately with the agreed signal, stay with the client, and report what you saw and when.";
    expect(isNearDuplicate(key, check)).toBe(true);
  });

  test("a paraphrase that shares the clinical vocabulary is not flagged", () => {
    const lesson = "Sublingual ketamine reaches the circulation less completely than an intramuscular injection does, so sublingual doses are larger.";
    const key = "Less of a sublingual dose reaches the bloodstream, so prescribers give more ketamine by that route than by intramuscular injection.";
    expect(overlapShare(key, lesson)).toBeLessThan(0.55);
    expect(isNearDuplicate(key, lesson)).toBe(false);
  });

  test("a parallel item that reuses a knowledge check's frame with new facts is not flagged", () => {
    const check = "A client's MADRS, rated by the prescriber, was 30 at baseline and is 14 at the end of a four-week induction. How should the team describe this?";
    const prompt = "A prescriber rates a client's MADRS at 28 before the first dose and at 13 at the end of induction. Using the usual response convention, what is this?";
    expect(isNearDuplicate(prompt, check)).toBe(false);
  });

  test("short texts (6 to 9 words) use 3-word runs and a higher bar: a shared term is not a copy, a copied list entry is", () => {
    expect(isNearDuplicate("Ketamine works as an NMDA receptor antagonist", "Memantine is also an NMDA receptor antagonist, used in dementia.")).toBe(false);
    const label = "A history of intracerebral hemorrhage; hypersensitivity to esketamine, ketamine or any excipient.";
    expect(isNearDuplicate("Hypersensitivity to esketamine, ketamine or an excipient", label)).toBe(true);
  });

  test("texts under 6 words are not compared", () => {
    expect(overlapShare("Refer to the prescriber", "Refer to the prescriber")).toBe(0);
    expect(overlapShare("Refer the client to the prescriber now", "Refer to the prescriber")).toBe(0);
  });
});

describe("lesson prose", () => {
  const source = [
    "---", // 1
    "title: T", // 2
    "minutes: 2", // 3
    "---", // 4
    "", // 5
    "## A heading", // 6
    "", // 7
    'First sentence cites <Cite id="x" />. Second sentence runs', // 8
    "onto the next line. Third sentence.", // 9
    "", // 10
    "<KnowledgeCheck", // 11
    '  question="A question that is not prose at all?"', // 12
    '  options={["One > two", "Three"]}', // 13
    "  answer={0}", // 14
    "/>", // 15
    "", // 16
    "- A list item with a [link](https://example.org/path) in it.", // 17
  ].join("\n");

  test("sentences keep the line they start on; tags, attributes and link targets are left out", () => {
    expect(proseSentences(source).map((s) => [s.line, s.text.replace(/\s+/g, " ").trim()])).toEqual([
      [6, "A heading"],
      [8, "First sentence cites ."],
      [8, "Second sentence runs onto the next line."],
      [9, "Third sentence."],
      [17, "A list item with a link in it."],
    ]);
  });
});

describe("item rules", () => {
  const lesson: RuleLesson = {
    file: "01.m/01.l.mdx",
    source: "---\ntitle: T\nminutes: 1\n---\n\nThe monitoring period lasts at least two hours after every esketamine dose in the clinic.\n",
    checks: [{ line: 9, col: 1, question: "What should the therapist do first when the client asks about a dose?", options: ["Refer the client to the prescriber for a medical evaluation", "Suggest a dose"], answer: 0 }],
  };

  test("a keyed option copying a knowledge check's right option is reported at its line, naming the lesson's file and line", () => {
    const b = bank(`questions:\n${single("q1", ["Refer the client to the prescriber for a medical evaluation.", "Suggest a dose", "Wait", "Nothing"])}`);
    expect(rule(checkItemRules(course(["o"]), [b], [lesson]), "nearly copies")).toEqual([
      `01.m/quiz.yaml:6:18: questions[0] ("q1") keyed option a: nearly copies the knowledge check's right option at 01.m/01.l.mdx:9 (100% of its words are in 4-word runs found there); a graded item should test understanding, not recognition of the lesson's wording`,
    ]);
  });

  test("a true/false statement copying a lesson sentence is reported at its prompt", () => {
    const b = bank(`questions:\n  - id: t\n    type: true-false\n    prompt: The monitoring period lasts at least two hours after every esketamine dose.\n    answer: true\n    explanation: E.\n    source: s\n    objective: o\n    lesson: l\n`);
    expect(rule(checkItemRules(course(["o"]), [b], [lesson]), "nearly copies")).toEqual([
      `01.m/quiz.yaml:4:5: questions[0] ("t") prompt: nearly copies the lesson's sentence at 01.m/01.l.mdx:6 (100% of its words are in 4-word runs found there); a graded item should test understanding, not recognition of the lesson's wording`,
    ]);
  });

  test("a waived item is not reported; a bank's waiver covers every item", () => {
    const waiver = "    waivers:\n      - rule: near-duplicate\n        reason: the item quotes the label's wording on purpose\n";
    const itemWaived = bank(`questions:\n${single("q1", ["Refer the client to the prescriber for a medical evaluation.", "B", "C", "D"], "a", waiver)}`);
    expect(rule(checkItemRules(course(["o"]), [itemWaived], [lesson]), "nearly copies")).toEqual([]);
    const bankWaived = bank(`questions:\n${single("q1", ["Refer the client to the prescriber for a medical evaluation.", "B", "C", "D"])}waivers:\n  - rule: near-duplicate\n    reason: this bank quotes the label's wording on purpose\n`);
    expect(rule(checkItemRules(course(["o"]), [bankWaived], [lesson]), "nearly copies")).toEqual([]);
  });

  test("items waiving longest-key do not count toward the share", () => {
    const longest = ["The key, clearly longest", "B", "C", "D"];
    const even = ["Same", "Four", "Five", "Nine"];
    const waiver = "    waivers:\n      - rule: longest-key\n        reason: the key names a drug and its dose, which takes more words\n";
    const items = (w: string) => [single("q1", longest, "a", w), single("q2", longest, "b"), single("q3", even, "c"), single("q4", longest, "a")].join("");
    // q1 and q4 keyed longest: 2 of 4 (50%).
    expect(rule(checkItemRules(course(["o"]), [bank(`questions:\n${items("")}`)], []), "single longest")).toEqual([
      "01.m/quiz.yaml:1:1: questions: the keyed option is the single longest in 2 of 4 single-choice items (more than 40%): q1, q4; make distractors as long and specific as the key",
    ]);
    // q1 waived: 1 of 3 (33%).
    expect(rule(checkItemRules(course(["o"]), [bank(`questions:\n${items(waiver)}`)], []), "single longest")).toEqual([]);
  });

  test("key-position counts keys by authored position; fewer than 3 single-choice items are not judged", () => {
    const opts = ["W", "X", "Y", "Z"];
    const three = bank(`questions:\n${single("q1", opts, "b")}${single("q2", opts, "b")}${single("q3", opts, "c")}`);
    expect(rule(checkItemRules(course(["o"]), [three], []), "the key is option")).toEqual([
      "01.m/quiz.yaml:1:1: questions: the key is option 2 (in authored order) in 2 of 3 single-choice items (more than 40%): q1, q2; vary where the key sits",
    ]);
    const two = bank(`questions:\n${single("q1", opts, "b")}${single("q2", opts, "b")}`);
    expect(rule(checkItemRules(course(["o"]), [two], []), "the key is option")).toEqual([]);
  });

  test("all true/false keys the same across banks is a course-wide error, waivable in course.yaml", () => {
    const tf = (id: string) => `questions:\n  - id: ${id}\n    type: true-false\n    prompt: Statement ${id}.\n    answer: false\n    explanation: E.\n    source: s\n    objective: o\n    lesson: l\n`;
    const banks = [bank(tf("t1"), "01.a"), bank(tf("t2"), "02.b")];
    expect(rule(checkItemRules(course(["o"]), banks, []), "true/false")).toEqual([
      "course.yaml:1:1: all 2 true/false items in the course are keyed false (01.a/quiz.yaml: t1; 02.b/quiz.yaml: t2); key some of them true",
    ]);
    expect(rule(checkItemRules(course(["o"], [{ rule: "true-false-keys", reason: "both statements are myths the course corrects" }]), banks, []), "true/false")).toEqual([]);
  });

  test("objective coverage counts graded items across the course; course.yaml may waive it", () => {
    const b = bank(`questions:\n${single("q1", ["A", "B"])}`);
    expect(rule(checkItemRules(course(["o", "p"]), [b], []), "objectives[")).toEqual([
      'course.yaml:1:1: objectives[0] ("o"): tested by 1 graded item (01.m/quiz.yaml: q1); each objective needs at least 3',
      'course.yaml:1:1: objectives[1] ("p"): tested by 0 graded items; each objective needs at least 3',
    ]);
    expect(rule(checkItemRules(course(["o", "p"], [{ rule: "objective-coverage", reason: "a short pilot course, reviewed before release" }]), [b], []), "objectives[")).toEqual([]);
  });

  test("a waiver where no rule reads it is a warning", () => {
    const b = bank(`questions:\n${single("q1", ["A", "B"], "a", "    waivers:\n      - rule: bank-size\n        reason: an item cannot waive the bank's size\n")}`);
    const problems = checkItemRules(course(["o"], [{ rule: "longest-key", reason: "course.yaml cannot waive a bank rule" }]), [b], []);
    expect(problems.filter((p) => p.severity === "warning").map(formatProblem)).toEqual([
      "course.yaml:1:1: warning: waivers[0]: longest-key is a rule for banks and items; waive it in the quiz.yaml concerned (course.yaml waives only true-false-keys, multiple-key-count, objective-coverage)",
      "01.m/quiz.yaml:14:9: warning: questions[0].waivers[0]: bank-size is not a rule for a single item; waive it in the bank (quiz.yaml's top-level waivers)",
    ]);
  });
});

describe("waivers in the schema", () => {
  const item = (waivers: string) => `draw: 1\nquestions:\n${single("q1", ["A", "B"], "a", waivers)}`;

  test("a waiver without a reason is an error at its line", () => {
    const parsed = parseYaml("quiz.yaml", item("    waivers:\n      - rule: longest-key\n"), quizSchema);
    expect(parsed.problems.map(formatProblem)).toEqual(["quiz.yaml:15:9: questions[0].waivers[0].reason: missing (required)"]);
  });

  test("a reason must say something, and the rule must be one of the item rules", () => {
    const short = parseYaml("quiz.yaml", item("    waivers:\n      - rule: longest-key\n        reason: ok\n"), quizSchema);
    expect(short.problems.map(formatProblem)).toEqual(["quiz.yaml:16:9: questions[0].waivers[0].reason: give the reason for the waiver (at least 10 characters)"]);
    const unknown = parseYaml("quiz.yaml", `${item("")}waivers:\n  - rule: too-long\n    reason: a rule that does not exist\n`, quizSchema);
    expect(unknown.problems.map(formatProblem)).toEqual([
      "quiz.yaml:15:5: waivers[0].rule: rule must be one of: longest-key, key-position, true-false-keys, multiple-key-count, all-none-above, near-duplicate, bank-size, objective-coverage",
    ]);
  });
});
