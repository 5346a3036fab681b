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
};

const LessonContext = createContext<LessonContextValue | null>(null);

export const LessonProvider = LessonContext.Provider;

export function useLesson(): LessonContextValue {
  const value = useContext(LessonContext);
  if (!value) throw new Error("Lesson components must be rendered inside a lesson page");
  return value;
}
