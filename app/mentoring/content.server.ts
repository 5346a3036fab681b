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
    if (!parsed.data) continue;
    const criteria = new Set<string>();
    parsed.data.rubric.forEach((c, i) => {
      if (criteria.has(c.id)) problems.push({ file, ...parsed.positionOf(["rubric", i, "id"]), severity: "error", message: `rubric[${i}].id: duplicate criterion id "${c.id}"` });
      criteria.add(c.id);
    });
    if (ids.has(parsed.data.id)) problems.push({ file, ...parsed.positionOf(["id"]), severity: "error", message: `id: duplicate assignment id "${parsed.data.id}" in this module` });
    ids.add(parsed.data.id);
    lesson.assignment = { ...parsed.data, file, hash: createHash("sha256").update(text).digest("hex").slice(0, 16) } satisfies Assignment;
  }
  return { problems, texts };
}
