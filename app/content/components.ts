/**
 * The components a lesson may use, with the attributes each requires. The
 * checker refuses anything else; app/components/mdx/ renders them.
 */
export const LESSON_COMPONENTS = {
  Callout: { required: ["type"], enums: { type: ["note", "warning", "clinical-safety"] } },
  Vignette: { required: ["title"], enums: {} },
  KnowledgeCheck: { required: ["question", "options", "answer", "explanation"], enums: {} },
  Cite: { required: ["id"], enums: {} },
  Figure: { required: ["src", "alt"], enums: {} },
  Glossary: { required: ["term"], enums: {} },
  Reflection: { required: ["id", "prompt"], enums: {} },
  /** A link card to a branching case of the lesson's module (app/cases/). */
  Case: { required: ["id"], enums: {} },
} as const satisfies Record<string, { required: readonly string[]; enums: Record<string, readonly string[]> }>;

export type LessonComponentName = keyof typeof LESSON_COMPONENTS;
export const LESSON_COMPONENT_NAMES = Object.keys(LESSON_COMPONENTS) as LessonComponentName[];

/** Reading rate used for CE-hour estimates (content/README.md). */
export const WORDS_PER_MINUTE = 200;
export const MINUTES_PER_KNOWLEDGE_CHECK = 1;
export const MINUTES_PER_REFLECTION = 3;
export const MINUTES_PER_QUIZ_QUESTION = 1.5;
export const EVALUATION_MINUTES = 10;
