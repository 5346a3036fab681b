import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { LessonEntry } from "#app/content/load.server.ts";
import type { Problem } from "#app/content/problems.ts";
import { parseYaml } from "#app/content/yaml.server.ts";
import { ASSIGNMENT_FILE, assignmentSchema, type Assignment } from "./assignment.ts";

const rel = (abs: string) => path.relative(process.cwd(), abs).split(path.sep).join("/");

export function isAssignmentFile(name: string): boolean {
  return name.endsWith(".assignment.yaml");
}

/**
 * Reads a module's assignment files and attaches each to its lesson (matched by
 * NN.slug). Returns the problems (path:line) and the texts for the course version.
 */
export async function attachAssignments(moduleDir: string, names: string[], lessons: LessonEntry[]): Promise<{ problems: Problem[]; texts: string[] }> {
  const problems: Problem[] = [];
  const texts: string[] = [];
  const ids = new Set<string>();
  for (const name of names) {
    const abs = path.join(moduleDir, name);
    const file = rel(abs);
    const text = await fs.readFile(abs, "utf8");
    texts.push(text);
    const match = ASSIGNMENT_FILE.exec(name);
    const lesson = match ? lessons.find((l) => l.number === Number(match[1]) && l.slug === match[2]) : undefined;
    if (!lesson) {
      problems.push({ file, line: 1, col: 1, severity: "error", message: `assignment files are named NN.<lesson-slug>.assignment.yaml after a lesson of this module (${lessons.map((l) => `${String(l.number).padStart(2, "0")}.${l.slug}`).join(", ")})` });
      continue;
    }
    const parsed = parseYaml(file, text, assignmentSchema);
    problems.push(...parsed.problems);
    const rangeProblems = checkRanges(parsed.raw, (p) => ({ file, ...parsed.positionOf(p), severity: "error" as const }));
    problems.push(...rangeProblems);
    if (!parsed.data || rangeProblems.length) continue;
    if (ids.has(parsed.data.id)) problems.push({ file, ...parsed.positionOf(["id"]), severity: "error", message: `id: duplicate assignment id "${parsed.data.id}" in this module` });
    ids.add(parsed.data.id);
    lesson.assignment = { ...parsed.data, file, hash: createHash("sha256").update(text).digest("hex").slice(0, 16) } satisfies Assignment;
  }
  return { problems, texts };
}

type At = (path: Array<string | number>) => Omit<Problem, "message">;

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/** Word limits and score ranges in order, one level per score, unique criterion ids: read from the raw YAML, whatever else is wrong. */
function checkRanges(raw: unknown, at: At): Problem[] {
  const problems: Problem[] = [];
  if (!raw || typeof raw !== "object") return problems;
  const a = raw as { minWords?: unknown; maxWords?: unknown; rubric?: unknown };
  const [minWords, maxWords] = [num(a.minWords), num(a.maxWords)];
  if (minWords !== null && maxWords !== null && maxWords < minWords) problems.push({ ...at(["maxWords"]), message: `maxWords: ${maxWords} is less than minWords (${minWords})` });
  if (!Array.isArray(a.rubric)) return problems;
  const ids = new Set<string>();
  a.rubric.forEach((c: unknown, i) => {
    if (!c || typeof c !== "object") return;
    const { id, score, levels } = c as { id?: unknown; score?: { min?: unknown; max?: unknown } | null; levels?: unknown };
    if (typeof id === "string") {
      if (ids.has(id)) problems.push({ ...at(["rubric", i, "id"]), message: `rubric[${i}].id: duplicate criterion id "${id}"` });
      ids.add(id);
    }
    const [min, max] = [num(score?.min), num(score?.max)];
    if (min === null || max === null) return;
    if (max <= min) problems.push({ ...at(["rubric", i, "score", "max"]), message: `rubric[${i}].score.max: ${max} must be greater than score.min (${min})` });
    else if (Array.isArray(levels) && levels.length !== max - min + 1) problems.push({ ...at(["rubric", i, "levels"]), message: `rubric[${i}].levels: give one level per score from ${min} to ${max} (${max - min + 1}), not ${levels.length}` });
  });
  return problems;
}
