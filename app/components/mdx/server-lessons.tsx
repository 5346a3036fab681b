import { createContext, useContext } from "react";
import type { LessonReference } from "./lesson-context.tsx";

/** What a lesson's script carries besides its code (see lessonScriptUrl). */
export type LessonInfo = { references: LessonReference[]; toc: Array<{ id: string; text: string; depth: 2 | 3 }> };

/**
 * What server rendering of a lesson needs beyond loader data, provided by
 * entry.server: the compiled code (looked up in the catalog, so loader data
 * never carries it; the browser gets it once, as the lesson's own cached
 * script) and the cache of rendered lesson bodies (decision 008).
 */
export type ServerLessons = {
  /** A lesson's compiled code, by content hash. */
  code(hash: string): string | null;
  /** A lesson's references and table of contents. */
  info(courseId: string, hash: string): LessonInfo | null;
  /**
   * The inner HTML for a lesson body kept from an earlier render of the same page,
   * or null. It is a placeholder that entry.server replaces with the kept bytes.
   */
  body(key: string): string | null;
  /** Asks for this render's lesson body to be kept under `key`. */
  keepBody(key: string): void;
};

const ServerLessonsContext = createContext<ServerLessons | null>(null);

export const ServerLessonsProvider = ServerLessonsContext.Provider;

/** Null in the browser. */
export function useServerLessons(): ServerLessons | null {
  return useContext(ServerLessonsContext);
}
