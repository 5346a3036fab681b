import { z } from "zod";

/**
 * The content contract between authors and the site (content/README.md).
 * Every YAML file and every lesson's frontmatter is validated by these schemas;
 * `npm run content:check` reports each issue at the line of the offending key.
 */

const slug = z
  .string({ error: "must be text" })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and single dashes (e.g. ketamine-basics)");

const nonEmpty = (what: string) => z.string({ error: `${what} must be text` }).trim().min(1, `${what} must not be empty`);

/** YAML dates come through as strings (we parse YAML with the core schema). */
const isoDate = z
  .string({ error: "must be a date written as YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "is not a real calendar date");

export const LEVELS = ["introductory", "intermediate", "advanced"] as const;

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
  quizPolicy: z
    .strictObject({
      maxAttempts: z.number().int().min(1, "allow at least one attempt").nullable().default(null),
      cooldownMinutes: z.number().int().min(0).default(0),
      showCorrectAnswers: z.boolean().default(true),
    })
    .default({ maxAttempts: null, cooldownMinutes: 0, showCorrectAnswers: true }),
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
  minutes: z.number({ error: "must be a number of minutes" }).int("must be whole minutes").positive("must be more than 0"),
  objectives: z.array(nonEmpty("objective"), { error: "must be a list" }).default([]),
  references: z.array(slug, { error: "must be a list of reference ids" }).default([]),
  draft: z.boolean({ error: "must be true or false" }).default(false),
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
