import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { compileLesson, type CompiledLesson, type TocEntry } from "./compile.server.ts";
import {
  EVALUATION_MINUTES,
  MINUTES_PER_KNOWLEDGE_CHECK,
  MINUTES_PER_QUIZ_QUESTION,
  MINUTES_PER_REFLECTION,
  WORDS_PER_MINUTE,
} from "./components.ts";
import { sortProblems, type Problem } from "./problems.ts";
import {
  courseSchema,
  evaluationSchema,
  moduleSchema,
  quizQuestionSchema,
  quizSchema,
  referenceSchema,
  type CourseYaml,
  type EvaluationYaml,
  type QuizYaml,
} from "./schemas.ts";
import { parseYaml } from "./yaml.server.ts";

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
};

export type QuizSummary = { file: string; questionCount: number; draw: number; trueFalseCount: number; hash: string };

export type ModuleEntry = {
  slug: string;
  number: number;
  dir: string;
  title: string;
  summary: string;
  objectives: string[];
  lessons: LessonEntry[];
  quiz: QuizSummary | null;
};

export type CourseEstimate = {
  readingMinutes: number;
  activityMinutes: number;
  quizMinutes: number;
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

export async function loadCatalog(contentDir: string, cache: CompileCache = new Map()): Promise<Catalog> {
  const problems: Problem[] = [];
  const courses: CourseEntry[] = [];
  const quizzes: Record<string, QuizBank> = {};
  const coursesDir = path.join(contentDir, "courses");
  const seenIds = new Map<string, string>();

  for (const entry of await listDir(coursesDir)) {
    if (!entry.isDir) continue;
    const dir = path.join(coursesDir, entry.name);
    const loaded = await loadCourse(dir, cache, quizzes);
    problems.push(...loaded.problems);
    if (!loaded.course) continue;
    const other = seenIds.get(loaded.course.id);
    if (other) {
      problems.push({ file: rel(path.join(dir, "course.yaml")), line: 1, col: 1, severity: "error", message: `course id "${loaded.course.id}" is also used by ${other}` });
      continue;
    }
    seenIds.set(loaded.course.id, rel(path.join(dir, "course.yaml")));
    courses.push(loaded.course);
  }
  return { contentDir: rel(contentDir) || ".", builtAt: new Date().toISOString(), courses, quizzes, problems: sortProblems(problems) };
}

async function loadCourse(
  dir: string,
  cache: CompileCache,
  quizzes: Record<string, QuizBank>,
): Promise<{ course: CourseEntry | null; problems: Problem[] }> {
  const problems: Problem[] = [];
  const courseFile = path.join(dir, "course.yaml");
  const courseText = await readText(courseFile);
  if (courseText === null) {
    return { course: null, problems: [{ file: rel(dir), line: 1, col: 1, severity: "error", message: "a course folder needs a course.yaml" }] };
  }
  const course = parseYaml(rel(courseFile), courseText, courseSchema);
  problems.push(...course.problems);
  const versionParts = [courseText];

  // References: course-wide, plus each module's; ids unique across the course.
  const references = new Map<string, Reference>();
  const addReferences = (list: Reference[], file: string, at: (p: Array<string | number>) => { line: number; col: number }) => {
    list.forEach((r, i) => {
      if (references.has(r.id)) {
        problems.push({ file, ...at(["references", i, "id"]), severity: "error", message: `duplicate reference id "${r.id}" (reference ids are unique across the course)` });
      } else references.set(r.id, r);
    });
  };
  addReferences(validReferences(course.data?.references ?? (course.raw as { references?: unknown } | null)?.references), rel(courseFile), course.positionOf);

  const modules: ModuleEntry[] = [];
  const lessonUses: Array<{ lesson: LessonEntry; compiled: CompiledLesson; file: string; source: string }> = [];
  const moduleNumbers = new Map<number, string>();
  const quizFiles: Array<{ file: string; text: string; moduleSlug: string }> = [];

  for (const entry of await listDir(dir)) {
    if (!entry.isDir) continue;
    if (entry.name === "assets") continue;
    const match = NUMBERED_DIR.exec(entry.name);
    const moduleDir = path.join(dir, entry.name);
    if (!match) {
      problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `module folders are named NN.slug (e.g. 01.pharmacology); "${entry.name}" is not` });
      continue;
    }
    const number = Number(match[1]);
    const slug = match[2]!;
    if (RESERVED_MODULE_SLUGS.has(slug)) {
      problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `"${slug}" is a reserved address in a course; choose another module slug` });
      continue;
    }
    if (moduleNumbers.has(number)) {
      problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: `module number ${match[1]} is also used by ${moduleNumbers.get(number)}` });
    }
    moduleNumbers.set(number, entry.name);
    const moduleFile = path.join(moduleDir, "module.yaml");
    const moduleText = await readText(moduleFile);
    if (moduleText === null) {
      problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: "a module folder needs a module.yaml" });
      continue;
    }
    versionParts.push(moduleText);
    const mod = parseYaml(rel(moduleFile), moduleText, moduleSchema);
    problems.push(...mod.problems);
    addReferences(validReferences(mod.data?.references ?? (mod.raw as { references?: unknown } | null)?.references), rel(moduleFile), mod.positionOf);

    const lessons: LessonEntry[] = [];
    const lessonNumbers = new Map<number, string>();
    const slugs = new Set<string>();
    for (const f of await listDir(moduleDir)) {
      const abs = path.join(moduleDir, f.name);
      if (f.isDir) continue;
      if (f.name === "module.yaml") continue;
      if (f.name === "quiz.yaml") {
        const text = (await readText(abs)) ?? "";
        versionParts.push(text);
        quizFiles.push({ file: abs, text, moduleSlug: slug });
        continue;
      }
      if (!f.name.endsWith(".mdx")) {
        if (!f.name.startsWith(".")) problems.push({ file: rel(abs), line: 1, col: 1, severity: "warning", message: "ignored: modules hold module.yaml, quiz.yaml and NN.slug.mdx lessons" });
        continue;
      }
      const lm = NUMBERED_LESSON.exec(f.name);
      if (!lm) {
        problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: "lesson files are named NN.slug.mdx (e.g. 01.bioavailability.mdx)" });
        continue;
      }
      const lessonNumber = Number(lm[1]);
      const lessonSlug = lm[2]!;
      if (lessonSlug === "quiz") {
        problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `"quiz" is the address of the module quiz; choose another lesson slug` });
        continue;
      }
      if (lessonNumbers.has(lessonNumber)) {
        problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `lesson number ${lm[1]} is also used by ${lessonNumbers.get(lessonNumber)}` });
      }
      if (slugs.has(lessonSlug)) problems.push({ file: rel(abs), line: 1, col: 1, severity: "error", message: `duplicate lesson slug "${lessonSlug}" in this module` });
      lessonNumbers.set(lessonNumber, f.name);
      slugs.add(lessonSlug);

      const source = (await readText(abs)) ?? "";
      versionParts.push(source);
      const hash = sha(source);
      let compiled = cache.get(abs);
      if (!compiled || compiled.hash !== hash) {
        compiled = { hash, result: await compileLesson(rel(abs), source) };
        cache.set(abs, compiled);
      }
      problems.push(...compiled.result.problems);
      const c = compiled.result.lesson;
      const fm = c?.frontmatter;
      const knowledgeChecks = c?.uses.filter((u) => u.name === "KnowledgeCheck").length ?? 0;
      const reflections = c?.uses.filter((u) => u.name === "Reflection").map((u) => String(u.attrs.id)) ?? [];
      const estimatedMinutes = c
        ? c.wordCount / WORDS_PER_MINUTE + knowledgeChecks * MINUTES_PER_KNOWLEDGE_CHECK + reflections.length * MINUTES_PER_REFLECTION
        : 0;
      const lesson: LessonEntry = {
        slug: lessonSlug,
        number: lessonNumber,
        file: rel(abs),
        title: fm?.title ?? lessonSlug,
        minutes: fm?.minutes ?? 0,
        objectives: fm?.objectives ?? [],
        references: [],
        draft: fm?.draft ?? false,
        wordCount: c?.wordCount ?? 0,
        estimatedMinutes: Math.round(estimatedMinutes * 10) / 10,
        hash,
        toc: c?.toc ?? [],
        code: c?.code ?? null,
        reflections,
      };
      lessons.push(lesson);
      if (c) lessonUses.push({ lesson, compiled: c, file: rel(abs), source });
    }
    if (!lessons.length) problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: "this module has no lessons (NN.slug.mdx)" });
    if (!quizFiles.some((q) => q.moduleSlug === slug)) {
      problems.push({ file: rel(moduleDir), line: 1, col: 1, severity: "error", message: "this module has no quiz.yaml (every module ends with a graded quiz)" });
    }
    lessons.sort((a, b) => a.number - b.number);
    modules.push({
      slug,
      number,
      dir: rel(moduleDir),
      title: mod.data?.title ?? slug,
      summary: mod.data?.summary ?? "",
      objectives: mod.data?.objectives ?? [],
      lessons,
      quiz: null,
    });
  }
  modules.sort((a, b) => a.number - b.number);

  // Lessons: references and citations resolve; reflection ids are unique; figures exist.
  for (const { lesson, compiled, file, source } of lessonUses) {
    const listed = compiled.frontmatter.references;
    for (const id of listed) {
      const ref = references.get(id);
      if (!ref) problems.push({ file, line: keyLine(source, "references"), col: 1, severity: "error", message: `references: "${id}" is not defined in course.yaml or any module.yaml references` });
      else lesson.references.push(ref);
    }
    const seenReflections = new Set<string>();
    for (const use of compiled.uses) {
      if (use.name === "Cite") {
        const id = String(use.attrs.id);
        if (!references.has(id)) problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Cite id="${id}">: no such reference in course.yaml or module.yaml references` });
        else if (!listed.includes(id)) problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Cite id="${id}">: add "${id}" to this lesson's frontmatter references` });
      }
      if (use.name === "Reflection") {
        const id = String(use.attrs.id);
        if (seenReflections.has(id)) problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Reflection id="${id}">: the id is used twice in this lesson` });
        seenReflections.add(id);
      }
      if (use.name === "Figure" && typeof use.attrs.src === "string") {
        const src = use.attrs.src;
        const target = path.resolve(dir, "assets", src);
        if (src.includes("..") || path.isAbsolute(src) || /^[a-z]+:/i.test(src)) {
          problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Figure>: src must be a path inside the course's assets/ folder, e.g. images/chart.svg` });
        } else if (!(await exists(target))) {
          problems.push({ file, line: use.line, col: use.col, severity: "error", message: `<Figure>: assets/${src} does not exist` });
        }
      }
    }
    const ratio = lesson.minutes / Math.max(lesson.estimatedMinutes, 0.1);
    if (lesson.minutes && (ratio > 2 || ratio < 0.5) && Math.abs(lesson.minutes - lesson.estimatedMinutes) > 5) {
      problems.push({ file, line: keyLine(source, "minutes"), col: 1, severity: "warning", message: `minutes: ${lesson.minutes} is far from the ${lesson.estimatedMinutes} minutes its content supports (${lesson.wordCount} words at ${WORDS_PER_MINUTE} per minute plus activities)` });
    }
  }

  // Quizzes: keys point at options, ids are unique, sources resolve.
  for (const { file, text, moduleSlug } of quizFiles) {
    const parsed = parseYaml(rel(file), text, quizSchema);
    problems.push(...parsed.problems);
    const qFile = rel(file);
    // Check every question that is well-formed on its own, even when another is not.
    const rawQuestions = ((parsed.raw as { questions?: unknown } | null)?.questions ?? []) as unknown[];
    const questions = Array.isArray(rawQuestions)
      ? rawQuestions.flatMap((raw, i) => {
          const q = quizQuestionSchema.safeParse(raw);
          return q.success ? [{ i, q: q.data }] : [];
        })
      : [];
    const ids = new Set<string>();
    for (const { i, q } of questions) {
      const at = (p: Array<string | number>) => parsed.positionOf(["questions", i, ...p]);
      if (ids.has(q.id)) problems.push({ file: qFile, ...at(["id"]), severity: "error", message: `questions[${i}].id: duplicate question id "${q.id}"` });
      ids.add(q.id);
      if (q.type !== "true-false") {
        const optionIds = new Set<string>();
        q.options.forEach((o, j) => {
          if (optionIds.has(o.id)) problems.push({ file: qFile, ...at(["options", j, "id"]), severity: "error", message: `questions[${i}].options[${j}].id: duplicate option id "${o.id}"` });
          optionIds.add(o.id);
        });
        const unknown = q.answer.filter((a) => !optionIds.has(a));
        for (const a of unknown) {
          problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}].answer: "${a}" points at no option (options: ${[...optionIds].join(", ")})` });
        }
        const correct = new Set(q.answer).size;
        if (q.type === "single" && correct !== 1) {
          problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}] ("${q.id}"): a single-choice question needs exactly one correct option, not ${correct}` });
        }
        if (q.type === "multiple" && correct < 1) {
          problems.push({ file: qFile, ...at(["answer"]), severity: "error", message: `questions[${i}] ("${q.id}"): a multiple-choice question needs at least one correct option` });
        }
      }
      if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(q.source) && !references.has(q.source)) {
        problems.push({ file: qFile, ...at(["source"]), severity: "error", message: `questions[${i}].source: "${q.source}" is not a reference id in course.yaml or module.yaml` });
      }
    }
    const rawDraw = (parsed.raw as { draw?: unknown } | null)?.draw;
    if (typeof rawDraw === "number" && Array.isArray(rawQuestions) && rawDraw > rawQuestions.length) {
      problems.push({ file: qFile, ...parsed.positionOf(["draw"]), severity: "error", message: `draw: ${rawDraw} questions per attempt, but the bank has only ${rawQuestions.length}` });
    }
    if (!parsed.data || !course.data) continue;
    const bank = parsed.data;
    const draw = bank.draw ?? bank.questions.length;
    const hash = sha(text);
    const mod = modules.find((m) => m.slug === moduleSlug);
    if (mod) {
      mod.quiz = { file: qFile, questionCount: bank.questions.length, draw: Math.min(draw, bank.questions.length), trueFalseCount: bank.questions.filter((q) => q.type === "true-false").length, hash };
      quizzes[`${course.data.id}/${moduleSlug}`] = { ...bank, courseId: course.data.id, moduleSlug, hash, file: qFile };
    }
  }

  // Evaluation form.
  const evaluationFile = path.join(dir, "evaluation.yaml");
  const evaluationText = await readText(evaluationFile);
  let evaluation: EvaluationYaml | null = null;
  if (evaluationText === null) {
    problems.push({ file: rel(dir), line: 1, col: 1, severity: "error", message: "a course needs an evaluation.yaml (the course evaluation form)" });
  } else {
    versionParts.push(evaluationText);
    const parsed = parseYaml(rel(evaluationFile), evaluationText, evaluationSchema);
    problems.push(...parsed.problems);
    if (parsed.data) {
      evaluation = parsed.data;
      const kinds = parsed.data.questions.map((q) => q.kind);
      for (const required of ["apa-learned", "apa-useful"] as const) {
        if (!kinds.includes(required)) {
          problems.push({ file: rel(evaluationFile), ...parsed.positionOf(["questions"]), severity: "error", message: `questions: add APA's required question (kind: ${required})` });
        }
      }
      const seen = new Set<string>();
      parsed.data.questions.forEach((q, i) => {
        if (seen.has(q.id)) problems.push({ file: rel(evaluationFile), ...parsed.positionOf(["questions", i, "id"]), severity: "error", message: `questions[${i}].id: duplicate id "${q.id}"` });
        seen.add(q.id);
      });
    }
  }

  if (!course.data) return { course: null, problems };
  const c = course.data;
  const courseRel = rel(courseFile);

  // Time the content supports, and the credit it can honestly claim.
  const lessonsAll = modules.flatMap((m) => m.lessons);
  const readingMinutes = lessonsAll.reduce((s, l) => s + l.wordCount / WORDS_PER_MINUTE, 0);
  const activityMinutes = lessonUses.reduce((s, { compiled }) => s + compiled.uses.filter((u) => u.name === "KnowledgeCheck").length * MINUTES_PER_KNOWLEDGE_CHECK + compiled.uses.filter((u) => u.name === "Reflection").length * MINUTES_PER_REFLECTION, 0);
  const quizMinutes = modules.reduce((s, m) => s + (m.quiz?.draw ?? 0) * MINUTES_PER_QUIZ_QUESTION, 0);
  const totalMinutes = readingMinutes + activityMinutes + quizMinutes + EVALUATION_MINUTES;
  const supportedHours = Math.floor((totalMinutes / 60) * 4) / 4;
  const estimate: CourseEstimate = {
    readingMinutes: Math.round(readingMinutes),
    activityMinutes,
    quizMinutes,
    evaluationMinutes: EVALUATION_MINUTES,
    totalMinutes: Math.round(totalMinutes),
    supportedHours,
  };
  if (c.ceHours > supportedHours) {
    problems.push({
      file: courseRel,
      ...course.positionOf(["ceHours"]),
      severity: "error",
      message: `ceHours: ${c.ceHours} declared, but the content supports ${supportedHours} (${Math.round(readingMinutes)} min reading at ${WORDS_PER_MINUTE} words/min + ${activityMinutes} min activities + ${quizMinutes} min quizzes + ${EVALUATION_MINUTES} min evaluation = ${Math.round(totalMinutes)} min, rounded down to the quarter hour)`,
    });
  }
  const bankSize = Object.values(quizzes).filter((q) => q.courseId === c.id).reduce((s, q) => s + q.questions.length, 0);
  if (bankSize < c.ceHours * 6) {
    problems.push({ file: courseRel, ...course.positionOf(["ceHours"]), severity: "warning", message: `the quiz banks hold ${bankSize} questions; APA recommends at least 6 per CE hour (${Math.ceil(c.ceHours * 6)} for ${c.ceHours} hours)` });
  }
  const trueFalse = Object.values(quizzes).filter((q) => q.courseId === c.id).reduce((s, q) => s + q.questions.filter((x) => x.type === "true-false").length, 0);
  if (trueFalse > Math.max(1, Math.floor(c.ceHours))) {
    problems.push({ file: courseRel, ...course.positionOf(["ceHours"]), severity: "warning", message: `the quiz banks hold ${trueFalse} true/false questions; keep to about one per CE hour (${Math.floor(c.ceHours)})` });
  }
  c.approvals.forEach((a, i) => {
    if (a.credits > c.ceHours) problems.push({ file: courseRel, ...course.positionOf(["approvals", i, "credits"]), severity: "error", message: `approvals[${i}].credits: ${a.credits} is more than the course's ceHours (${c.ceHours})` });
  });

  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const today = day(new Date().toISOString().slice(0, 10));
  const { released, lastReviewed, expires } = c.dates;
  if (day(lastReviewed) < day(released)) {
    problems.push({ file: courseRel, ...course.positionOf(["dates", "lastReviewed"]), severity: "error", message: "dates.lastReviewed: is before dates.released" });
  }
  if (day(expires) < today) {
    problems.push({ file: courseRel, ...course.positionOf(["dates", "expires"]), severity: "error", message: `dates.expires: ${expires} is in the past; review the course and set a new expiry date` });
  }
  const threeYears = new Date(day(lastReviewed));
  threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
  if (day(expires) > threeYears.getTime()) {
    problems.push({ file: courseRel, ...course.positionOf(["dates", "expires"]), severity: "error", message: `dates.expires: ${expires} is more than 3 years after the last review (${lastReviewed}); enduring material must be reviewed at least every 3 years` });
  }

  const { references: _refs, ...rest } = c;
  return {
    course: {
      ...rest,
      dir: rel(dir),
      references: [...references.values()],
      modules,
      evaluation,
      estimate,
      version: sha(versionParts.join("\u0000")).slice(0, 16),
    },
    problems,
  };
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
