import { createHash } from "node:crypto";
import path from "node:path";
import type { Problem } from "#app/content/problems.ts";
import { REVIEW_WARNING_DAYS, daysUntil } from "#app/content/review.ts";
import { parseYaml } from "#app/content/yaml.server.ts";
import { bestPath, checkCaseGraph } from "./graph.ts";
import { caseSchema, type CaseYaml } from "./schema.ts";

/**
 * Reads a module's NN.slug.case.yaml files into the catalog: a summary per case
 * for pages (no keys), and the whole case, keys and all, in the catalog's
 * server-only `cases` map. Problems go to content:check with YAML positions.
 */

export const CASE_FILE = /^(\d+)\.([a-z0-9]+(?:-[a-z0-9]+)*)\.case\.yaml$/;

/** CE estimate for a case: the words along its best path at the reading rate, plus this much per decision. */
export const MINUTES_PER_CASE_DECISION = 1;

/** What pages may know of a case: nothing about its choices' ratings or targets. */
export type CaseSummary = {
  slug: string;
  number: number;
  file: string;
  title: string;
  minutes: number;
  /** Minutes the best path supports: its words at the reading rate plus one per decision. */
  estimatedMinutes: number;
  objectives: string[];
  hash: string;
  reviewBy: string | null;
};

export type CaseReference = { id: string; citation: string; url?: string };

/** A whole case with its keys: server-only, and the snapshot a run stores. */
export type CaseDef = CaseYaml & {
  courseId: string;
  moduleSlug: string;
  slug: string;
  file: string;
  /** The case version: a hash of its file. */
  hash: string;
  /** The references its choices and list cite, resolved from the course. */
  citations: Record<string, CaseReference>;
};

export type CaseFile = { file: string; name: string; text: string; moduleSlug: string };

/** What the course loader shares with the case reader. */
export type CaseLoad = { problems: Problem[]; references: Map<string, CaseReference>; today: string };

type ModuleLike = { slug: string; lessons: Array<{ number: number; file: string }>; cases: CaseSummary[] };

const rel = (abs: string) => path.relative(process.cwd(), abs).split(path.sep).join("/");

/** Reads every case file of a course; fills each module's `cases` and the catalog's keyed `cases`. */
export function readCases(
  load: CaseLoad,
  files: CaseFile[],
  modules: ModuleLike[],
  course: { id: string; expires: string | null } | null,
  wordsPerMinute: number,
  into: Record<string, CaseDef>,
): void {
  for (const f of files) {
    const file = rel(f.file);
    const match = CASE_FILE.exec(f.name);
    if (!match) {
      load.problems.push({ file, line: 1, col: 1, severity: "error", message: "case files are named NN.slug.case.yaml (e.g. 03.second-lozenge.case.yaml)" });
      continue;
    }
    const number = Number(match[1]);
    const slug = match[2]!;
    const mod = modules.find((m) => m.slug === f.moduleSlug);
    const clash = mod?.lessons.find((l) => l.number === number);
    if (clash) load.problems.push({ file, line: 1, col: 1, severity: "error", message: `number ${match[1]} is also used by ${path.basename(clash.file)} (cases are numbered with the lessons)` });
    if (mod?.cases.some((c) => c.slug === slug)) load.problems.push({ file, line: 1, col: 1, severity: "error", message: `duplicate case slug "${slug}" in this module` });

    const parsed = parseYaml(file, f.text, caseSchema);
    load.problems.push(...parsed.problems);
    if (!parsed.data) continue;
    const c = parsed.data;
    const issues = checkCaseGraph(c, load.references);
    for (const issue of issues) load.problems.push({ file, ...parsed.positionOf(issue.path), severity: "error", message: issue.message });
    checkReviewBy(load, file, c, parsed.positionOf(["reviewBy"]), course?.expires ?? null);
    if (!mod) continue;

    const hash = createHash("sha256").update(f.text).digest("hex").slice(0, 16);
    const cited = [...c.references, ...c.scenes.flatMap((s) => s.choices.flatMap((ch) => (ch.source ? [ch.source] : [])))];
    const citations = Object.fromEntries(cited.flatMap((id) => (load.references.has(id) ? [[id, load.references.get(id)!]] : [])));
    const estimatedMinutes = estimateCase(c, wordsPerMinute);
    // (A case with graph errors has no sure best path to estimate.)
    if (!issues.length) checkMinutes(load, file, c.minutes, estimatedMinutes, parsed.positionOf(["minutes"]), wordsPerMinute);
    mod.cases.push({
      slug,
      number,
      file,
      title: c.title,
      minutes: c.minutes,
      estimatedMinutes,
      objectives: c.objectives,
      hash,
      reviewBy: c.reviewBy ?? null,
    });
    mod.cases.sort((a, b) => a.number - b.number);
    // A case with graph errors stays out of the player (the build refuses errors; dev shows them).
    if (course && !issues.length) into[`${course.id}/${f.moduleSlug}/${slug}`] = { ...c, courseId: course.id, moduleSlug: f.moduleSlug, slug, file, hash, citations };
  }
}

/**
 * The minutes learners are shown should match what the case supports: a
 * warning when they differ by more than a third and by more than 2 minutes
 * (the CE estimate always uses the checker's count, never `minutes`).
 */
function checkMinutes(load: CaseLoad, file: string, minutes: number, estimated: number, at: { line: number; col: number }, wordsPerMinute: number): void {
  const ratio = minutes / Math.max(estimated, 0.1);
  if ((ratio > 1.5 || ratio < 2 / 3) && Math.abs(minutes - estimated) > 2) {
    load.problems.push({ file, ...at, severity: "warning", message: `minutes: ${minutes} is far from the ${estimated} minutes one play-through supports (its best path at ${wordsPerMinute} words per minute plus ${MINUTES_PER_CASE_DECISION} per decision)` });
  }
}

/** A lesson's reviewBy rules, for a case: warn before the date, fail after it or past the course's expiry. */
function checkReviewBy(load: CaseLoad, file: string, c: CaseYaml, at: { line: number; col: number }, expires: string | null): void {
  if (!c.reviewBy) {
    load.problems.push({ file, line: 1, col: 1, severity: "warning", message: `no reviewBy date: add reviewBy: YYYY-MM-DD${expires ? ` (at the latest the course's expiry, ${expires})` : ""}` });
    return;
  }
  const recheck = c.recheck ? ` (${c.recheck})` : "";
  const days = daysUntil(c.reviewBy, load.today);
  if (expires && c.reviewBy > expires) {
    load.problems.push({ file, ...at, severity: "error", message: `reviewBy: ${c.reviewBy} is after the course expires (${expires}); review the case by then` });
  } else if (days < 0) {
    load.problems.push({ file, ...at, severity: "error", message: `reviewBy: ${c.reviewBy} has passed; re-check this case against its sources and set a new date${recheck}` });
  } else if (days <= REVIEW_WARNING_DAYS) {
    load.problems.push({ file, ...at, severity: "warning", message: `reviewBy: ${c.reviewBy} is due in ${days} day${days === 1 ? "" : "s"}${recheck}` });
  }
}

const words = (text: string | undefined) => (text ?? "").split(/\s+/).filter(Boolean).length;

/**
 * The minutes a case honestly supports: one play-through along its best path
 * (each scene's narrative and choices, the chosen feedback, the ending), at the
 * reading rate, plus MINUTES_PER_CASE_DECISION per choice made. Other branches
 * are not counted: a learner need not read them.
 */
export function estimateCase(c: CaseYaml, wordsPerMinute: number): number {
  const path = bestPath(c);
  if (!path) return 0;
  const scene = (id: string) => c.scenes.find((s) => s.id === id)!;
  let count = 0;
  for (const step of path) {
    const s = scene(step.sceneId);
    count += words(s.narrative) + s.choices.reduce((n, ch) => n + words(ch.text), 0) + words(s.choices.find((ch) => ch.id === step.choiceId)?.feedback);
  }
  const last = path.length ? scene(path.at(-1)!.sceneId).choices.find((ch) => ch.id === path.at(-1)!.choiceId)!.to : c.start;
  count += words(scene(last).narrative) + words(scene(last).summary);
  return Math.round((count / wordsPerMinute + path.length * MINUTES_PER_CASE_DECISION) * 10) / 10;
}

/** Case minutes for a course's CE estimate. */
export function caseMinutes(modules: Array<{ cases: CaseSummary[] }>): number {
  return Math.round(modules.reduce((s, m) => s + m.cases.reduce((t, c) => t + c.estimatedMinutes, 0), 0) * 10) / 10;
}

/** A lesson's `<Case id>` must name a case of its own module. */
export function checkCaseEmbeds(
  load: CaseLoad,
  lessons: Array<{ file: string; uses: Array<{ name: string; line: number; col: number; attrs: Record<string, unknown> }> }>,
  modules: Array<{ dir: string; cases: CaseSummary[] }>,
): void {
  for (const lesson of lessons) {
    const mod = modules.find((m) => path.posix.dirname(lesson.file) === m.dir);
    for (const use of lesson.uses.filter((u) => u.name === "Case")) {
      const id = String(use.attrs.id);
      if (!mod?.cases.some((c) => c.slug === id)) {
        const known = mod?.cases.map((c) => c.slug).join(", ") || "none";
        load.problems.push({ file: lesson.file, line: use.line, col: use.col, severity: "error", message: `<Case id="${id}">: no such case in this module (cases here: ${known})` });
      }
    }
  }
}
