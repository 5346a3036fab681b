import { z } from "zod";
import { isoDate, minutes, nonEmpty, recheck, referenceIds, slug } from "#app/content/fields.ts";

/**
 * A branching case (content/README.md, "Branching cases"): a YAML file named
 * NN.slug.case.yaml in a module folder. Ratings, feedback and targets are
 * answer keys: server-only until the learner has chosen.
 */

export const RATINGS = ["best", "acceptable", "outside-scope", "unsafe"] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<Rating, string> = {
  best: "Best choice",
  acceptable: "Acceptable",
  "outside-scope": "Outside your scope",
  unsafe: "Unsafe",
};

/** What a course may require of its cases for completion (course.yaml `cases.required`). */
export const CASE_REQUIREMENTS = ["none", "finished", "finished-safely"] as const;
export type CaseRequirement = (typeof CASE_REQUIREMENTS)[number];

export const caseChoiceSchema = z.strictObject({
  id: slug,
  text: nonEmpty("choice text"),
  /** The scene this choice leads to. */
  to: slug,
  rating: z.enum(RATINGS, { error: `rating must be one of: ${RATINGS.join(", ")}` }),
  feedback: nonEmpty("feedback").optional(),
  /** A reference id from course.yaml or a module.yaml. */
  source: slug.optional(),
});

export const caseSceneSchema = z.strictObject({
  id: slug,
  /** Markdown: paragraphs, "- " lists, **bold** and *emphasis*. */
  narrative: nonEmpty("narrative"),
  ending: z.boolean({ error: "must be true or false" }).default(false),
  /** Shown at an ending, above the debrief. */
  summary: nonEmpty("summary").optional(),
  choices: z.array(caseChoiceSchema, { error: "must be a list" }).default([]),
});

export const caseSchema = z.strictObject({
  title: nonEmpty("title"),
  minutes,
  objectives: z.array(nonEmpty("objective"), { error: "must be a list" }).default([]),
  references: referenceIds,
  reviewBy: isoDate.optional(),
  recheck,
  /** The first scene's id. */
  start: slug,
  /** Whether the learner may take back a choice and choose again. */
  allowBack: z.boolean({ error: "must be true or false" }).default(true),
  scenes: z.array(caseSceneSchema, { error: "must be a list" }).min(1, "add at least one scene"),
});

/** course.yaml `cases:`; absent means no case is required for completion. */
export const courseCasesSchema = z.strictObject({
  required: z.enum(CASE_REQUIREMENTS, { error: `must be one of: ${CASE_REQUIREMENTS.join(", ")}` }).default("none"),
});

export type CaseYaml = z.infer<typeof caseSchema>;
export type CaseScene = z.infer<typeof caseSceneSchema>;
export type CaseChoice = z.infer<typeof caseChoiceSchema>;
