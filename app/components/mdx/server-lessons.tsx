import { createContext, useContext } from "react";
import type { LessonReference } from "./lesson-context.tsx";

/** What a lesson's script carries besides its code (see lessonScriptUrl). */
export type LessonInfo = { references: LessonReference[]; toc: Array<{ id: string; text: string; depth: 2 | 3 }> };

/**
 * What server rendering of a lesson needs beyond loader data, provided by
 * entry.server: the compiled code (looked up in the catalog, so loader data
 * never carries it; the browser gets it once, as the lesson's own cached
 * script).
 */
export type ServerLessons = {
  /** A lesson's compiled code, by content hash. */
  code(hash: string): string | null;
  /** A lesson's references and table of contents. */
  info(courseId: string, hash: string): LessonInfo | null;
};

const ServerLessonsContext = createContext<ServerLessons | null>(null);

export const ServerLessonsProvider = ServerLessonsContext.Provider;

/** Null in the browser. */
export function useServerLessons(): ServerLessons | null {
  return useContext(ServerLessonsContext);
}
