import { createContext, useContext } from "react";

/**
 * During server rendering, compiled lesson code is looked up here (provided by
 * entry.server from the catalog), so loader data never carries it: the browser
 * gets the code once, as the lesson's own cached script.
 */
const LessonCodeContext = createContext<((hash: string) => string | null) | null>(null);

export const LessonCodeProvider = LessonCodeContext.Provider;

export function useServerLessonCode(): ((hash: string) => string | null) | null {
  return useContext(LessonCodeContext);
}
