import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { compileLesson, type CompiledLesson, type TocEntry } from "./compile.server.ts";
import { checkItemRules, type RuleBank, type RuleLesson } from "./item-rules.server.ts";
import {
  EVALUATION_MINUTES,
  MINUTES_PER_KNOWLEDGE_CHECK,
  MINUTES_PER_QUIZ_QUESTION,
  MINUTES_PER_REFLECTION,
  WORDS_PER_MINUTE,
} from "./components.ts";
import { sortProblems, type Problem } from "./problems.ts";
import { isoToday, parsePeriod, reviewSchedule } from "./review.ts";
import {
  courseSchema,
  evaluationSchema,
  moduleSchema,
  quizQuestionSchema,
  quizSchema,
  referenceSchema,
  type CourseYaml,
  type EvaluationYaml,
  type QuizQuestion,
  type QuizYaml,
} from "./schemas.ts";
import { parseYaml } from "./yaml.server.ts";
import type { Assignment } from "#app/mentoring/assignment.ts";
import { attachAssignments, isAssignmentFile } from "#app/mentoring/content.server.ts";
import { caseMinutes, checkCaseEmbeds, readCases, type CaseDef, type CaseFile, type CaseSummary } from "#app/cases/content.server.ts";

/**
 * Reads a content folder into the catalog the site serves, and checks it.
 * Everything here is plain data (JSON-serialisable) so the production build can
 * write it once and the server load it at start-up.
 */

export type Reference = { id: string; citation: string; url?: string };

export type LessonEntry = {
  slug: string;
  number: number;
  file: string;
  title: string;
  minutes: number;
  objectives: string[];
  references: Reference[];
  draft: boolean;
  wordCount: number;
  /** Minutes the content supports: reading plus activities. */
  estimatedMinutes: number;
  hash: string;
  toc: TocEntry[];
  /** Compiled MDX, or null when the lesson has errors (dev only: the build refuses errors). */
  code: string | null;
  /** Reflection prompts in the lesson (ids), for saving answers. */
  reflections: string[];
  /** Credited seconds of active time before the lesson can be marked complete (course creditPolicy, or the lesson's minimumMinutes). */
  minimumSeconds: number;
  /** The date by which the lesson must be re-checked (YYYY-MM-DD), and what to re-check. */
  reviewBy: string | null;
  recheck: string | null;
  /** The mentor-reviewed assignment beside the lesson (NN.slug.assignment.yaml), if any. */
  assignment?: Assignment;
};

export type QuizSummary = {
  file: string;
  questionCount: number;
  draw: number;
  trueFalseCount: number;
  hash: string;
  /** Earlier modules whose lessons its items test (`lesson: module/lesson`): a post-test unlocks when their lessons are complete too. */
  covers?: string[];
};

export type ModuleEntry = {
  slug: string;
  number: number;
  dir: string;
  title: string;
  summary: string;
  objectives: string[];
  lessons: LessonEntry[];
  quiz: QuizSummary | null;
  /** Branching cases (NN.slug.case.yaml), numbered with the lessons; no keys here. */
  cases: CaseSummary[];
};

export type CourseEstimate = {
  readingMinutes: number;
  activityMinutes: number;
  quizMinutes: number;
  /** One play-through of each case along its best path (app/cases/content.server.ts). */
  caseMinutes: number;
  evaluationMinutes: number;
  totalMinutes: number;
  /** Total minutes / 60, rounded down to the quarter hour. */
  supportedHours: number;
};

export type CourseEntry = Omit<CourseYaml, "references"> & {
  dir: string;
  references: Reference[];
  modules: ModuleEntry[];
  evaluation: EvaluationYaml | null;
  estimate: CourseEstimate;
  /** Hash over every file of the course: changes whenever any content changes. */
  version: string;
};

export type QuizBank = QuizYaml & { courseId: string; moduleSlug: string; hash: string; file: string };

export type Catalog = {
  contentDir: string;
  builtAt: string;
  courses: CourseEntry[];
  /** Answer keys: server-only, never sent to a page. Keyed `${courseId}/${moduleSlug}`. */
  quizzes: Record<string, QuizBank>;
  /** Branching cases with their keys: server-only. Keyed `${courseId}/${moduleSlug}/${caseSlug}`. */
  cases: Record<string, CaseDef>;
  problems: Problem[];
};

export type CompileCache = Map<string, { hash: string; result: Awaited<ReturnType<typeof compileLesson>> }>;

/** Addresses under /courses/<id>/ that pages use. */
const RESERVED_MODULE_SLUGS = new Set(["assets", "evaluation", "complete"]);
const NUMBERED_DIR = /^(\d+)\.([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const NUMBERED_LESSON = /^(\d+)\.([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

const rel = (abs: string) => path.relative(process.cwd(), abs).split(path.sep).join("/");
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return null;
  }
}

async function listDir(dir: string): Promise<Array<{ name: string; isDir: boolean }>> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

/**
 * Loads and checks every course under contentDir. `today` (YYYY-MM-DD, default
 * the real date) is the day review dates are judged against.
 */
export async function loadCatalog(contentDir: string, cache: CompileCache = new Map(), options: { today?: string } = {}): Promise<Catalog> {
  const today = options.today ?? isoToday();
  const problems: Problem[] = [];
  const courses: CourseEntry[] = [];
  const quizzes: Record<string, QuizBank> = {};
  const cases: Record<string, CaseDef> = {};
  const coursesDir = path.join(contentDir, "courses");
  const seenIds = new Map<string, string>();
  const prerequisiteLines = new Map<string, Array<{ line: number; col: number }>>();

  for (const entry of await listDir(coursesDir)) {
    if (!entry.isDir) continue;
    const dir = path.join(coursesDir, entry.name);
    const loaded = await loadCourse(dir, cache, quizzes, today, cases);
    problems.push(...loaded.problems);
    if (!loaded.course) continue;
    const other = seenIds.get(loaded.course.id);
    if (other) {
      problems.push({ file: rel(path.join(dir, "course.yaml")), line: 1, col: 1, severity: "error", message: `course id "${loaded.course.id}" is also used by ${other}` });
      continue;
    }
    seenIds.set(loaded.course.id, rel(path.join(dir, "course.yaml")));
    prerequisiteLines.set(loaded.course.id, loaded.prerequisitesAt);
    courses.push(loaded.course);
  }
  problems.push(...checkPrerequisites(courses, seenIds, prerequisiteLines));
  return { contentDir: rel(contentDir) || ".", builtAt: new Date().toISOString(), courses, quizzes, cases, problems: sortProblems(problems) };
}

/** What the steps of loading one course share. */
type CourseLoad = {
  dir: string;
  /** The day review dates are judged against (YYYY-MM-DD). */
  today: string;
  cache: CompileCache;
  problems: Problem[];
  /** The text of every file read, in reading order: the course version is their hash. */
  versionParts: string[];
  /** Course-wide and module references by id (ids are unique across the course). */
  references: Map<string, Reference>;
};

/** A lesson that compiled, kept for the checks that need every module's references first. */
type LessonFile = { lesson: LessonEntry; compiled: CompiledLesson; file: string; source: string };

/** A module's quiz.yaml, read with its module and checked once every module's references are known. */
type QuizFile = { file: string; text: string; moduleSlug: string };

type PositionOf = (path: Array<string | number>) => { line: number; col: number };

/** Reads and checks one course folder; its quiz banks go into `quizzes`. */
async function loadCourse(
  dir: string,
  cache: CompileCache,
  quizzes: Record<string, QuizBank>,
  today: string,
  cases: Record<string, CaseDef> = {},
): Promise<{ course: CourseEntry | null; problems: Problem[]; prerequisitesAt: Array<{ line: number; col: number }> }> {
  const courseFile = path.join(dir, "course.yaml");
  const courseText = await readText(courseFile);
  if (courseText === null) {
    return { course: null, problems: [{ file: rel(dir), line: 1, col: 1, severity: "error", message: "a course folder needs a course.yaml" }], prerequisitesAt: [] };
  }
  const course = parseYaml(rel(courseFile), courseText, courseSchema);
  const load: CourseLoad = { dir, today, cache, problems: [...course.problems], versionParts: [courseText], references: new Map() };
  addReferences(load, validReferences(course.data?.references ?? (course.raw as { references?: unknown } | null)?.references), rel(courseFile), course.positionOf);

  const { modules, lessonFiles, quizFiles, caseFiles } = await readModules(load);
  readCases(load, caseFiles, modules, course.data ? { id: course.data.id, expires: course.data.dates.expires } : null, WORDS_PER_MINUTE, cases);
  for (const lessonFile of lessonFiles) await checkLesson(load, lessonFile);
  checkCaseEmbeds(load, lessonFiles.map((f) => ({ file: f.file, uses: f.compiled.uses })), modules);
  if (course.data) setLessonMinimums(course.data.creditPolicy, lessonFiles);
  const banks = quizFiles.flatMap((quizFile) => readQuiz(load, quizFile, modules, course.data, quizzes) ?? []);
  checkEveryModuleTested(load, modules, quizFiles, quizzes, course.data?.id ?? null);
  const evaluation = await readEvaluation(load);

  if (!course.data) return { course: null, problems: load.problems, prerequisitesAt: [] };
  const estimate = estimateCourse(modules, lessonFiles);
  checkCredit(load, course.data, rel(courseFile), course.positionOf, estimate, quizzes);
  checkTimeOnTask(load, course.data, course.raw, rel(courseFile), course.positionOf, modules);
  checkDates(load, course.data.dates, rel(courseFile), course.positionOf);
  checkReviewDates(load, { ...course.data, modules }, rel(courseFile), course.positionOf, lessonFiles);
  load.problems.push(...checkItemRules({ file: rel(courseFile), course: course.data, positionOf: course.positionOf }, banks, lessonFiles.map(ruleLesson), banks.length === quizFiles.length));

  const { references: _refs, ...rest } = course.data;
  return {
    course: {
      ...rest,
      dir: rel(dir),
      references: [...load.references.values()],
      modules,
      evaluation,
      estimate,
      version: sha(load.versionParts.join("\u0000")).slice(0, 16),
    },
    problems: load.problems,
    prerequisitesAt: course.data.prerequisites.map((_, i) => course.positionOf(["prerequisites", i])),
  };
}

/**
 * Each course's prerequisites name other courses of the catalog, once, and no
 * chain of them leads back to the course (a learner could never start it).
 */
function checkPrerequisites(courses: CourseEntry[], files: Map<string, string>, lines: Map<string, Array<{ line: number; col: number }>>): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(courses.map((c) => [c.id, c]));
  for (const c of courses) {
    const file = files.get(c.id)!;
    const seen = new Set<string>();
    c.prerequisites.forEach((id, i) => {
      const at = lines.get(c.id)?.[i] ?? { line: 1, col: 1 };
      const error = (message: string) => problems.push({ file, ...at, severity: "error", message: `prerequisites[${i}]: ${message}` });
      if (id === c.id) error("a course cannot be its own prerequisite");
      else if (!byId.has(id)) error(`"${id}" is not a course id in the catalog (${[...byId.keys()].join(", ")})`);
      else if (seen.has(id)) error(`"${id}" is listed twice`);
      else if (leadsTo(byId, id, c.id)) error(`"${id}" itself requires ${c.id}, through its own prerequisites: no one could start either course`);
      seen.add(id);
    });
  }
  return problems;
}

/** Whether `target` is reached from `from` by following prerequisites. */
function leadsTo(byId: Map<string, CourseEntry>, from: string, target: string, visited = new Set<string>()): boolean {
  if (visited.has(from)) return false;
  visited.add(from);
  return (byId.get(from)?.prerequisites ?? []).some((id) => id === target || leadsTo(byId, id, target, visited));
}

/** Adds a course.yaml's or module.yaml's references to the course's; a repeated id is an error. */
function addReferences(load: CourseLoad, list: Reference[], file: string, at: PositionOf): void {
  list.forEach((r, i) => {
    if (load.references.has(r.id)) {
      load.problems.push({ file, ...at(["references", i, "id"]), severity: "error", message: `duplicate reference id "${r.id}" (reference ids are unique across the course)` });
    } else load.references.set(r.id, r);
  });
}

/** Reads every NN.slug module folder of the course (assets/ aside), sorted by number. */
async function readModules(load: CourseLoad): Promise<{ modules: ModuleEntry[]; lessonFiles: LessonFile[]; quizFiles: QuizFile[]; caseFiles: CaseFile[] }> {
  const modules: ModuleEntry[] = [];
  const found = { lessonFiles: [] as LessonFile[], quizFiles: [] as QuizFile[], caseFiles: [] as CaseFile[] };
  const moduleNumbers = new Map<number, string>();
  for (const entry of await listDir(load.dir)) {
    if (!entry.isDir) continue;
    if (entry.name === "assets") continue;
    const moduleDir = path.join(load.dir, entry.name);
    const name = moduleFolderName(load, moduleDir, entry.name, moduleNumbers);
    if (!name) continue;
    const mod = await readModule(load, moduleDir, name.number, name.slug, found);
    if (mod) modules.push(mod);
  }
  modules.sort((a, b) => a.number - b.number);
  return { modules, ...found };
}

/** The number and slug of a module folder named NN.slug; null (with a problem) when the name will not do. */
function moduleFolderName(load: CourseLoad, moduleDir: string, name: string, numbersSeen: Map<number, string>): { number: number; slug: string } | null {
  const match = NUMBERED_DIR.exec(name);
  if (!match) {
    load.problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `module folders are named NN.slug (e.g. 01.pharmacology); "${name}" is not` });
    return null;
  }
  const number = Number(match[1]);
  const slug = match[2]!;
  if (RESERVED_MODULE_SLUGS.has(slug)) {
    load.problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `"${slug}" is a reserved address in a course; choose another module slug` });
    return null;
  }
  if (numbersSeen.has(number)) {
    load.problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `module number ${match[1]} is also used by ${numbersSeen.get(number)}` });
  }
  numbersSeen.set(number, name);
  return { number, slug };
}

/**
 * Reads a module's module.yaml, then its lessons and quiz.yaml in file-name order;
 * null (with a problem) when it has no module.yaml. Lessons that compiled and the
 * quiz file are added to `found`, for the checks that need the whole course.
 */
async function readModule(
  load: CourseLoad,
  moduleDir: string,
  number: number,
  slug: string,
  found: { lessonFiles: LessonFile[]; quizFiles: QuizFile[]; caseFiles: CaseFile[] },
): Promise<ModuleEntry | null> {
  const moduleFile = path.join(moduleDir, "module.yaml");
  const moduleText = await readText(moduleFile);
  if (moduleText === null) {
    load.problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: "a module folder needs a module.yaml" });
    return null;
  }
  load.versionParts.push(moduleText);
  const mod = parseYaml(rel(moduleFile), moduleText, moduleSchema);
  load.problems.push(...mod.problems);
  addReferences(load, validReferences(mod.data?.references ?? (mod.raw as { references?: unknown } | null)?.references), rel(moduleFile), mod.positionOf);

  const lessons: LessonEntry[] = [];
  const lessonNumbers = new Map<number, string>();
  const lessonSlugs = new Set<string>();
  const assignmentNames: string[] = [];
  for (const f of await listDir(moduleDir)) {
    const abs = path.join(moduleDir, f.name);
    if (f.isDir) continue;
    if (f.name === "module.yaml") continue;
    if (isAssignmentFile(f.name)) {
      assignmentNames.push(f.name);
      continue;
    }
    if (f.name === "quiz.yaml") {
      const text = (await readText(abs)) ?? "";
      load.versionParts.push(text);
      found.quizFiles.push({ file: abs, text, moduleSlug: slug });
      continue;
    }
    if (f.name.endsWith(".case.yaml")) {
      const text = (await readText(abs)) ?? "";
      load.versionParts.push(text);
      found.caseFiles.push({ file: abs, name: f.name, text, moduleSlug: slug });
      continue;
    }
    const name = lessonFileName(load, abs, f.name, lessonNumbers, lessonSlugs);
    if (!name) continue;
    const { lesson, lessonFile } = await readLesson(load, abs, name.number, name.slug);
    lessons.push(lesson);
    if (lessonFile) found.lessonFiles.push(lessonFile);
  }
  if (!lessons.length) load.problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: "this module has no lessons (NN.slug.mdx)" });
  lessons.sort((a, b) => a.number - b.number);
  const assignments = await attachAssignments(moduleDir, assignmentNames, lessons);
  load.problems.push(...assignments.problems);
  load.versionParts.push(...assignments.texts);
  return {
    slug,
    number,
    dir: rel(moduleDir),
    title: mod.data?.title ?? slug,
    summary: mod.data?.summary ?? "",
    objectives: mod.data?.objectives ?? [],
    lessons,
    quiz: null,
    cases: [], // filled in by readCases
  };
}

/**
 * The number and slug of a lesson file named NN.slug.mdx; null when the file is
 * not a lesson (other files get a warning, dotfiles nothing) or its name will not do.
 */
function lessonFileName(
  load: CourseLoad,
  abs: string,
  name: string,
  numbersSeen: Map<number, string>,
  slugsSeen: Set<string>,
): { number: number; slug: string } | null {
  if (!name.endsWith(".mdx")) {
    if (!name.startsWith(".")) load.problems.push({ file: rel(abs), line: 1, col: 1, severity: "warning", message: "ignored: modules hold module.yaml, quiz.yaml, NN.slug.mdx lessons and NN.slug.case.yaml cases" });
    return null;
  }
  const match = NUMBERED_LESSON.exec(name);
  if (!match) {
    load.problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: "lesson files are named NN.slug.mdx (e.g. 01.bioavailability.mdx)" });
    return null;
  }
  const number = Number(match[1]);
  const slug = match[2]!;
  if (slug === "quiz") {
    load.problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `"quiz" is the address of the module quiz; choose another lesson slug` });
    return null;
  }
  if (numbersSeen.has(number)) {
    load.problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `lesson number ${match[1]} is also used by ${numbersSeen.get(number)}` });
  }
  if (slugsSeen.has(slug)) load.problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `duplicate lesson slug "${slug}" in this module` });
  numbersSeen.set(number, name);
  slugsSeen.add(slug);
  return { number, slug };
}

/**
 * Compiles one lesson into its catalog entry, reusing the cached compile while the
 * file's text is unchanged. `lessonFile` is null when the lesson did not compile.
 */
async function readLesson(load: CourseLoad, abs: string, number: number, slug: string): Promise<{ lesson: LessonEntry; lessonFile: LessonFile | null }> {
  const source = (await readText(abs)) ?? "";
  load.versionParts.push(source);
  const hash = sha(source);
  let compiled = load.cache.get(abs);
  if (!compiled || compiled.hash !== hash) {
    compiled = { hash, result: await compileLesson(rel(abs), source) };
    load.cache.set(abs, compiled);
  }
  load.problems.push(...compiled.result.problems);
  const c = compiled.result.lesson;
  const fm = c?.frontmatter;
  const knowledgeChecks = c?.uses.filter((u) => u.name === "KnowledgeCheck").length ?? 0;
  const reflections = c?.uses.filter((u) => u.name === "Reflection").map((u) => String(u.attrs.id)) ?? [];
  const estimatedMinutes = c
    ? c.wordCount / WORDS_PER_MINUTE + knowledgeChecks * MINUTES_PER_KNOWLEDGE_CHECK + reflections.length * MINUTES_PER_REFLECTION
    : 0;
  const lesson: LessonEntry = {
    slug,
    number,
    file: rel(abs),
    title: fm?.title ?? slug,
    minutes: fm?.minutes ?? 0,
    objectives: fm?.objectives ?? [],
    references: [], // filled in by checkLesson, once every module's references are known
    draft: fm?.draft ?? false,
    wordCount: c?.wordCount ?? 0,
    estimatedMinutes: Math.round(estimatedMinutes * 10) / 10,
    hash,
    toc: c?.toc ?? [],
    code: c?.code ?? null,
    reflections,
    minimumSeconds: 0, // set by loadCourse from the course's creditPolicy and the lesson's minimumMinutes
    reviewBy: fm?.reviewBy ?? null,
    recheck: fm?.recheck ?? null,
  };
  return { lesson, lessonFile: c ? { lesson, compiled: c, file: rel(abs), source } : null };
}

/**
 * Checks a compiled lesson against the whole course: its references and citations
 * resolve (and fills in lesson.references), reflection ids are unique, figures
 * exist, and its declared minutes are near what its content supports.
 */
async function checkLesson(load: CourseLoad, { lesson, compiled, file, source }: LessonFile): Promise<void> {
  const listed = compiled.frontmatter.references;
  for (const id of listed) {
    const ref = load.references.get(id);
    if (!ref) load.problems.push({ file, line: keyLine(source, "references"), col: 1, severity: "error", message: `references: "${id}" is not defined in course.yaml or any module.yaml references` });
    else lesson.references.push(ref);
  }
  const seenReflections = new Set<string>();
  for (const use of compiled.uses) {
    if (use.name === "Cite") {
      const id = String(use.attrs.id);
      if (!load.references.has(id)) load.problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Cite id="${id}">: no such reference in course.yaml or module.yaml references` });
      else if (!listed.includes(id)) load.problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Cite id="${id}">: add "${id}" to this lesson's frontmatter references` });
    }
    if (use.name === "Reflection") {
      const id = String(use.attrs.id);
      if (seenReflections.has(id)) load.problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Reflection id="${id}">: the id is used twice in this lesson` });
      seenReflections.add(id);
    }
    if (use.name === "Figure" && typeof use.attrs.src === "string") {
      const src = use.attrs.src;
      const target = path.resolve(load.dir, "assets", src);
      if (src.includes("..") || path.isAbsolute(src) || /^[a-z]+:/i.test(src)) {
        load.problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Figure>: src must be a path inside the course's assets/ folder, e.g. images/chart.svg` });
      } else if (!(await exists(target))) {
        load.problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Figure>: assets/${src} does not exist` });
      }
    }
  }
  const minimum = compiled.frontmatter.minimumMinutes;
  if (minimum !== undefined && minimum > lesson.minutes) {
    load.problems.push({ file, line: keyLine(source, "minimumMinutes"), col: 1, severity: "error", message: `minimumMinutes: ${minimum} is more than the lesson's ${lesson.minutes} minutes` });
  }
  const ratio = lesson.minutes / Math.max(lesson.estimatedMinutes, 0.1);
  if (lesson.minutes && (ratio > 2 || ratio < 0.5) && Math.abs(lesson.minutes - lesson.estimatedMinutes) > 5) {
    load.problems.push({ file, line: keyLine(source, "minutes"), col: 1, severity: "warning", message: `minutes: ${lesson.minutes} is far from the ${lesson.estimatedMinutes} minutes its content supports (${lesson.wordCount} words at ${WORDS_PER_MINUTE} per minute plus activities)` });
  }
}

/**
 * Every module is tested: by its own quiz.yaml, or by a later module's quiz (a
 * post-test) with items that send learners back to its lessons (`lesson:
 * module/lesson`).
 */
function checkEveryModuleTested(load: CourseLoad, modules: ModuleEntry[], quizFiles: QuizFile[], quizzes: Record<string, QuizBank>, courseId: string | null): void {
  modules.forEach((m, i) => {
    if (quizFiles.some((q) => q.moduleSlug === m.slug)) return;
    const later = modules.slice(i + 1).flatMap((l) => (courseId ? (quizzes[`${courseId}/${l.slug}`]?.questions ?? []) : []));
    if (later.some((q) => q.lesson.startsWith(`${m.slug}/`))) return;
    load.problems.push({ file: m.dir, line: 1, col: 1, severity: "error", message: "this module has no quiz.yaml, and no later module's quiz has items on its lessons (every module is tested: by its own quiz, or by a post-test item with lesson: module/lesson)" });
  });
}

/**
 * Checks a module's quiz.yaml and, when it and course.yaml are valid, gives the
 * module its quiz summary and files the bank (with its answer keys) in `quizzes`;
 * the bank is returned, with its YAML positions, for the item-writing rules.
 */
function readQuiz(load: CourseLoad, { file, text, moduleSlug }: QuizFile, modules: ModuleEntry[], course: CourseYaml | null, quizzes: Record<string, QuizBank>): RuleBank | null {
  const qFile = rel(file);
  const parsed = parseYaml(qFile, text, quizSchema);
  load.problems.push(...parsed.problems);
  const mod = modules.find((m) => m.slug === moduleSlug);
  checkQuizQuestions(load, qFile, parsed.raw, parsed.positionOf, { objectives: course?.objectives.map((o) => o.id) ?? null, lessons: [...(mod?.lessons.map((l) => l.slug) ?? []), ...modules.flatMap((m) => m.lessons.map((l) => `${m.slug}/${l.slug}`))] });
  if (!parsed.data || course === null) return null;
  const courseId = course.id;
  const bank = parsed.data;
  const draw = bank.draw ?? bank.questions.length;
  const hash = sha(text);
  if (mod) {
    const covers = [...new Set(bank.questions.map((q) => q.lesson.split("/")).filter((parts) => parts.length === 2).map(([m]) => m!))].filter((m) => m !== moduleSlug && modules.some((x) => x.slug === m));
    mod.quiz = { file: qFile, questionCount: bank.questions.length, draw: Math.min(draw, bank.questions.length), trueFalseCount: bank.questions.filter((q) => q.type === "true-false").length, hash, covers };
    quizzes[`${courseId}/${moduleSlug}`] = { ...bank, courseId, moduleSlug, hash, file: qFile };
  }
  return mod ? { file: qFile, moduleDir: path.basename(path.dirname(file)), quiz: bank, positionOf: parsed.positionOf } : null;
}

/** What the item-writing rules read of a lesson: its source (for the prose) and its well-formed knowledge checks. */
function ruleLesson({ file, source, compiled }: LessonFile): RuleLesson {
  const checks = compiled.uses.flatMap((u) => {
    const { question, options, answer } = u.attrs;
    if (u.name !== "KnowledgeCheck" || typeof question !== "string" || !Array.isArray(options) || typeof answer !== "number") return [];
    return [{ line: u.line, col: u.col, question, options: options.map(String), answer }];
  });
  return { file, source, checks };
}

/**
 * Checks a quiz bank's questions beyond its schema: ids are unique, keys point at
 * options, sources resolve, and draw fits the bank. Every question that is
 * well-formed on its own is checked, even when another is not.
 */
function checkQuizQuestions(load: CourseLoad, qFile: string, raw: unknown, positionOf: PositionOf, known: { objectives: string[] | null; lessons: string[] }): void {
  const rawQuestions = ((raw as { questions?: unknown } | null)?.questions ?? []) as unknown[];
  const questions = Array.isArray(rawQuestions)
    ? rawQuestions.flatMap((item, i) => {
        const q = quizQuestionSchema.safeParse(item);
        return q.success ? [{ i, q: q.data }] : [];
      })
    : [];
  const ids = new Set<string>();
  for (const { i, q } of questions) {
    const at = (p: Array<string | number>) => positionOf(["questions", i, ...p]);
    if (ids.has(q.id)) load.problems.push({ file: qFile, ...at(["id"]), severity: "error", message: `questions[${i}].id: duplicate question id "${q.id}"` });
    ids.add(q.id);
    if (q.type !== "true-false") checkQuestionOptions(load, qFile, i, q, at);
    if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(q.source) && !load.references.has(q.source)) {
      load.problems.push({ file: qFile, ...at(["source"]), severity: "error", message: `questions[${i}].source: "${q.source}" is not a reference id in course.yaml or module.yaml` });
    }
    if (known.objectives && !known.objectives.includes(q.objective)) {
      load.problems.push({ file: qFile, ...at(["objective"]), severity: "error", message: `questions[${i}].objective: "${q.objective}" is not an objective id in course.yaml (${known.objectives.join(", ")})` });
    }
    if (!known.lessons.includes(q.lesson)) {
      const local = known.lessons.filter((l) => !l.includes("/"));
      load.problems.push({ file: qFile, ...at(["lesson"]), severity: "error", message: `questions[${i}].lesson: "${q.lesson}" is not a lesson of this module (${local.join(", ")}) nor, as module/lesson, of another module` });
    }
  }
  const rawDraw = (raw as { draw?: unknown } | null)?.draw;
  if (typeof rawDraw === "number" && Array.isArray(rawQuestions) && rawDraw > rawQuestions.length) {
    load.problems.push({ file: qFile, ...positionOf(["draw"]), severity: "error", message: `draw: ${rawDraw} questions per attempt, but the bank has only ${rawQuestions.length}` });
  }
}

/** A choice question's option ids are unique, its answers name options, and it has the right number of them. */
function checkQuestionOptions(load: CourseLoad, qFile: string, i: number, q: Exclude<QuizQuestion, { type: "true-false" }>, at: PositionOf): void {
  const optionIds = new Set<string>();
  q.options.forEach((o, j) => {
    if (optionIds.has(o.id)) load.problems.push({ file: qFile, ...at(["options", j, "id"]), severity: "error", message: `questions[${i}].options[${j}].id: duplicate option id "${o.id}"` });
    optionIds.add(o.id);
  });
  const unknown = q.answer.filter((a) => !optionIds.has(a));
  for (const a of unknown) {
    load.problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}].answer: "${a}" points at no option (options: ${[...optionIds].join(", ")})` });
  }
  const correct = new Set(q.answer).size;
  if (q.type === "single" && correct !== 1) {
    load.problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}] ("${q.id}"): a single-choice question needs exactly one correct option, not ${correct}` });
  }
  if (q.type === "multiple" && correct < 1) {
    load.problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}] ("${q.id}"): a multiple-choice question needs at least one correct option` });
  }
}

/**
 * Each lesson's minimum credited time: its own minimumMinutes, or the course's
 * lessonMinimum share of its declared minutes (the estimate learners are shown).
 */
function setLessonMinimums(policy: CourseYaml["creditPolicy"], lessonFiles: LessonFile[]): void {
  for (const { lesson, compiled } of lessonFiles) {
    const minutes = compiled.frontmatter.minimumMinutes ?? lesson.minutes * policy.lessonMinimum;
    lesson.minimumSeconds = Math.round(minutes * 60);
  }
}

/** Reads and checks the course's evaluation.yaml (APA's required questions, unique ids); null when missing or invalid. */
async function readEvaluation(load: CourseLoad): Promise<EvaluationYaml | null> {
  const evaluationFile = path.join(load.dir, "evaluation.yaml");
  const evaluationText = await readText(evaluationFile);
  if (evaluationText === null) {
    load.problems.push({ file: rel(load.dir), line: 1, col: 1, severity: "error", message: "a course needs an evaluation.yaml (the course evaluation form)" });
    return null;
  }
  load.versionParts.push(evaluationText);
  const parsed = parseYaml(rel(evaluationFile), evaluationText, evaluationSchema);
  load.problems.push(...parsed.problems);
  if (!parsed.data) return null;
  const kinds = parsed.data.questions.map((q) => q.kind);
  for (const required of ["apa-learned", "apa-useful"] as const) {
    if (!kinds.includes(required)) {
      load.problems.push({ file: rel(evaluationFile), ...parsed.positionOf(["questions"]), severity: "error", message: `questions: add APA's required question (kind: ${required})` });
    }
  }
  const seen = new Set<string>();
  parsed.data.questions.forEach((q, i) => {
    if (seen.has(q.id)) load.problems.push({ file: rel(evaluationFile), ...parsed.positionOf(["questions", i, "id"]), severity: "error", message: `questions[${i}].id: duplicate id "${q.id}"` });
    seen.add(q.id);
  });
  return parsed.data;
}

/** The time the course's content supports (reading, activities, quizzes, evaluation), and so the CE hours it can honestly claim. */
function estimateCourse(modules: ModuleEntry[], lessonFiles: LessonFile[]): CourseEstimate {
  const readingMinutes = modules.flatMap((m) => m.lessons).reduce((s, l) => s + l.wordCount / WORDS_PER_MINUTE, 0);
  const activityMinutes = lessonFiles.reduce((s, { compiled }) => s + compiled.uses.filter((u) => u.name === "KnowledgeCheck").length * MINUTES_PER_KNOWLEDGE_CHECK + compiled.uses.filter((u) => u.name === "Reflection").length * MINUTES_PER_REFLECTION, 0);
  const quizMinutes = modules.reduce((s, m) => s + (m.quiz?.draw ?? 0) * MINUTES_PER_QUIZ_QUESTION, 0);
  const cases = caseMinutes(modules);
  const totalMinutes = readingMinutes + activityMinutes + quizMinutes + cases + EVALUATION_MINUTES;
  return {
    readingMinutes: Math.round(readingMinutes),
    activityMinutes,
    quizMinutes,
    caseMinutes: cases,
    evaluationMinutes: EVALUATION_MINUTES,
    totalMinutes: Math.round(totalMinutes),
    supportedHours: Math.floor((totalMinutes / 60) * 4) / 4,
  };
}

/**
 * Time on task is measured on lessons and cases (a case credits at most its
 * best-path estimate), so the course's minimum must fit within the minutes the
 * lessons declare plus what the cases support: otherwise a learner working at
 * the pace the course states could never attest.
 */
function checkTimeOnTask(load: CourseLoad, c: CourseYaml, raw: unknown, courseRel: string, positionOf: PositionOf, modules: ModuleEntry[]): void {
  const lessonMinutes = modules.flatMap((m) => m.lessons.filter((l) => !l.draft)).reduce((s, l) => s + l.minutes, 0);
  const caseMinutes = Math.floor(modules.flatMap((m) => m.cases).reduce((s, k) => s + k.estimatedMinutes, 0));
  const required = Math.ceil(c.ceHours * 60 * c.creditPolicy.courseMinimum);
  if (lessonMinutes > 0 && required > lessonMinutes + caseMinutes) {
    // At courseMinimum when it is written, else at ceHours (the default share applies).
    const written = (raw as { creditPolicy?: { courseMinimum?: unknown } } | null)?.creditPolicy?.courseMinimum !== undefined;
    load.problems.push({ file: courseRel, ...positionOf(written ? ["creditPolicy", "courseMinimum"] : ["ceHours"]), severity: "error", message: `creditPolicy.courseMinimum: ${c.creditPolicy.courseMinimum} of ${c.ceHours} CE hours needs ${required} minutes of ${caseMinutes ? "lesson and case" : "lesson"} time, but the lessons declare ${lessonMinutes} minutes${caseMinutes ? ` and the cases support ${caseMinutes}` : ""} in all: lower courseMinimum or check the lessons' minutes` });
  }
}

/** Checks course.yaml's ceHours against the content's estimate and the quiz banks, and each approval's credits against ceHours. */
function checkCredit(load: CourseLoad, c: CourseYaml, courseRel: string, positionOf: PositionOf, estimate: CourseEstimate, quizzes: Record<string, QuizBank>): void {
  const { readingMinutes, activityMinutes, quizMinutes, caseMinutes: cases, totalMinutes, supportedHours } = estimate;
  if (c.ceHours > supportedHours) {
    load.problems.push({
      file: courseRel,
      ...positionOf(["ceHours"]),
      severity: "error",
      message: `ceHours: ${c.ceHours} declared, but the content supports ${supportedHours} (${readingMinutes} min reading at ${WORDS_PER_MINUTE} words/min + ${activityMinutes} min activities + ${quizMinutes} min quizzes${cases ? ` + ${cases} min cases` : ""} + ${EVALUATION_MINUTES} min evaluation = ${totalMinutes} min, rounded down to the quarter hour)`,
    });
  }
  const banks = Object.values(quizzes).filter((q) => q.courseId === c.id);
  const bankSize = banks.reduce((s, q) => s + q.questions.length, 0);
  if (bankSize < c.ceHours * 6) {
    load.problems.push({ file: courseRel, ...positionOf(["ceHours"]), severity: "warning", message: `the quiz banks hold ${bankSize} questions; APA recommends at least 6 per CE hour (${Math.ceil(c.ceHours * 6)} for ${c.ceHours} hours)` });
  }
  const trueFalse = banks.reduce((s, q) => s + q.questions.filter((x) => x.type === "true-false").length, 0);
  const trueFalseLimit = Math.max(1, Math.floor(c.ceHours));
  if (trueFalse > trueFalseLimit) {
    load.problems.push({ file: courseRel, ...positionOf(["ceHours"]), severity: "warning", message: `the quiz banks hold ${trueFalse} true/false questions; keep to about one per CE hour (${trueFalseLimit})` });
  }
  c.approvals.forEach((a, i) => {
    if (a.credits > c.ceHours) load.problems.push({ file: courseRel, ...positionOf(["approvals", i, "credits"]), severity: "error", message: `approvals[${i}].credits: ${a.credits} is more than the course's ceHours (${c.ceHours})` });
  });
}

/** Checks course.yaml's dates: reviewed after release, not expired, and expiring within 3 years of the last review. */
function checkDates(load: CourseLoad, dates: CourseYaml["dates"], courseRel: string, positionOf: PositionOf): void {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const today = day(load.today);
  const { released, lastReviewed, expires } = dates;
  if (day(lastReviewed) < day(released)) {
    load.problems.push({ file: courseRel, ...positionOf(["dates", "lastReviewed"]), severity: "error", message: "dates.lastReviewed: is before dates.released" });
  }
  if (day(expires) < today) {
    load.problems.push({ file: courseRel, ...positionOf(["dates", "expires"]), severity: "error", message: `dates.expires: ${expires} is in the past; review the course and set a new expiry date` });
  }
  const threeYears = new Date(day(lastReviewed));
  threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
  if (day(expires) > threeYears.getTime()) {
    load.problems.push({ file: courseRel, ...positionOf(["dates", "expires"]), severity: "error", message: `dates.expires: ${expires} is more than 3 years after the last review (${lastReviewed}); enduring material must be reviewed at least every 3 years` });
  }
}

/**
 * Review dates (review.ts): a lesson's reviewBy, each approval's period end and
 * the course's expiry warn from REVIEW_WARNING_DAYS before and are errors once
 * passed (the course's own expiry already has its error in checkDates). A course
 * cannot run past an approval, and a lesson's review cannot be due after the
 * course expires. Every lesson that is not a draft must say when it is reviewed.
 */
function checkReviewDates(load: CourseLoad, course: CourseYaml & { modules: ModuleEntry[] }, courseRel: string, positionOf: PositionOf, lessonFiles: LessonFile[]): void {
  const sources = new Map(lessonFiles.map((f) => [f.file, f.source]));
  const lessonLine = (file: string) => ({ line: keyLine(sources.get(file) ?? "", "reviewBy"), col: 1 });
  const { expires } = course.dates;
  course.approvals.forEach((a, i) => {
    const period = parsePeriod(a.period);
    if (!period) {
      load.problems.push({ file: courseRel, ...positionOf(["approvals", i, "period"]), severity: "error", message: `approvals[${i}].period: write it as YYYY-MM-DD to YYYY-MM-DD (got "${a.period}")` });
    } else if (period.end < expires && period.end >= load.today) {
      load.problems.push({ file: courseRel, ...positionOf(["dates", "expires"]), severity: "error", message: `dates.expires: ${expires} is after the end of the ${a.body} approval period (${period.end}); a course cannot offer credit beyond its approval` });
    }
  });
  for (const m of course.modules) {
    for (const l of m.lessons) {
      // A lesson that did not compile (dev only) has no frontmatter to judge: its own errors say enough.
      if (l.draft || l.code === null) continue;
      if (!l.reviewBy) {
        load.problems.push({ file: l.file, line: 1, col: 1, severity: "warning", message: `no reviewBy date: add reviewBy: YYYY-MM-DD (at the latest the course's expiry, ${expires})` });
      } else if (l.reviewBy > expires) {
        load.problems.push({ file: l.file, ...lessonLine(l.file), severity: "error", message: `reviewBy: ${l.reviewBy} is after the course expires (${expires}); review the lesson by then` });
      }
    }
  }
  for (const item of reviewSchedule(course, courseRel, load.today)) {
    if (item.state === "scheduled" || (item.kind === "course" && item.state === "overdue")) continue;
    const where = "lessonKey" in item.at ? lessonLine(item.file) : positionOf(item.at.coursePath);
    const what = item.kind === "lesson" ? "reviewBy" : item.kind === "approval" ? `${item.label} ends` : "dates.expires";
    const recheck = item.recheck ? ` (${item.recheck})` : "";
    const message =
      item.state === "overdue"
        ? `${what}: ${item.date} has passed; ${item.kind === "approval" ? "the course cannot be released with an ended approval" : "re-check this lesson against its sources and set a new date"}${recheck}`
        : `${what}: ${item.date} is due in ${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"}${recheck}`;
    load.problems.push({ file: item.file, ...where, severity: item.state === "overdue" ? "error" : "warning", message });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Line of a top-level frontmatter key (1 when absent). */
function keyLine(source: string, key: string): number {
  const m = new RegExp(`^${key}:`, "m").exec(source);
  return m ? source.slice(0, m.index).split("\n").length : 1;
}

/** The well-formed references of a list that may not have passed its schema. */
function validReferences(list: unknown): Reference[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((r) => {
    const parsed = referenceSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}
