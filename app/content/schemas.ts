import { z } from "zod";
import { isoDate, minutes, nonEmpty, recheck, referenceIds, slug } from "./fields.ts";
import { courseCasesSchema } from "#app/cases/schema.ts";

/**
 * The content contract between authors and the site (content/README.md).
 * Every YAML file and every lesson's frontmatter is validated by these schemas;
 * `npm run content:check` reports each issue at the line of the offending key.
 */

export const LEVELS = ["introductory", "intermediate", "advanced"] as const;

/** Default share of a course's CE hours that must be credited as active time (creditPolicy.courseMinimum). */
export const DEFAULT_COURSE_MINIMUM = 0.5;

export const SHOW_KEYS = ["after-pass", "never"] as const;

/** A share between 0 and 1, e.g. 0.5 for half. */
const share = z.number({ error: "must be a number between 0 and 1" }).min(0, "must be 0 or more").max(1, "must be at most 1");

/**
 * Item-writing rules that `npm run content:check` applies to graded question banks. An item,
 * a bank or (for the course-wide rules) course.yaml may waive a rule, always with a reason.
 */
export const ITEM_RULES = [
  "longest-key", // the keyed option is the single longest in too many of a bank's single-choice items
  "key-position", // one key position holds too many of a bank's keys
  "true-false-keys", // a bank's true/false keys are all the same
  "multiple-key-count", // every multi-select item in a course has the same number of correct options
  "all-none-above", // "all of the above" / "none of the above"
  "near-duplicate", // a graded item nearly duplicates a knowledge check or a lesson sentence
  "bank-size", // a bank smaller than twice its draw
  "objective-coverage", // a course objective tested by fewer than 3 graded items
] as const;
export type ItemRule = (typeof ITEM_RULES)[number];

export const waiverSchema = z.strictObject({
  rule: z.enum(ITEM_RULES, { error: `rule must be one of: ${ITEM_RULES.join(", ")}` }),
  reason: z.string({ error: "reason must be text" }).trim().min(10, "give the reason for the waiver (at least 10 characters)"),
});

export const referenceSchema = z.strictObject({
  id: slug,
  citation: nonEmpty("citation"),
  url: z.url({ error: "must be an absolute URL" }).optional(),
});

export const objectiveSchema = z.strictObject({
  id: slug,
  text: nonEmpty("objective text"),
});

export const approvalSchema = z.strictObject({
  body: nonEmpty("body"),
  providerNumber: nonEmpty("providerNumber"),
  period: nonEmpty("period"),
  creditType: nonEmpty("creditType"),
  credits: z.number({ error: "must be a number of credits" }).positive("must be more than 0"),
  statement: nonEmpty("statement"),
  /** A sample statement for demos; shown with a "sample" mark, never as a real approval. */
  sample: z.boolean({ error: "must be true or false" }).default(false),
});

export const courseSchema = z.strictObject({
  id: slug,
  title: nonEmpty("title"),
  summary: nonEmpty("summary"),
  audience: nonEmpty("audience"),
  level: z.enum(LEVELS, { error: `must be one of: ${LEVELS.join(", ")}` }),
  ceHours: z
    .number({ error: "must be a number of hours" })
    .positive("must be more than 0")
    .refine((h) => Number.isInteger(h * 4), "must be in quarter hours (e.g. 1, 1.25, 1.5)"),
  passMark: z.number({ error: "must be a number between 0 and 1" }).gt(0, "must be more than 0").max(1, "must be at most 1 (100%)").default(0.8),
  objectives: z.array(objectiveSchema, { error: "must be a list" }).min(1, "list at least one measurable objective"),
  faculty: z
    .array(
      z.strictObject({
        name: nonEmpty("name"),
        credentials: nonEmpty("credentials"),
        role: nonEmpty("role"),
        disclosure: nonEmpty("disclosure"),
      }),
      { error: "must be a list" },
    )
    .min(1, "list at least one faculty member"),
  provider: z.strictObject({
    name: nonEmpty("provider name"),
    address: nonEmpty("provider address"),
    url: z.url({ error: "must be an absolute URL" }),
  }),
  approvals: z.array(approvalSchema, { error: "must be a list" }).default([]),
  dates: z.strictObject({
    released: isoDate,
    lastReviewed: isoDate,
    expires: isoDate,
  }),
  howToEarnCredit: nonEmpty("howToEarnCredit").optional(),
  references: z.array(referenceSchema, { error: "must be a list" }).default([]),
  /** CE Broker course tracking number ("20-..."), when the course is registered there. */
  ceBroker: z.strictObject({ courseNumber: z.string().trim().regex(/^(20-)?\d+$/, "must be digits, optionally starting with 20-") }).optional(),
  /** Optional pacing rule: at most this many CE hours credited per 24 hours (e.g. NAADAC's 8). */
  pacing: z
    .strictObject({ maxHoursPer24h: z.number({ error: "must be a number of hours" }).positive("must be more than 0") })
    .optional(),
  /**
   * Time on task, measured by the server: a lesson can be marked complete once its credited
   * time reaches `lessonMinimum` x its estimated minutes (a lesson's `minimumMinutes` overrides
   * this), and the course once the total reaches `courseMinimum` x its CE hours.
   */
  creditPolicy: z
    .strictObject({
      lessonMinimum: share.default(0.5),
      courseMinimum: share.default(DEFAULT_COURSE_MINIMUM),
    })
    .default({ lessonMinimum: 0.5, courseMinimum: DEFAULT_COURSE_MINIMUM }),
  quizPolicy: z
    .strictObject({
      /** Attempts in all (null: no limit). */
      maxAttempts: z.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "allow at least one attempt").nullable().default(null),
      /** Attempts within any 24 hours (null: no limit). */
      maxAttemptsPer24h: z.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "allow at least one attempt").nullable().default(null),
      /** Minutes after a failed attempt before a retake. */
      cooldownMinutes: z.number({ error: "must be a whole number of minutes" }).int("must be a whole number of minutes").min(0, "must be 0 or more").default(0),
      /**
       * When the keyed answers are shown: "after-pass" (once the learner has passed the quiz) or
       * "never". A failed attempt shows only which questions were missed and the lesson to re-study.
       */
      showKeys: z.enum(SHOW_KEYS, { error: `must be one of: ${SHOW_KEYS.join(", ")}` }).default("after-pass"),
    })
    .default({ maxAttempts: null, maxAttemptsPer24h: null, cooldownMinutes: 0, showKeys: "after-pass" }),
  /** Waivers of course-wide item-writing rules (see ITEM_RULES), each with its reason. */
  waivers: z.array(waiverSchema, { error: "must be a list" }).default([]),
  /** Course ids whose completion (a valid certificate) a learner needs before starting this course. */
  prerequisites: z.array(slug, { error: "must be a list of course ids" }).default([]),
  /** What the course requires of its branching cases for completion (app/cases/). */
  cases: courseCasesSchema.default({ required: "none" }),
});

export const moduleSchema = z.strictObject({
  title: nonEmpty("title"),
  summary: nonEmpty("summary"),
  objectives: z.array(nonEmpty("objective"), { error: "must be a list" }).min(1, "list at least one objective"),
  /** References cited by this module's lessons; ids are unique across the course. */
  references: z.array(referenceSchema, { error: "must be a list" }).default([]),
});

export const lessonFrontmatterSchema = z.strictObject({
  title: nonEmpty("title"),
  minutes,
  objectives: z.array(nonEmpty("objective"), { error: "must be a list" }).default([]),
  references: referenceIds,
  draft: z.boolean({ error: "must be true or false" }).default(false),
  /** Credited minutes needed before the lesson can be marked complete (overrides the course's lessonMinimum share). */
  minimumMinutes: z.number({ error: "must be a number of minutes" }).min(0, "must be 0 or more").optional(),
  /** The date by which an author re-checks the lesson against its sources; content:check warns 60 days before and fails after. */
  reviewBy: isoDate.optional(),
  /** What to re-check by then, where a fact rests on a rule in force (e.g. a temporary federal rule). */
  recheck,
});

const optionSchema = z.strictObject({
  id: slug,
  text: nonEmpty("option text"),
});

/** The answer key: option ids. A single-choice question names exactly one. */
const answerKey = z.union([slug, z.array(slug)], { error: "must be an option id, or a list of option ids" }).transform((a) => (Array.isArray(a) ? a : [a]));

const questionBase = {
  id: slug,
  prompt: nonEmpty("prompt"),
  explanation: nonEmpty("explanation"),
  /** A reference id from course.yaml, or a short citation. */
  source: nonEmpty("source"),
  /** The course objective (id in course.yaml) the item tests. */
  objective: slug,
  /** The lesson to re-study when the item is missed: its slug in this module, or `module/lesson` (a post-test covering the course). */
  lesson: z
    .string({ error: "must be a lesson slug" })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)?$/, "must be a lesson slug of this module, or module-slug/lesson-slug"),
  waivers: z.array(waiverSchema, { error: "must be a list" }).default([]),
};

export const quizQuestionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...questionBase, type: z.literal("single"), options: z.array(optionSchema).min(2, "give at least two options"), answer: answerKey }),
    z.strictObject({
      ...questionBase,
      type: z.literal("multiple"),
      options: z.array(optionSchema).min(2, "give at least two options"),
      answer: answerKey,
      partialCredit: z.boolean().default(false),
    }),
    z.strictObject({ ...questionBase, type: z.literal("true-false"), answer: z.boolean({ error: "must be true or false" }) }),
  ],
  { error: 'type must be "single", "multiple" or "true-false"' },
);

export const quizSchema = z.strictObject({
  /** Questions drawn per attempt (the whole bank when omitted). */
  draw: z.number().int().positive("must be more than 0").optional(),
  questions: z.array(quizQuestionSchema, { error: "must be a list" }).min(1, "add at least one question"),
  /** Waivers of item-writing rules for the whole bank, each with its reason. */
  waivers: z.array(waiverSchema, { error: "must be a list" }).default([]),
});

export const EVALUATION_KINDS = ["apa-learned", "apa-useful", "rating", "text"] as const;

export const evaluationSchema = z.strictObject({
  questions: z
    .array(
      z.strictObject({
        id: slug,
        kind: z.enum(EVALUATION_KINDS, { error: `kind must be one of: ${EVALUATION_KINDS.join(", ")}` }),
        prompt: nonEmpty("prompt"),
        required: z.boolean().default(true),
      }),
      { error: "must be a list" },
    )
    .min(1, "add at least one question"),
  /** A 1–5 rating of how well each course objective was met is always added. */
  objectiveScale: z.array(nonEmpty("label")).length(5, "give exactly five labels, lowest first").optional(),
});

export type CourseYaml = z.infer<typeof courseSchema>;
export type ModuleYaml = z.infer<typeof moduleSchema>;
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;
export type QuizYaml = z.infer<typeof quizSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export type EvaluationYaml = z.infer<typeof evaluationSchema>;
