import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "#app/env.server.ts";
import { loadCatalog, type Catalog, type CompileCache, type CourseEntry, type LessonEntry, type ModuleEntry, type QuizBank } from "./load.server.ts";
import { formatProblem } from "./problems.ts";

/**
 * The compiled course catalog the routes read. In production it is loaded
 * once from the build artefact (build/content/catalog.json, written by
 * `npm run build`), so no lesson is compiled per request. In development the
 * content folder is compiled on first use and watched: saving a file
 * recompiles only what changed and tells open pages to reload.
 */

export const CATALOG_ARTEFACT = path.resolve("build/content/catalog.json");

type State = { catalog: Promise<Catalog>; cache: CompileCache; watcher?: fs.FSWatcher; version: number };
const globalState = globalThis as unknown as { __kapCatalog?: State };

/** Change notifications for live reload (development only). */
export const contentEvents: EventEmitter = ((globalThis as unknown as { __kapContentEvents?: EventEmitter }).__kapContentEvents ??= new EventEmitter().setMaxListeners(1000));

function contentDir(): string {
  return path.resolve(getEnv().CONTENT_DIR);
}

function fromArtefact(): Catalog | null {
  try {
    const catalog = JSON.parse(fs.readFileSync(CATALOG_ARTEFACT, "utf8")) as Catalog;
    if (path.resolve(catalog.contentDir) !== contentDir()) return null;
    return catalog;
  } catch {
    return null;
  }
}

export function getCatalog(): Promise<Catalog> {
  if (globalState.__kapCatalog) return globalState.__kapCatalog.catalog;
  const env = getEnv();
  const cache: CompileCache = new Map();
  const artefact = env.NODE_ENV === "production" ? fromArtefact() : null;
  const state: State = { catalog: artefact ? Promise.resolve(artefact) : loadCatalog(contentDir(), cache), cache, version: 0 };
  globalState.__kapCatalog = state;
  if (env.NODE_ENV === "development") watchContent(state);
  if (!artefact) {
    void state.catalog.then((c) => {
      const errors = c.problems.filter((p) => p.severity === "error");
      if (errors.length) console.warn(`[content] ${errors.length} error(s):\n${errors.map(formatProblem).join("\n")}`);
    });
  }
  return state.catalog;
}

/** Forget the catalog (tests; content changed on disk in production). */
export function resetCatalog(): void {
  globalState.__kapCatalog?.watcher?.close();
  globalState.__kapCatalog = undefined;
}

function watchContent(state: State) {
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  try {
    state.watcher = fs.watch(contentDir(), { recursive: true }, (_event, filename) => {
      if (filename) changed.add(String(filename));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed];
        changed.clear();
        // The compile cache is keyed by content hash: only changed lessons recompile.
        const next = loadCatalog(contentDir(), state.cache);
        state.catalog = next;
        void next.then(() => {
          state.version += 1;
          contentEvents.emit("change", { version: state.version, files });
        });
      }, 40);
    });
  } catch (error) {
    console.warn(`[content] live reload is off: ${(error as Error).message}`);
  }
}

// ---- lookups used by routes --------------------------------------------------

export async function listCourses(): Promise<CourseEntry[]> {
  return (await getCatalog()).courses;
}

export async function findCourse(courseId: string): Promise<CourseEntry | null> {
  return (await getCatalog()).courses.find((c) => c.id === courseId) ?? null;
}

/** The course named in a URL, or a 404 response. */
export async function requireCourse(courseId: string | undefined): Promise<CourseEntry> {
  const course = await findCourse(courseId ?? "");
  if (!course) throw new Response("Course not found", { status: 404 });
  return course;
}

type Place = { module: ModuleEntry; lesson: LessonEntry };

export type LessonLocation = Place & { course: CourseEntry; previous: Place | null; next: Place | null };

// Every lesson view looks its lesson up: reading orders are worked out once per catalog entry.
const readingOrders = new WeakMap<CourseEntry, { published: Map<string, LessonLocation>; withDrafts: Map<string, LessonLocation> }>();

function readingOrder(course: CourseEntry, includeDrafts: boolean): Map<string, LessonLocation> {
  let orders = readingOrders.get(course);
  if (!orders) {
    const locate = (withDrafts: boolean) => {
      const sequence: Place[] = course.modules.flatMap((module) => module.lessons.filter((l) => withDrafts || !l.draft).map((lesson) => ({ module, lesson })));
      return new Map(
        sequence.map((here, i) => [
          `${here.module.slug}/${here.lesson.slug}`,
          { course, module: here.module, lesson: here.lesson, previous: sequence[i - 1] ?? null, next: sequence[i + 1] ?? null },
        ]),
      );
    };
    readingOrders.set(course, (orders = { published: locate(false), withDrafts: locate(true) }));
  }
  return includeDrafts ? orders.withDrafts : orders.published;
}

/** A lesson with its neighbours in reading order; drafts are skipped unless `includeDrafts`. */
export async function findLesson(courseId: string, moduleSlug: string, lessonSlug: string, includeDrafts: boolean): Promise<LessonLocation | null> {
  const course = await findCourse(courseId);
  if (!course) return null;
  return readingOrder(course, includeDrafts).get(`${moduleSlug}/${lessonSlug}`) ?? null;
}

// Lesson pages and lesson scripts look lessons up by content hash: indexed once per catalog.
const byHash = new WeakMap<Catalog, Map<string, LessonEntry>>();

/** A lesson by content hash, in the given course or, without one, in any (synchronous: for rendering). */
export function lessonByHash(catalog: Catalog, hash: string, courseId?: string): LessonEntry | null {
  let index = byHash.get(catalog);
  if (!index) {
    index = new Map();
    for (const course of catalog.courses) {
      for (const module of course.modules) {
        for (const lesson of module.lessons) {
          // The first place a file appears wins, as a search in course order would find it.
          if (!index.has(lesson.hash)) index.set(lesson.hash, lesson);
          if (!index.has(`${course.id}/${lesson.hash}`)) index.set(`${course.id}/${lesson.hash}`, lesson);
        }
      }
    }
    byHash.set(catalog, index);
  }
  return index.get(courseId === undefined ? hash : `${courseId}/${hash}`) ?? null;
}

export async function findLessonByHash(hash: string, courseId?: string): Promise<LessonEntry | null> {
  return lessonByHash(await getCatalog(), hash, courseId);
}

/** The question bank with answer keys. Server-only: never return it from a loader. */
export async function getQuizBank(courseId: string, moduleSlug: string): Promise<QuizBank | null> {
  return (await getCatalog()).quizzes[`${courseId}/${moduleSlug}`] ?? null;
}

export async function contentProblems() {
  return (await getCatalog()).problems;
}
