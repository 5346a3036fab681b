import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadCatalog } from "#app/content/load.server.ts";
import { formatProblem } from "#app/content/problems.ts";

const PREFIX = "tests/fixtures/broken-content/courses/";

/**
 * Every deliberately broken file in tests/fixtures/broken-content yields its
 * exact `path:line:col: message`, and nothing else is reported.
 */
const EXPECTED = [
  `broken-course/01.lessons/01.unknown-component.mdx:10:1: unknown component <Quiz>; lessons may use: Callout, Vignette, KnowledgeCheck, Cite, Figure, Glossary, Reflection, Case`,
  `broken-course/01.lessons/02.syntax-error.mdx:8:13: MDX syntax: Unexpected character \`5\` (U+0035) before name, expected a character that can start a name, such as a letter, \`$\`, or \`_\``,
  `broken-course/01.lessons/03.missing-reference.mdx:11:1: <Case id="no-such-case">: no such case in this module (cases here: broken-case)`,
  `broken-course/01.lessons/03.missing-reference.mdx:9:9: <Cite id="made-up-2024">: no such reference in course.yaml or module.yaml references`,
  `broken-course/01.lessons/04.bad-frontmatter.mdx:3:1: minutes: must be a number of minutes`,
  `broken-course/01.lessons/04.bad-frontmatter.mdx:8:1: <Callout>: type must be one of: note, warning, clinical-safety`,
  // A branching case with each graph error once (app/cases/graph.ts).
  `broken-course/01.lessons/05.broken-case.case.yaml:4:27: references: "made-up-ref" is not defined in course.yaml or any module.yaml references`,
  `broken-course/01.lessons/05.broken-case.case.yaml:6:1: start: no path of "best" choices leads from "intake" to an ending; mark the best choice in each scene along one complete path`,
  `broken-course/01.lessons/05.broken-case.case.yaml:20:9: scenes[0].choices[1] ("give"): an unsafe choice needs feedback saying why, and what to do instead`,
  `broken-course/01.lessons/05.broken-case.case.yaml:21:9: scenes[0].choices[2].id: duplicate choice id "defer" in scene "intake"`,
  `broken-course/01.lessons/05.broken-case.case.yaml:23:9: scenes[0].choices[2].to: "nowhere" is not a scene of this case`,
  `broken-course/01.lessons/05.broken-case.case.yaml:25:9: scenes[0].choices[2].source: "unknown-source" is not a reference id in course.yaml or module.yaml`,
  `broken-course/01.lessons/05.broken-case.case.yaml:30:5: scenes[1] ("loop-a"): no ending can be reached from here (a loop with no way out through: loop-a, loop-b)`,
  `broken-course/01.lessons/05.broken-case.case.yaml:37:5: scenes[2] ("loop-b"): no ending can be reached from here (a loop with no way out through: loop-a, loop-b)`,
  `broken-course/01.lessons/05.broken-case.case.yaml:44:5: scenes[3] ("dead-end"): the path stops here with no ending; give the scene choices, or mark it "ending: true"`,
  `broken-course/01.lessons/05.broken-case.case.yaml:46:5: scenes[4] ("unreached"): no path from the start reaches this scene`,
  `broken-course/01.lessons/05.broken-case.case.yaml:52:5: scenes[6].id: duplicate scene id "ending"`,
  `broken-course/01.lessons/module.yaml:1:1: summary: missing (required)`,
  `broken-course/01.lessons/quiz.yaml:1:1: draw: 9 questions per attempt, but the bank has only 4`,
  `broken-course/01.lessons/quiz.yaml:11:5: questions[0] ("two-correct"): a single-choice question needs exactly one correct option, not 2`,
  `broken-course/01.lessons/quiz.yaml:22:5: questions[1] ("none-correct"): a multiple-choice question needs at least one correct option`,
  `broken-course/01.lessons/quiz.yaml:24:5: questions[1].source: "unknown-reference" is not a reference id in course.yaml or module.yaml`,
  `broken-course/01.lessons/quiz.yaml:26:5: questions[2].type: type must be "single", "multiple" or "true-false"`,
  `broken-course/01.lessons/quiz.yaml:38:5: questions[3].answer: "c" points at no option (options: a, b)`,
  `broken-course/02.bad-yaml/module.yaml:5:1: YAML syntax: A block sequence may not be used as an implicit map key`,
  `broken-course/course.yaml:5:1: level: must be one of: introductory, intermediate, advanced`,
  `broken-course/course.yaml:19:1: sponsor: unknown key (check the spelling; see content/README.md)`,
  `broken-course/course.yaml:27:5: duplicate reference id "real-source" (reference ids are unique across the course)`,
  `broken-course/evaluation.yaml:1:1: questions: add APA's required question (kind: apa-useful)`,
  `broken-dates/01.only/01.short.mdx:5:1: reviewBy: 2026-06-30 has passed; re-check this lesson against its sources and set a new date (The temporary rule this lesson describes.)`,
  `broken-dates/01.only/01.short.mdx:3:1: warning: minutes: 45 is far from the 0.1 minutes its content supports (12 words at 200 per minute plus activities)`,
  `broken-dates/01.only/module.yaml:6:5: duplicate reference id "real-source" (reference ids are unique across the course)`,
  `broken-dates/01.only/quiz.yaml:10:5: questions[1].id: duplicate question id "one"`,
  `broken-dates/course.yaml:6:1: ceHours: 3 declared, but the content supports 0 (0 min reading at 200 words/min + 0 min activities + 3 min quizzes + 10 min evaluation = 13 min, rounded down to the quarter hour)`,
  `broken-dates/course.yaml:6:1: warning: the quiz banks hold 2 questions; APA recommends at least 6 per CE hour (18 for 3 hours)`,
  `broken-dates/course.yaml:6:1: creditPolicy.courseMinimum: 0.5 of 3 CE hours needs 90 minutes of lesson time, but the lessons declare 45 minutes in all: lower courseMinimum or check the lessons' minutes`,
  `broken-dates/course.yaml:24:5: approvals[0].credits: 4 is more than the course's ceHours (3)`,
  `broken-dates/course.yaml:22:5: warning: APA approval period ends: 2026-12-31 is due in 29 days (Renew the APA approval or stop offering its credit.)`,
  `broken-dates/course.yaml:30:3: dates.expires: 2030-06-01 is after the end of the APA approval period (2026-12-31); a course cannot offer credit beyond its approval`,
  `broken-dates/course.yaml:30:3: dates.expires: 2030-06-01 is more than 3 years after the last review (2026-01-01); enduring material must be reviewed at least every 3 years`,
  // broken-items: a lesson due for review soon (a warning); its quiz bank breaks each item-writing rule once; s6 waives all-none-above and is not reported.
  `broken-items/01.items/01.reading.mdx:5:1: warning: reviewBy: 2027-01-15 is due in 44 days`,
  `broken-items/01.items/quiz.yaml:1:1: draw: 6 questions per attempt from a bank of 10; a bank needs at least twice its draw (12) so a retake meets new questions`,
  `broken-items/01.items/quiz.yaml:2:1: questions: all 2 true/false items are keyed true: t1, t2; key some of them false`,
  `broken-items/01.items/quiz.yaml:2:1: questions: the key is option 1 (in authored order) in 3 of 6 single-choice items (more than 40%): s1, s2, s3; vary where the key sits`,
  `broken-items/01.items/quiz.yaml:2:1: questions: the keyed option is the single longest in 3 of 6 single-choice items (more than 40%): s1, s2, s3; make distractors as long and specific as the key`,
  `broken-items/01.items/quiz.yaml:47:18: questions[3] ("s4").options[1]: "all of the above" lets partial knowledge find the key (and breaks when options are shuffled); write a specific option`,
  `broken-items/01.items/quiz.yaml:110:5: questions[8] ("t1") prompt: nearly copies the lesson's sentence at ${PREFIX}broken-items/01.items/01.reading.mdx:21 (100% of its words are in 4-word runs found there); a graded item should test understanding, not recognition of the lesson's wording`,
  `broken-items/course.yaml:7:1: creditPolicy.courseMinimum: 0.5 of 0.25 CE hours needs 8 minutes of lesson time, but the lessons declare 2 minutes in all: lower courseMinimum or check the lessons' minutes`,
  `broken-items/course.yaml:2:1: every multi-select item in the course has 2 correct options (2 items: 01.items/quiz.yaml: m1, m2); vary the number of correct options so it gives nothing away`,
  `broken-items/course.yaml:7:1: warning: the quiz banks hold 2 true/false questions; keep to about one per CE hour (1)`,
  `broken-items/course.yaml:11:5: objectives[1] ("rare"): tested by 1 graded item (01.items/quiz.yaml: t2); each objective needs at least 3`,
];

describe("content checker on broken files", async () => {
  // A fixed day, so the review dates below stay as far from it as they were written.
  const catalog = await loadCatalog(path.resolve("tests/fixtures/broken-content"), new Map(), { today: "2026-12-02" });
  const reported = catalog.problems.map(formatProblem);

  test.each(EXPECTED)("%s", (expected) => {
    expect(reported).toContain(PREFIX + expected);
  });

  test("nothing else is reported", () => {
    expect(reported.map((r) => r.slice(PREFIX.length)).sort()).toEqual([...EXPECTED].sort());
  });

  test("a course with errors in its own file is left out of the catalog; others stay", () => {
    expect(catalog.courses.map((c) => c.id)).toEqual(["broken-dates", "broken-items"]);
  });
});
