import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";

/**
 * A course that requires an approved submission, on a temporary copy of the
 * fixture content whose assignment says `required: true` (the fixture course
 * itself stays without the requirement, so other tests complete it as before).
 * The same copy, with broken assignment files, shows content:check's messages.
 */

const root = fs.mkdtempSync(path.resolve("tests/.db/mentoring-content-"));
fs.cpSync(path.resolve("tests/fixtures/content"), root, { recursive: true });
const practice = path.join(root, "courses/fixture-course/02.practice");
const assignmentFile = path.join(practice, "01.case-work.assignment.yaml");
fs.writeFileSync(assignmentFile, fs.readFileSync(assignmentFile, "utf8").replace("required: false", "required: true"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

process.env.CONTENT_DIR = path.relative(process.cwd(), root);
vi.resetModules();
const { findCourse, resetCatalog } = await import("#app/content/catalog.server.ts");
resetCatalog();
const { loadCatalog } = await import("#app/content/load.server.ts");
const { formatProblem } = await import("#app/content/problems.ts");
const { findAssignment, submitAssignment, reviewSubmission } = await import("#app/mentoring/mentoring.server.ts");
const { attestAndComplete } = await import("#app/progress/completion.server.ts");
const { loader: completeLoader } = await import("#app/routes/courses.$courseId.complete.tsx");
const { createSignedInUser } = await import("#tests/db-utils.ts");
const { completeFixtureCourse } = await import("#tests/learning-utils.ts");
const { getRequest, run } = await import("#tests/route-utils.ts");

const CLEAN =
  "A man in his 50s with chronic PTSD asks about KAP. He is ambivalent but curious; his partner supports him. Risks: cardiac history needs the prescriber's screening, and dosing is outside my scope. Next step: refer for evaluation.";

describe("a course that requires an approved submission", () => {
  test("cannot be completed until a mentor judges the case work as meeting the standard", async () => {
    const course = (await findCourse("fixture-course"))!;
    const learner = await createSignedInUser();
    const mentor = await createSignedInUser({ role: "mentor" });
    await completeFixtureCourse(learner.user.id, { attest: false });

    const page = await run<{ steps: { assignments: boolean }; assignments: { required: number; missing: Array<{ title: string; href: string }> } }>(completeLoader, getRequest("/courses/fixture-course/complete", learner.cookie), undefined, { courseId: "fixture-course" });
    expect(page.data?.steps.assignments).toBe(false);
    expect(page.data?.assignments).toMatchObject({ required: 1, missing: [{ title: "Case formulation", href: "/courses/fixture-course/practice/case-work/assignment" }] });
    const refused = await attestAndComplete(learner.user.id, course, { confirmed: true, ip: "203.0.113.9", userAgent: "test" });
    expect(refused).toEqual({ ok: false, status: 409, message: 'A mentor must judge your case work as meeting the standard first: "Case formulation".' });

    const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
    const submitted = submitAssignment(learner.user.id, place, { body: CLEAN, token: "required-case-1" });
    if (!submitted.ok) throw new Error(submitted.message);
    const form = new FormData();
    for (const [k, v] of Object.entries({ "score:readiness": "1", "score:safety": "1", comment: "Say more about readiness.", outcome: "revise" })) form.set(k, v);
    expect((await reviewSubmission(mentor.user.id, submitted.submission.id, form)).ok).toBe(true);
    // A "revise" is not an approval.
    expect((await attestAndComplete(learner.user.id, course, { confirmed: true, ip: "203.0.113.9", userAgent: "test" })).ok).toBe(false);

    const second = submitAssignment(learner.user.id, place, { body: `${CLEAN} He has tried two medications and weekly therapy.`, token: "required-case-2" });
    if (!second.ok) throw new Error(second.message);
    form.set("outcome", "approved");
    expect((await reviewSubmission(mentor.user.id, second.submission.id, form)).ok).toBe(true);
    const done = await attestAndComplete(learner.user.id, course, { confirmed: true, ip: "203.0.113.9", userAgent: "test" });
    expect(done.ok).toBe(true);
  });
});

describe("content:check on assignment files", () => {
  test("reports unknown keys, a missing rubric, bad ranges and a misnamed file at path:line", async () => {
    const rel = path.relative(process.cwd(), practice).split(path.sep).join("/");
    fs.writeFileSync(
      assignmentFile,
      `id: case-formulation
title: Case formulation
prompt: Write it.
minWords: 300
maxWords: 100
required: maybe
deadline: 2027-01-01
`,
    );
    fs.writeFileSync(
      path.join(practice, "02.case-work.assignment.yaml"),
      "id: x\n",
    );
    const other = path.join(root, "courses/fixture-course/01.basics");
    const lessonName = fs.readdirSync(other).find((f) => /^\d+\.[a-z0-9-]+\.mdx$/.test(f) && !f.includes("work-in-progress"))!;
    fs.writeFileSync(
      path.join(other, lessonName.replace(/\.mdx$/, ".assignment.yaml")),
      `id: reflection
title: Reflection
prompt: Reflect.
rubric:
  - id: depth
    title: Depth
    description: How deep.
    score: { min: 3, max: 2 }
  - id: depth
    title: Again
    description: Twice.
    score: { min: 0, max: 2 }
    levels: [Low, High]
`,
    );
    const catalog = await loadCatalog(root, new Map(), { today: "2026-12-02" });
    const reported = catalog.problems.map(formatProblem).filter((p) => p.includes("assignment.yaml"));
    const basics = path.relative(process.cwd(), other).split(path.sep).join("/");
    const reflection = `${basics}/${lessonName.replace(/\.mdx$/, ".assignment.yaml")}`;
    expect(reported.sort()).toEqual(
      [
        `${rel}/01.case-work.assignment.yaml:1:1: rubric: missing (required)`,
        `${rel}/01.case-work.assignment.yaml:6:1: required: must be true or false`,
        `${rel}/01.case-work.assignment.yaml:5:1: maxWords: 100 is less than minWords (300)`,
        `${rel}/01.case-work.assignment.yaml:7:1: deadline: unknown key (check the spelling; see content/README.md)`,
        `${rel}/02.case-work.assignment.yaml:1:1: assignment files are named NN.<lesson-slug>.assignment.yaml after a lesson of this module (01.case-work)`,
        `${reflection}:8:22: rubric[0].score.max: 2 must be greater than score.min (3)`,
        `${reflection}:9:5: rubric[1].id: duplicate criterion id "depth"`,
        `${reflection}:13:5: rubric[1].levels: give one level per score from 0 to 2 (3), not 2`,
      ].sort(),
    );
  });
});
