import { z } from "zod";

/**
 * Field rules every content file shares (course, module, lesson, quiz, case and
 * assignment schemas). Kept apart from schemas.ts, which imports the case and
 * assignment schemas, so those can use these without an import cycle.
 */

export const slug = z
  .string({ error: "must be text" })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and single dashes (e.g. ketamine-basics)");

export const nonEmpty = (what: string) => z.string({ error: `${what} must be text` }).trim().min(1, `${what} must not be empty`);

/** YAML dates come through as strings (we parse YAML with the core schema). */
export const isoDate = z
  .string({ error: "must be a date written as YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "is not a real calendar date");

/** A lesson's or case's declared minutes: whole and positive. */
export const minutes = z.number({ error: "must be a number of minutes" }).int("must be whole minutes").positive("must be more than 0");

/** Reference ids from course.yaml or a module.yaml, as lessons and cases list them. */
export const referenceIds = z.array(slug, { error: "must be a list of reference ids" }).default([]);

/** What to re-check by the review date (content/README.md, "Review dates"). */
export const recheck = z.string({ error: "must be text" }).trim().min(1, "must not be empty").max(500, "keep it under 500 characters").optional();
