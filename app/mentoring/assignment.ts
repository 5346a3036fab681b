import { z } from "zod";
import { nonEmpty, slug } from "#app/content/fields.ts";

/**
 * A lesson's assignment (content/README.md, "Assignments"): a case formulation or
 * reflection the learner writes and a mentor reviews against a rubric. Authored as
 * `NN.<lesson-slug>.assignment.yaml` beside the lesson.
 */

const wholeNumber = z.number({ error: "must be a whole number" }).int("must be a whole number");

export const criterionSchema = z.strictObject({
    id: slug,
    title: nonEmpty("title"),
    description: nonEmpty("description"),
    /** Scores from min to max (whole numbers), with optional labels per score. */
    score: z.strictObject({ min: wholeNumber.min(0, "must be 0 or more"), max: wholeNumber.min(1, "must be 1 or more") }),
    /** What each score means, lowest first: one label per score from min to max. */
    levels: z.array(nonEmpty("level"), { error: "must be a list" }).optional(),
  });

/** Ranges and unique ids are checked beside the schema (content.server.ts), so they are reported even when another key is wrong. */
export const assignmentSchema = z.strictObject({
    id: slug,
    title: nonEmpty("title"),
    prompt: nonEmpty("prompt"),
    guidance: nonEmpty("guidance").optional(),
    minWords: wholeNumber.min(1, "must be at least 1").default(50),
    maxWords: wholeNumber.min(1, "must be at least 1").max(5000, "must be at most 5000").default(1500),
    /** When true, the course is not complete until a mentor judged a submission as meeting the standard. */
    required: z.boolean({ error: "must be true or false" }).default(false),
  rubric: z.array(criterionSchema, { error: "must be a list of criteria" }).min(1, "add at least one rubric criterion"),
});

export type AssignmentYaml = z.infer<typeof assignmentSchema>;

/** An assignment as the catalog holds it: the YAML plus where it lives. */
export type Assignment = AssignmentYaml & { file: string; hash: string };

export const ASSIGNMENT_FILE = /^(\d+)\.([a-z0-9]+(?:-[a-z0-9]+)*)\.assignment\.yaml$/;

/** Words as a reader counts them. */
export function countWords(text: string): number {
  return text.trim() ? text.trim().split(/\s+/).length : 0;
}
