import { sql } from "drizzle-orm";
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ROLES, type Role } from "../auth/roles.ts";
import type { CertificateSnapshot } from "../certificates/snapshot.server.ts";
import type { CaseDef } from "../cases/content.server.ts";

/**
 * The database schema. Timestamps are stored as integer milliseconds since the
 * epoch (drizzle's `timestamp_ms` mode) so ordering and arithmetic are cheap.
 * Records that matter to CE accreditors are never overwritten in place: a
 * correction is a new row (see DESIGN.md, "Data").
 */

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export { ROLES, type Role };

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Stored lower-cased and trimmed; unique. */
    email: text("email").notNull(),
    /** Full legal name as it appears on the learner's license (printed on certificates). */
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("learner"),
    passwordHash: text("password_hash").notNull(),
    deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

export const licenses = sqliteTable(
  "licenses",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** License designation, e.g. LPC, LMFT, LCSW, Psychologist (app/auth/licenses.ts), or as written under "Other". */
    type: text("type").notNull(),
    /** As the state database shows it, without spaces (CE Broker rule). */
    number: text("number").notNull(),
    /** Two-letter USPS code of the issuing state or territory. */
    state: text("state").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("licenses_user_idx").on(t.userId),
    uniqueIndex("licenses_user_type_number_state_unique").on(
      t.userId,
      t.type,
      t.number,
      t.state,
    ),
  ],
);

/**
 * Sessions in the Lucia design: the cookie holds `<id>.<secret>`; only the
 * SHA-256 of the secret is stored, so a leaked database yields no usable token.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Every sign-in attempt; failures inside the window drive throttling. */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    succeeded: integer("succeeded", { mode: "boolean" }).notNull(),
    attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("login_attempts_email_idx").on(t.email, t.attemptedAt),
    index("login_attempts_ip_idx").on(t.ip, t.attemptedAt),
  ],
);

/** Single-use password reset tokens; only the SHA-256 of the token is stored. */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("password_resets_token_hash_unique").on(t.tokenHash)],
);

/**
 * Every email, and the mail queue (app/email/queue.server.ts): a request only
 * inserts a `queued` row; a sender in each process drains the queue after the
 * response. The body (which can hold a reset or sign-up link) is kept only
 * while the message waits, and cleared once it is sent or given up.
 */
export const emails = sqliteTable(
  "emails",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    template: text("template").notNull(),
    status: text("status", { enum: ["queued", "sending", "sent", "failed"] }).notNull().default("sent"),
    /** JSON { text, html, attachments? } until sent (a failed message keeps it, to be retried); null once sent. */
    body: text("body"),
    attempts: integer("attempts").notNull().default(0),
    /** When a queued message may be tried, or when a claimed one's lease ends (a crashed sender's claim expires). */
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    transport: text("transport", { enum: ["smtp", "outbox"] }),
    /** Where the `.eml` was written when the outbox transport is used. */
    location: text("location"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("emails_status_next_idx").on(t.status, t.nextAttemptAt), index("emails_to_created_idx").on(t.to, t.createdAt)],
);

/**
 * A sign-up waiting for its owner to follow the emailed link (decision 015):
 * no account exists until then, so sign-up answers the same for any address.
 * Only the SHA-256 of the link's token is stored.
 */
export const pendingSignups = sqliteTable(
  "pending_signups",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    /** JSON array of { type, number, state }, as validated at sign-up. */
    licenses: text("licenses").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("pending_signups_token_hash_unique").on(t.tokenHash), index("pending_signups_email_idx").on(t.email)],
);

/**
 * Append-only audit trail. Each row carries the hash of the previous row, so an
 * edited or deleted row breaks the chain.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before"),
    after: text("after"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId)],
);

export type User = typeof users.$inferSelect;
export type License = typeof licenses.$inferSelect;
export type Session = typeof sessions.$inferSelect;

/** A learner's private answer to a lesson's reflection prompt (latest text kept). */
export const reflections = sqliteTable(
  "reflections",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    /** `<module slug>/<lesson slug>` */
    lessonKey: text("lesson_key").notNull(),
    promptId: text("prompt_id").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("reflections_unique").on(t.userId, t.courseId, t.lessonKey, t.promptId)],
);

/**
 * A learner's enrollment in a course. The lessons and quizzes that count toward
 * completion are pinned at enrollment, so adding a lesson later never lowers a
 * learner's progress or moves the goalposts.
 */
export const enrollments = sqliteTable(
  "enrollments",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    /** Course content version at enrollment. */
    contentVersion: text("content_version").notNull(),
    /** JSON array of `<module>/<lesson>` keys required for completion. */
    lessonKeys: text("lesson_keys", { mode: "json" }).$type<string[]>().notNull(),
    /** JSON array of module slugs whose quiz must be passed. */
    quizModules: text("quiz_modules", { mode: "json" }).$type<string[]>().notNull(),
    /** The course's CE hours at enrollment (null for enrollments made before they were kept). */
    ceHours: real("ce_hours"),
    enrolledAt: integer("enrolled_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("enrollments_user_course_unique").on(t.userId, t.courseId)],
);

export const lessonProgress = sqliteTable(
  "lesson_progress",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    lessonKey: text("lesson_key").notNull(),
    firstSeenAt: integer("first_seen_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    /** Seconds the page was visible with the learner active (idle > 10 min stops the clock). */
    activeSeconds: integer("active_seconds").notNull().default(0),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    /** The lesson's content hash when it was completed. */
    completedHash: text("completed_hash"),
  },
  (t) => [uniqueIndex("lesson_progress_unique").on(t.userId, t.courseId, t.lessonKey)],
);

/**
 * The learner's time-on-task clock: the last accepted heartbeat, from any lesson
 * of any course. A beat credits the time since the previous one (capped) to the
 * lesson that sent it, so however many tabs are open, a learner never earns more
 * than the time that passed.
 */
export const activityClock = sqliteTable("activity_clock", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  courseId: text("course_id").notNull(),
  lessonKey: text("lesson_key").notNull(),
  lastBeatAt: integer("last_beat_at", { mode: "timestamp_ms" }).notNull(),
});

export type AttemptQuestion = {
  id: string;
  type: "single" | "multiple" | "true-false";
  prompt: string;
  /** Options in the order shown (true/false: "true", "false"). */
  options: Array<{ id: string; text: string }>;
  /** Answer key and feedback: server-only until the attempt is graded. */
  answer: string[];
  partialCredit: boolean;
  explanation: string;
  source: string;
  /** The lesson (slug in the module) to re-study when missed; absent on attempts drawn before it existed. */
  lesson?: string;
  objective?: string;
};

export type AttemptResult = { questionId: string; chosen: string[]; correct: boolean; points: number };

/**
 * One quiz attempt, with everything needed to show it again exactly as seen:
 * the seed, the drawn questions with their option order, and the quiz version.
 */
export const quizAttempts = sqliteTable(
  "quiz_attempts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    moduleSlug: text("module_slug").notNull(),
    /** Hash of quiz.yaml when the attempt was drawn. */
    quizVersion: text("quiz_version").notNull(),
    seed: integer("seed").notNull(),
    questions: text("questions", { mode: "json" }).$type<AttemptQuestion[]>().notNull(),
    passMark: real("pass_mark").notNull(),
    status: text("status", { enum: ["open", "submitted"] }).notNull(),
    answers: text("answers", { mode: "json" }).$type<Record<string, string[]>>(),
    results: text("results", { mode: "json" }).$type<AttemptResult[]>(),
    points: real("points"),
    maxPoints: real("max_points"),
    score: real("score"),
    passed: integer("passed", { mode: "boolean" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("quiz_attempts_user_idx").on(t.userId, t.courseId, t.moduleSlug),
    // At most one open attempt per learner and quiz: a double "start" resumes it.
    uniqueIndex("quiz_attempts_one_open").on(t.userId, t.courseId, t.moduleSlug).where(sql`status = 'open'`),
  ],
);

export const evaluations = sqliteTable(
  "evaluations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    contentVersion: text("content_version").notNull(),
    /** Question id (or `objective:<id>`) -> rating 1-5 or text. */
    responses: text("responses", { mode: "json" }).$type<Record<string, number | string>>().notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("evaluations_user_course_unique").on(t.userId, t.courseId)],
);

export const attestations = sqliteTable(
  "attestations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    statement: text("statement").notNull(),
    ip: text("ip").notNull(),
    userAgent: text("user_agent"),
    signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("attestations_user_course_unique").on(t.userId, t.courseId)],
);

/** Course completion: recorded once, with the version and CE hours in force. */
export const completions = sqliteTable(
  "completions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    contentVersion: text("content_version").notNull(),
    ceHours: real("ce_hours").notNull(),
    /** Mean of the best passing score of each module quiz. */
    postTestScore: real("post_test_score").notNull(),
    activeSeconds: integer("active_seconds").notNull(),
    /** The active time the course's policy required at completion (null: recorded before minimums existed). */
    minimumSeconds: integer("minimum_seconds"),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("completions_user_course_unique").on(t.userId, t.courseId)],
);

export type Enrollment = typeof enrollments.$inferSelect;
export type QuizAttempt = typeof quizAttempts.$inferSelect;

export const CERTIFICATE_STATUSES = ["valid", "revoked", "replaced"] as const;

/**
 * An issued certificate: an immutable snapshot plus its lifecycle. A correction
 * is a reissue (a new row that `replaces` the old one), never an edit.
 */
export const certificates = sqliteTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    /** Public, unguessable id (100 random bits) used in verification URLs. */
    publicId: text("public_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    courseId: text("course_id").notNull(),
    completionId: text("completion_id")
      .notNull()
      .references(() => completions.id, { onDelete: "restrict" }),
    snapshot: text("snapshot", { mode: "json" }).$type<CertificateSnapshot>().notNull(),
    /** The signed OpenBadgeCredential (JSON), added right after issue. */
    credential: text("credential", { mode: "json" }).$type<Record<string, unknown>>(),
    status: text("status", { enum: CERTIFICATE_STATUSES }).notNull().default("valid"),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedReason: text("revoked_reason"),
    replacesId: text("replaces_id"),
    replacedById: text("replaced_by_id"),
    /**
     * This certificate's bit in the revocation status list (status-list.server.ts),
     * chosen at random among unused ones so a list reveals nothing about issue order.
     */
    statusListIndex: integer("status_list_index"),
  },
  (t) => [
    uniqueIndex("certificates_public_id_unique").on(t.publicId),
    uniqueIndex("certificates_status_list_index_unique").on(t.statusListIndex),
    // Issued exactly once per learner and course; reissues point at the original.
    uniqueIndex("certificates_original_unique").on(t.userId, t.courseId).where(sql`replaces_id is null`),
    index("certificates_course_idx").on(t.courseId, t.issuedAt),
  ],
);

export type Certificate = typeof certificates.$inferSelect;

/**
 * The signed revocation status list (W3C Bitstring Status List). Its bits are
 * derived from the certificates' statuses; `version` goes up in the same
 * transaction as every status change, and the stored signed list is re-signed on
 * the next GET when its `signedVersion` is older.
 */
export const statusLists = sqliteTable("status_lists", {
  id: text("id").primaryKey(),
  version: integer("version").notNull().default(1),
  signed: text("signed", { mode: "json" }).$type<Record<string, unknown>>(),
  signedVersion: integer("signed_version").notNull().default(0),
  signedAt: integer("signed_at", { mode: "timestamp_ms" }),
});

/**
 * CE Broker reporting, per license: CE Broker tracks a completion per licensee
 * license, so a learner holding two licenses at issue who was reported for one is
 * still due for the other. A license is named as the certificate's snapshot holds
 * it (type, number, state); one row means "reported", and rows are never removed.
 */
export const ceBrokerReports = sqliteTable(
  "ce_broker_reports",
  {
    certificateId: text("certificate_id")
      .notNull()
      .references(() => certificates.id, { onDelete: "restrict" }),
    licenseType: text("license_type").notNull(),
    licenseNumber: text("license_number").notNull(),
    licenseState: text("license_state").notNull(),
    reportedAt: integer("reported_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.licenseType, t.licenseNumber, t.licenseState] })],
);

/** A license as an external CE entry names it (type, number, state), like a certificate snapshot: profile edits never change it. */
export type LicenseRef = { type: string; number: string; state: string };

/**
 * CE a learner earned elsewhere and recorded here for their transcript
 * (app/transcript/). Self-reported: the platform has not verified it, and every
 * page and export says so. Private to the learner; the optional certificate file
 * lives in the row so database backups include it.
 */
export const externalCe = sqliteTable(
  "external_ce",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    title: text("title").notNull(),
    /** Hundredths of an hour (integer), so sums are exact: 150 = 1.5 CE hours. */
    ceHundredths: integer("ce_hundredths").notNull(),
    /** YYYY-MM-DD, as the provider's certificate states it. */
    completedOn: text("completed_on").notNull(),
    accreditingBody: text("accrediting_body"),
    approvalNumber: text("approval_number"),
    /** The learner's licenses this entry counts toward. */
    licenses: text("licenses", { mode: "json" }).$type<LicenseRef[]>().notNull(),
    fileName: text("file_name"),
    /** From the file's magic bytes, never the client's claim. */
    fileType: text("file_type", { enum: ["application/pdf", "image/png", "image/jpeg"] }),
    fileData: blob("file_data", { mode: "buffer" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("external_ce_user_idx").on(t.userId, t.completedOn)],
);

export type ExternalCe = typeof externalCe.$inferSelect;

export const SUBMISSION_STATUSES = ["submitted", "approved", "revise"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const REVIEW_OUTCOMES = ["approved", "revise"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/**
 * Mentor-reviewed case work (app/mentoring/): one row per version a learner
 * submits for a lesson's assignment; a revision is a new row, so the thread of
 * versions is kept. A version waits ("submitted") until a mentor reviews it.
 */
export const assignmentSubmissions = sqliteTable(
  "assignment_submissions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    moduleSlug: text("module_slug").notNull(),
    lessonSlug: text("lesson_slug").notNull(),
    assignmentId: text("assignment_id").notNull(),
    /** Hash of the assignment file the learner answered. */
    assignmentHash: text("assignment_hash").notNull(),
    /** 1, 2, ... within the learner's thread for this assignment. */
    version: integer("version").notNull(),
    body: text("body").notNull(),
    wordCount: integer("word_count").notNull(),
    status: text("status", { enum: SUBMISSION_STATUSES }).notNull().default("submitted"),
    /** The mentor who claimed it; null while it is open to every mentor. */
    claimedBy: text("claimed_by").references(() => users.id),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    /** The form's one-time token: a repeated post of the same form finds this row instead of adding one. */
    submitToken: text("submit_token").notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
    reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("assignment_submissions_thread_version_unique").on(t.userId, t.courseId, t.moduleSlug, t.lessonSlug, t.version),
    uniqueIndex("assignment_submissions_token_unique").on(t.userId, t.submitToken),
    index("assignment_submissions_queue_idx").on(t.status, t.submittedAt),
  ],
);

/** A criterion's score; `title` and `max` record the rubric as scored (absent in reviews saved before they were kept). */
export type CriterionScore = { criterionId: string; title?: string; max?: number; score: number; comment: string };

/** A mentor's review of one submitted version: a score and comment per rubric criterion, and the outcome. */
export const assignmentReviews = sqliteTable(
  "assignment_reviews",
  {
    id: text("id").primaryKey(),
    submissionId: text("submission_id")
      .notNull()
      .references(() => assignmentSubmissions.id, { onDelete: "cascade" }),
    mentorId: text("mentor_id")
      .notNull()
      .references(() => users.id),
    outcome: text("outcome", { enum: REVIEW_OUTCOMES }).notNull(),
    scores: text("scores", { mode: "json" }).$type<CriterionScore[]>().notNull(),
    comment: text("comment").notNull(),
    reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("assignment_reviews_submission_unique").on(t.submissionId), index("assignment_reviews_mentor_idx").on(t.mentorId, t.reviewedAt)],
);

export type AssignmentSubmission = typeof assignmentSubmissions.$inferSelect;
export type AssignmentReview = typeof assignmentReviews.$inferSelect;

// ---- branching cases (app/cases/) ----------------------------------------------

/**
 * A learner's play-through of a branching case. The case as it was when the run
 * started is stored in `snapshot`, so the run plays on and replays exactly even
 * after the case file changes (as quiz attempts keep their questions).
 */
export const caseRuns = sqliteTable(
  "case_runs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: text("course_id").notNull(),
    moduleSlug: text("module_slug").notNull(),
    caseSlug: text("case_slug").notNull(),
    /** Hash of the case file the run plays. */
    caseVersion: text("case_version").notNull(),
    snapshot: text("snapshot", { mode: "json" }).$type<CaseDef>().notNull(),
    currentScene: text("current_scene").notNull(),
    status: text("status", { enum: ["open", "finished"] }).notNull(),
    /** At the end: "best" (every choice best), "safe" (no unsafe choice, even one taken back) or "unsafe". */
    outcome: text("outcome", { enum: ["best", "safe", "unsafe"] }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** Seconds of time on task credited at its choices, on the learner's one activity clock (app/cases/time.server.ts). */
    activeSeconds: integer("active_seconds").notNull().default(0),
  },
  (t) => [
    index("case_runs_user_idx").on(t.userId, t.courseId, t.moduleSlug, t.caseSlug),
    index("case_runs_case_idx").on(t.courseId, t.moduleSlug, t.caseSlug, t.caseVersion),
    // At most one open run per learner and case: a double "start" resumes it.
    uniqueIndex("case_runs_one_open").on(t.userId, t.courseId, t.moduleSlug, t.caseSlug).where(sql`status = 'open'`),
  ],
);

/** Each choice of a run, in order (`seq`); a choice taken back with "go back" is kept, marked retracted. */
export const caseSteps = sqliteTable(
  "case_steps",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => caseRuns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    sceneId: text("scene_id").notNull(),
    choiceId: text("choice_id").notNull(),
    toScene: text("to_scene").notNull(),
    rating: text("rating", { enum: ["best", "acceptable", "outside-scope", "unsafe"] }).notNull(),
    retracted: integer("retracted", { mode: "boolean" }).notNull().default(false),
    chosenAt: integer("chosen_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("case_steps_run_seq").on(t.runId, t.seq)],
);

export type CaseRun = typeof caseRuns.$inferSelect;
export type CaseStep = typeof caseSteps.$inferSelect;
