import { createContext, useContext } from "react";

export type LessonReference = { id: string; citation: string; url?: string };

export type LessonContextValue = {
  courseId: string;
  moduleSlug: string;
  lessonSlug: string;
  references: LessonReference[];
  /** Saved reflection answers by prompt id. */
  reflections: Record<string, string>;
  /** Preview (author view of a draft) cannot save reflections. */
  canSave: boolean;
  /** Per-learner seed for shuffling knowledge-check options (absent in previews: authored order). */
  shuffleSeed?: string;
};

const LessonContext = createContext<LessonContextValue | null>(null);

export const LessonProvider = LessonContext.Provider;

/** The lesson's context when inside a lesson page; null elsewhere (e.g. a component gallery). */
export function useOptionalLesson(): LessonContextValue | null {
  return useContext(LessonContext);
}

export function useLesson(): LessonContextValue {
  const value = useContext(LessonContext);
  if (!value) throw new Error("Lesson components must be rendered inside a lesson page");
  return value;
}
