import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import * as compile from "#app/content/compile.server.ts";
import { loadCatalog, type CompileCache } from "#app/content/load.server.ts";
import { formatProblem } from "#app/content/problems.ts";

const FIXTURE = path.resolve("tests/fixtures/content");

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-content-"));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe("the fixture course", async () => {
  const catalog = await loadCatalog(FIXTURE);
  // The fixture catalog also holds fixture-cases (branching cases) and fixture-advanced (a prerequisite); these tests are about fixture-course.
  const course = catalog.courses.find((c) => c.id === "fixture-course")!;

  test("compiles with no errors", () => {
    expect(catalog.problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
    expect(catalog.courses.map((c) => c.id)).toEqual(["fixture-advanced", "fixture-cases", "fixture-course"]);
  });

  test("modules and lessons are ordered by their numbers, slugs without them", () => {
    expect(course.modules.map((m) => m.slug)).toEqual(["basics", "practice"]);
    expect(course.modules[0]!.lessons.map((l) => [l.slug, l.draft])).toEqual([
      ["welcome", false],
      ["second-lesson", false],
      ["work-in-progress", true],
    ]);
  });

  test("each lesson carries its code, words, hash, table of contents and resolved references", () => {
    const welcome = course.modules[0]!.lessons[0]!;
    expect(welcome.code).toContain("Callout");
    expect(welcome.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(welcome.wordCount).toBeGreaterThan(60);
    expect(welcome.toc).toEqual([
      { id: "what-this-lesson-covers", text: "What this lesson covers", depth: 2 },
      { id: "a-table", text: "A table", depth: 3 },
      { id: "check-your-understanding", text: "Check your understanding", depth: 2 },
    ]);
    expect(welcome.references.map((r) => r.id)).toEqual(["fixture-source", "basics-source"]);
    expect(welcome.reflections).toEqual(["first-thoughts"]);
  });

  test("quiz answer keys stay in the server-only bank, not in the course entry", () => {
    expect(course.modules[0]!.quiz).toMatchObject({ questionCount: 4, draw: 3, trueFalseCount: 1 });
    expect(JSON.stringify(course)).not.toMatch(/"answer"/);
    expect(catalog.quizzes["fixture-course/basics"]!.questions).toHaveLength(4);
  });

  test("CE hours are estimated from the content, rounded down to the quarter hour", () => {
    const e = course.estimate;
    expect(e.quizMinutes).toBe((3 + 2) * 1.5);
    expect(e.evaluationMinutes).toBe(10);
    expect(e.supportedHours).toBe(Math.floor((e.totalMinutes / 60) * 4) / 4);
    expect(course.ceHours).toBeLessThanOrEqual(e.supportedHours);
  });
});

describe("editing content", () => {
  test("only the changed lesson is recompiled, and the course version changes", async () => {
    const dir = copyFixture();
    const cache: CompileCache = new Map();
    const first = await loadCatalog(dir, cache);
    const spy = vi.spyOn(compile, "compileLesson");
    const lesson = path.join(dir, "courses/fixture-course/01.basics/02.second-lesson.mdx");
    fs.appendFileSync(lesson, "\nAn added sentence about the second idea.\n");
    const second = await loadCatalog(dir, cache);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toMatch(/02\.second-lesson\.mdx$/);
    spy.mockRestore();
    const version = (c: typeof first) => c.courses.find((x) => x.id === "fixture-course")!.version;
    expect(version(second)).not.toBe(version(first));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("an expiry date in the past is an error", async () => {
    const dir = copyFixture();
    const file = path.join(dir, "courses/fixture-course/course.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("lastReviewed: 2026-06-01", "lastReviewed: 2019-01-01").replace("released: 2026-01-01", "released: 2019-01-01").replace("expires: 2029-05-31", "expires: 2021-12-31"));
    const catalog = await loadCatalog(dir);
    const messages = catalog.problems.map((p) => p.message);
    expect(messages).toContain("dates.expires: 2021-12-31 is in the past; review the course and set a new expiry date");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("item-writing rules on the fixture course", () => {
  test("its tiny banks pass only by their waivers: without them, each waived rule is reported", async () => {
    const dir = copyFixture();
    const courseDir = path.join(dir, "courses/fixture-course");
    for (const file of ["course.yaml", "01.basics/quiz.yaml", "02.practice/quiz.yaml"]) {
      const abs = path.join(courseDir, file);
      // Waiver blocks (top-level or an item's) run to the next key at their own indentation or less.
      fs.writeFileSync(abs, fs.readFileSync(abs, "utf8").replace(/^( *)waivers:\n(?:\1 +.*\n|\1- .*\n)*/gm, ""));
    }
    const catalog = await loadCatalog(dir);
    const reported = catalog.problems.filter((p) => p.severity === "error").map((p) => `${path.relative(courseDir, path.resolve(p.file))}:${p.line}: ${p.message.split(":")[0]}`);
    expect(reported).toEqual([
      "01.basics/quiz.yaml:1: draw",
      '01.basics/quiz.yaml:5: questions[0] ("who-prescribes") prompt',
      "02.practice/quiz.yaml:1: draw",
      '02.practice/quiz.yaml:8: questions[0] ("first-step") keyed option refer',
      "course.yaml:12: objectives[1] (\"practice\")",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("element ids in compiled lessons", () => {
  test("knowledge checks and glossary terms are numbered by the compiler, not by where React renders them", async () => {
    const source = [
      "---",
      "title: Ids",
      "minutes: 1",
      "---",
      "",
      '<Glossary term="one">first</Glossary> and <Glossary term="two" uid="mine">second</Glossary>',
      "",
      '<KnowledgeCheck question="Q1?" options={["a", "b"]} answer={0} explanation="e" />',
      '<KnowledgeCheck question="Q2?" options={["a", "b"]} answer={1} explanation="e" />',
      "",
    ].join("\n");
    const { lesson, problems } = await compile.compileLesson("ids.mdx", source);
    expect(problems).toEqual([]);
    for (const id of ["lesson-term-1", "lesson-term-2", "lesson-check-1", "lesson-check-2"]) expect(lesson!.code).toContain(id);
    // An author's own uid is replaced: ids must stay unique on the page.
    expect(lesson!.code).not.toContain("mine");
  });
});
