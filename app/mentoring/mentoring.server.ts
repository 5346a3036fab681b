import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { appendAudit } from "#app/audit/audit.server.ts";
import { findLesson, listCourses } from "#app/content/catalog.server.ts";
import type { CourseEntry, LessonEntry, ModuleEntry } from "#app/content/load.server.ts";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { assignmentReviews, assignmentSubmissions, enrollments, users, type AssignmentReview, type AssignmentSubmission, type CriterionScore, type Role } from "#app/db/schema.ts";
import { submissionArrivedEmail, submissionReviewedEmail } from "#app/email/assignment-notices.ts";
import { enqueueEmail } from "#app/email/queue.server.ts";
import { publicOrigin } from "#app/env.server.ts";
import { countWords, type Assignment } from "./assignment.ts";
import { describeFindings, findIdentifiers, type Finding } from "./identifiers.ts";

/**
 * Mentor-reviewed case work. A learner submits a version of a lesson's assignment;
 * mentors (and admins) see it in a queue while it is open or claimed by them, score
 * it against the rubric and return "approved" (meets the standard) or "revise"; a
 * revision is a new version in the same thread. Every write is one transaction
 * with its audit entry and its email notices.
 */

export const MAX_BODY_CHARS = 40_000;

export type AssignmentPlace = { course: CourseEntry; module: ModuleEntry; lesson: LessonEntry; assignment: Assignment };

/** A lesson's assignment, where the lesson is visible to this reader. */
export async function findAssignment(courseId: string, moduleSlug: string, lessonSlug: string, includeDrafts = false): Promise<AssignmentPlace | null> {
  const found = await findLesson(courseId, moduleSlug, lessonSlug, includeDrafts);
  if (!found?.lesson.assignment) return null;
  return { course: found.course, module: found.module, lesson: found.lesson, assignment: found.lesson.assignment };
}

export function assignmentPath(p: { courseId: string; moduleSlug: string; lessonSlug: string }): string {
  return `/courses/${p.courseId}/${p.moduleSlug}/${p.lessonSlug}/assignment`;
}

export type ThreadEntry = AssignmentSubmission & { review: AssignmentReview | null };

const threadOf = (userId: string, courseId: string, moduleSlug: string, lessonSlug: string) =>
  and(eq(assignmentSubmissions.userId, userId), eq(assignmentSubmissions.courseId, courseId), eq(assignmentSubmissions.moduleSlug, moduleSlug), eq(assignmentSubmissions.lessonSlug, lessonSlug));

/** A learner's versions of one assignment, oldest first, each with its review. */
export function getThread(userId: string, courseId: string, moduleSlug: string, lessonSlug: string, tx: Pick<DB, "select"> = getDb()): ThreadEntry[] {
  const rows = tx
    .select({ s: assignmentSubmissions, r: assignmentReviews })
    .from(assignmentSubmissions)
    .leftJoin(assignmentReviews, eq(assignmentReviews.submissionId, assignmentSubmissions.id))
    .where(threadOf(userId, courseId, moduleSlug, lessonSlug))
    .orderBy(asc(assignmentSubmissions.version))
    .all();
  return rows.map(({ s, r }) => ({ ...s, review: r }));
}

export type SubmitResult =
  | { ok: true; submission: AssignmentSubmission; duplicate: boolean }
  | { ok: false; status: 400 | 409; message: string; findings?: Finding[] };

/**
 * Stores a new version, after the identifier and word-limit checks (a refusal
 * stores nothing). The form's one-time token makes a repeated post return the
 * version it already created. Mentors are told in the same transaction.
 */
export function submitAssignment(userId: string, place: AssignmentPlace, input: { body: string; token: string }, now: Date = new Date()): SubmitResult {
  const { course, module, lesson, assignment } = place;
  const db = getDb();
  const token = input.token.trim();
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(token)) return { ok: false, status: 400, message: "The form expired. Reload the page and submit again." };
  const earlier = db.select().from(assignmentSubmissions).where(and(eq(assignmentSubmissions.userId, userId), eq(assignmentSubmissions.submitToken, token))).get();
  if (earlier) return { ok: true, submission: earlier, duplicate: true };

  const body = input.body.replace(/\r\n/g, "\n").trim();
  if (body.length > MAX_BODY_CHARS) return { ok: false, status: 400, message: `Keep your text under ${MAX_BODY_CHARS.toLocaleString("en-US")} characters.` };
  const words = countWords(body);
  if (words < assignment.minWords) return { ok: false, status: 400, message: `Write at least ${assignment.minWords} words; this has ${words}.` };
  if (words > assignment.maxWords) return { ok: false, status: 400, message: `Keep to at most ${assignment.maxWords} words; this has ${words}.` };
  const findings = findIdentifiers(body);
  if (findings.length) return { ok: false, status: 400, message: describeFindings(findings), findings };

  const enrolled = db.select({ id: enrollments.id }).from(enrollments).where(and(eq(enrollments.userId, userId), eq(enrollments.courseId, course.id))).get();
  if (!enrolled) return { ok: false, status: 409, message: "Start the course before submitting case work." };

  return db.transaction((tx) => {
    const thread = getThread(userId, course.id, module.slug, lesson.slug, tx);
    const last = thread.at(-1);
    if (last?.status === "submitted") return { ok: false as const, status: 409 as const, message: `Version ${last.version} is waiting for a mentor's review; you can revise it once it is reviewed.` };
    if (last?.status === "approved") return { ok: false as const, status: 409 as const, message: "This assignment already meets the standard; there is nothing more to submit." };
    const reviewer = last?.review ? tx.select({ id: users.id }).from(users).where(and(eq(users.id, last.review.mentorId), canReview)).get() : undefined;
    const submission: AssignmentSubmission = {
      id: createId(),
      userId,
      courseId: course.id,
      moduleSlug: module.slug,
      lessonSlug: lesson.slug,
      assignmentId: assignment.id,
      assignmentHash: assignment.hash,
      version: (last?.version ?? 0) + 1,
      body,
      wordCount: words,
      status: "submitted",
      // A revision goes back to the mentor who asked for it, while they can still review.
      claimedBy: reviewer?.id ?? null,
      claimedAt: reviewer ? now : null,
      submitToken: token,
      submittedAt: now,
      reviewedAt: null,
    };
    tx.insert(assignmentSubmissions).values(submission).run();
    appendAudit(tx, { actorId: userId, action: "assignment.submitted", entityType: "assignment_submission", entityId: submission.id, after: { courseId: course.id, assignment: `${module.slug}/${lesson.slug}/${assignment.id}`, version: submission.version, words }, at: now });
    const mentors = submission.claimedBy
      ? tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, submission.claimedBy)).all()
      : tx.select({ name: users.name, email: users.email }).from(users).where(and(eq(users.role, "mentor"), isNull(users.deactivatedAt), ne(users.id, userId))).all();
    for (const m of mentors) {
      const message = submissionArrivedEmail({ mentorName: m.name, assignmentTitle: assignment.title, courseTitle: course.title, version: submission.version, reviewUrl: `${publicOrigin()}/mentor/${submission.id}` });
      enqueueEmail({ to: m.email, template: "assignment-submitted", ...message }, tx, now);
    }
    return { ok: true as const, submission, duplicate: false };
  });
}

/** Who may review: an active mentor or admin. */
const canReview = and(inArray(users.role, ["mentor", "admin"]), isNull(users.deactivatedAt));

/**
 * What a mentor may see: open submissions, and those claimed by them; reviewed ones
 * stay visible to their reviewer. Never their own work: a mentor or admin who
 * takes a course is reviewed by someone else.
 */
function visibleTo(mentorId: string): SQL {
  return and(ne(assignmentSubmissions.userId, mentorId), or(isNull(assignmentSubmissions.claimedBy), eq(assignmentSubmissions.claimedBy, mentorId)))!;
}

export type QueueFilters = { courseId?: string; minAgeDays?: number; learner?: string };

export type QueueRow = { id: string; courseId: string; courseTitle: string; assignmentTitle: string; version: number; learnerName: string; submittedAt: Date; claimedByMe: boolean; wordCount: number };

/** Submissions awaiting review that this mentor may work, oldest first. */
export async function listQueue(mentorId: string, filters: QueueFilters = {}, now: Date = new Date()): Promise<QueueRow[]> {
  const conditions: SQL[] = [eq(assignmentSubmissions.status, "submitted"), visibleTo(mentorId)];
  if (filters.courseId) conditions.push(eq(assignmentSubmissions.courseId, filters.courseId));
  if (filters.minAgeDays) conditions.push(lte(assignmentSubmissions.submittedAt, new Date(now.getTime() - filters.minAgeDays * 86_400_000)));
  if (filters.learner) {
    const pattern = `%${filters.learner.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(sql`${users.name} like ${pattern} escape '\\'`, sql`${users.email} like ${pattern} escape '\\'`)!);
  }
  const rows = getDb()
    .select({ s: assignmentSubmissions, learnerName: users.name })
    .from(assignmentSubmissions)
    .innerJoin(users, eq(users.id, assignmentSubmissions.userId))
    .where(and(...conditions))
    .orderBy(asc(assignmentSubmissions.submittedAt), asc(assignmentSubmissions.id))
    .limit(200)
    .all();
  return Promise.all(
    rows.map(async ({ s, learnerName }) => {
      const place = await findAssignment(s.courseId, s.moduleSlug, s.lessonSlug, true);
      return {
        id: s.id,
        courseId: s.courseId,
        courseTitle: place?.course.title ?? s.courseId,
        assignmentTitle: place?.assignment.title ?? s.assignmentId,
        version: s.version,
        learnerName,
        submittedAt: s.submittedAt,
        claimedByMe: s.claimedBy === mentorId,
        wordCount: s.wordCount,
      };
    }),
  );
}

export type MentorView = { submission: AssignmentSubmission; learner: { name: string }; place: AssignmentPlace; thread: ThreadEntry[]; claimedByName: string | null };

/** One submission with its thread, when this mentor may see it; null otherwise (claimed by another mentor, or unknown). */
export async function getSubmissionForMentor(mentorId: string, submissionId: string): Promise<MentorView | null> {
  const db = getDb();
  const submission = db.select().from(assignmentSubmissions).where(and(eq(assignmentSubmissions.id, submissionId), visibleTo(mentorId))).get();
  if (!submission) return null;
  const place = await findAssignment(submission.courseId, submission.moduleSlug, submission.lessonSlug, true);
  if (!place) return null;
  const learner = db.select({ name: users.name }).from(users).where(eq(users.id, submission.userId)).get()!;
  const claimedByName = submission.claimedBy ? (db.select({ name: users.name }).from(users).where(eq(users.id, submission.claimedBy)).get()?.name ?? null) : null;
  const thread = getThread(submission.userId, submission.courseId, submission.moduleSlug, submission.lessonSlug);
  return { submission, learner, place, thread, claimedByName };
}

export type MentorActionResult = { ok: true; message: string } | { ok: false; status: 400 | 404 | 409; message: string; fieldErrors?: Record<string, string> };

/** Takes an open submission: from now only this mentor sees it. */
export function claimSubmission(mentorId: string, submissionId: string, now: Date = new Date()): MentorActionResult {
  return getDb().transaction((tx) => {
    const changed = tx
      .update(assignmentSubmissions)
      .set({ claimedBy: mentorId, claimedAt: now })
      .where(and(eq(assignmentSubmissions.id, submissionId), eq(assignmentSubmissions.status, "submitted"), isNull(assignmentSubmissions.claimedBy), ne(assignmentSubmissions.userId, mentorId)))
      .run().changes;
    if (!changed) {
      const row = tx.select({ claimedBy: assignmentSubmissions.claimedBy }).from(assignmentSubmissions).where(and(eq(assignmentSubmissions.id, submissionId), visibleTo(mentorId))).get();
      if (row?.claimedBy === mentorId) return { ok: true as const, message: "You have already claimed this submission." };
      return { ok: false as const, status: 409 as const, message: "This submission is no longer open: another mentor claimed it, or it was reviewed." };
    }
    appendAudit(tx, { actorId: mentorId, action: "assignment.claimed", entityType: "assignment_submission", entityId: submissionId, at: now });
    return { ok: true as const, message: "Claimed: this submission is now assigned to you." };
  });
}

/** Hands a claimed submission back to the open queue. */
export function releaseSubmission(mentorId: string, submissionId: string, now: Date = new Date()): MentorActionResult {
  return getDb().transaction((tx) => {
    const changed = tx
      .update(assignmentSubmissions)
      .set({ claimedBy: null, claimedAt: null })
      .where(and(eq(assignmentSubmissions.id, submissionId), eq(assignmentSubmissions.status, "submitted"), eq(assignmentSubmissions.claimedBy, mentorId)))
      .run().changes;
    if (!changed) return { ok: false as const, status: 409 as const, message: "Only a submission you claimed and have not reviewed can be released." };
    appendAudit(tx, { actorId: mentorId, action: "assignment.released", entityType: "assignment_submission", entityId: submissionId, at: now });
    return { ok: true as const, message: "Released: the submission is open to every mentor again." };
  });
}

/**
 * Returns to the open queue what someone had claimed and not reviewed, when they
 * can no longer review (deactivated, or no longer a mentor or admin): otherwise
 * the work, revisions included, would wait for them for good. Inside the caller's
 * transaction, one audit entry per submission.
 */
export function releaseClaimsOf(tx: Pick<DB, "select" | "update" | "insert">, mentorId: string, actorId: string, reason: string, now: Date = new Date()): number {
  const claimed = tx
    .select({ id: assignmentSubmissions.id })
    .from(assignmentSubmissions)
    .where(and(eq(assignmentSubmissions.claimedBy, mentorId), eq(assignmentSubmissions.status, "submitted")))
    .all();
  for (const { id } of claimed) unclaim(tx, id, mentorId, actorId, reason, now);
  return claimed.length;
}

/** Returns one submission to the open queue, with its audit entry: who released it from whom, and why. */
function unclaim(tx: Pick<DB, "update" | "select" | "insert">, submissionId: string, claimedBy: string, actorId: string, reason: string, now: Date): void {
  tx.update(assignmentSubmissions).set({ claimedBy: null, claimedAt: null }).where(eq(assignmentSubmissions.id, submissionId)).run();
  appendAudit(tx, { actorId, action: "assignment.released", entityType: "assignment_submission", entityId: submissionId, before: { claimedBy }, after: { claimedBy: null, reason }, at: now });
}

/** An admin hands a claimed, unreviewed submission back to the open queue (a mentor away, say). */
export function returnToQueue(adminId: string, submissionId: string, now: Date = new Date()): MentorActionResult {
  return getDb().transaction((tx) => {
    const row = tx.select({ claimedBy: assignmentSubmissions.claimedBy }).from(assignmentSubmissions).where(and(eq(assignmentSubmissions.id, submissionId), eq(assignmentSubmissions.status, "submitted"))).get();
    if (!row?.claimedBy) return { ok: false as const, status: 409 as const, message: "That submission is not claimed, or it has been reviewed: nothing to return." };
    unclaim(tx, submissionId, row.claimedBy, adminId, "returned to the open queue by an admin", now);
    return { ok: true as const, message: "Returned to the open queue: every mentor can now claim it." };
  });
}

export const MAX_COMMENT_CHARS = 5000;

/**
 * Records a review: a score (and optional comment) per rubric criterion, an
 * overall comment and the outcome. The submission, the review, the audit entry
 * and the learner's email are one transaction; a second review of the same
 * version is refused.
 */
export async function reviewSubmission(mentorId: string, submissionId: string, form: FormData, now: Date = new Date()): Promise<MentorActionResult> {
  const view = await getSubmissionForMentor(mentorId, submissionId);
  if (!view) return { ok: false, status: 404, message: "Submission not found." };
  const { submission, place } = view;
  const fieldErrors: Record<string, string> = {};
  const scores: CriterionScore[] = [];
  // Browsers send a line break as CRLF; counted as one character, as the textarea's maxLength counts it.
  const text = (name: string) => String(form.get(name) ?? "").replace(/\r\n/g, "\n").trim();
  for (const c of place.assignment.rubric) {
    const raw = text(`score:${c.id}`);
    const score = Number(raw);
    if (!raw || !Number.isInteger(score) || score < c.score.min || score > c.score.max) fieldErrors[`score:${c.id}`] = `${c.title}: choose a score from ${c.score.min} to ${c.score.max}.`;
    const comment = text(`comment:${c.id}`);
    if (comment.length > MAX_COMMENT_CHARS) fieldErrors[`comment:${c.id}`] = `${c.title}: keep the comment under ${MAX_COMMENT_CHARS} characters.`;
    // The criterion's title and range as scored, so the review reads the same after the rubric changes.
    scores.push({ criterionId: c.id, title: c.title, max: c.score.max, score, comment });
  }
  const comment = text("comment");
  if (!comment) fieldErrors.comment = "Write an overall comment for the learner.";
  else if (comment.length > MAX_COMMENT_CHARS) fieldErrors.comment = `Keep the overall comment under ${MAX_COMMENT_CHARS} characters.`;
  const outcome = form.get("outcome");
  if (outcome !== "approved" && outcome !== "revise") fieldErrors.outcome = 'Choose an outcome: "meets the standard" or "revise".';
  if (Object.keys(fieldErrors).length) return { ok: false, status: 400, message: Object.values(fieldErrors).join(" "), fieldErrors };
  const verdict = outcome as "approved" | "revise";

  return getDb().transaction((tx) => {
    const changed = tx
      .update(assignmentSubmissions)
      .set({ status: verdict, reviewedAt: now, claimedBy: mentorId, claimedAt: submission.claimedAt ?? now })
      .where(and(eq(assignmentSubmissions.id, submissionId), eq(assignmentSubmissions.status, "submitted"), visibleTo(mentorId)))
      .run().changes;
    if (!changed) return { ok: false as const, status: 409 as const, message: "This submission has already been reviewed, or another mentor claimed it." };
    const reviewId = createId();
    tx.insert(assignmentReviews).values({ id: reviewId, submissionId, mentorId, outcome: verdict, scores, comment, reviewedAt: now }).run();
    appendAudit(tx, {
      actorId: mentorId,
      action: "assignment.reviewed",
      entityType: "assignment_submission",
      entityId: submissionId,
      before: { status: "submitted" },
      // The assignment version scored against: the rubric an auditor rebuilds from the content's history.
      after: { status: verdict, reviewId, version: submission.version, assignmentHash: place.assignment.hash, scores: scores.map((s) => ({ [s.criterionId]: s.score })) },
      at: now,
    });
    const learner = tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, submission.userId)).get()!;
    const message = submissionReviewedEmail({
      name: learner.name,
      assignmentTitle: place.assignment.title,
      courseTitle: place.course.title,
      version: submission.version,
      approved: verdict === "approved",
      threadUrl: `${publicOrigin()}${assignmentPath(submission)}`,
    });
    enqueueEmail({ to: learner.email, template: "assignment-reviewed", ...message }, tx, now);
    return { ok: true as const, message: verdict === "approved" ? "Review saved: the submission meets the standard. The learner has been told." : "Review saved: the learner has been asked to revise." };
  });
}

function percentile(sorted: number[], p: number): number {
  // Nearest-rank: the smallest value with at least p of the values at or below it.
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export type MentoringOverview = {
  turnaround: Array<{ courseId: string; courseTitle: string; reviewed: number; medianHours: number; p90Hours: number }>;
  mentors: Array<{ id: string; name: string; role: Role; claimed: number; reviewed30d: number }>;
  waiting: Array<{ id: string; courseTitle: string; learnerName: string; version: number; submittedAt: Date; claimedByName: string | null }>;
};

/** The admin's view: turnaround (submitted to reviewed) per course, each mentor's load, and what is waiting. */
export async function mentoringOverview(now: Date = new Date()): Promise<MentoringOverview> {
  const db = getDb();
  const courses = new Map((await listCourses()).map((c) => [c.id, c.title]));
  const reviewed = db
    .select({ courseId: assignmentSubmissions.courseId, submittedAt: assignmentSubmissions.submittedAt, reviewedAt: assignmentSubmissions.reviewedAt })
    .from(assignmentSubmissions)
    .where(isNotNull(assignmentSubmissions.reviewedAt))
    .all();
  const byCourse = new Map<string, number[]>();
  for (const r of reviewed) {
    const list = byCourse.get(r.courseId) ?? [];
    list.push((r.reviewedAt!.getTime() - r.submittedAt.getTime()) / 3_600_000);
    byCourse.set(r.courseId, list);
  }
  const round = (h: number) => Math.round(h * 10) / 10;
  const turnaround = [...byCourse].map(([courseId, hours]) => {
    const sorted = hours.sort((a, b) => a - b);
    return { courseId, courseTitle: courses.get(courseId) ?? courseId, reviewed: sorted.length, medianHours: round(percentile(sorted, 0.5)), p90Hours: round(percentile(sorted, 0.9)) };
  });
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const people = db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(and(inArray(users.role, ["mentor", "admin"]), isNull(users.deactivatedAt))).orderBy(asc(users.name)).all();
  const claimedCounts = new Map(
    db.select({ id: assignmentSubmissions.claimedBy, n: sql<number>`count(*)` }).from(assignmentSubmissions).where(and(eq(assignmentSubmissions.status, "submitted"), isNotNull(assignmentSubmissions.claimedBy))).groupBy(assignmentSubmissions.claimedBy).all().map((r) => [r.id, r.n]),
  );
  const reviewedCounts = new Map(
    db.select({ id: assignmentReviews.mentorId, n: sql<number>`count(*)` }).from(assignmentReviews).where(gte(assignmentReviews.reviewedAt, since)).groupBy(assignmentReviews.mentorId).all().map((r) => [r.id, r.n]),
  );
  const mentors = people
    .map((p) => ({ ...p, claimed: claimedCounts.get(p.id) ?? 0, reviewed30d: reviewedCounts.get(p.id) ?? 0 }))
    // Admins are listed only when they do mentoring work.
    .filter((p) => p.role === "mentor" || p.claimed || p.reviewed30d);
  const claimer = alias(users, "claimer");
  const waitingRows = db
    .select({ s: assignmentSubmissions, learnerName: users.name, claimedByName: claimer.name })
    .from(assignmentSubmissions)
    .innerJoin(users, eq(users.id, assignmentSubmissions.userId))
    .leftJoin(claimer, eq(claimer.id, assignmentSubmissions.claimedBy))
    .where(eq(assignmentSubmissions.status, "submitted"))
    .orderBy(asc(assignmentSubmissions.submittedAt))
    .all();
  const waiting = waitingRows.map(({ s, learnerName, claimedByName }) => ({ id: s.id, courseTitle: courses.get(s.courseId) ?? s.courseId, learnerName, version: s.version, submittedAt: s.submittedAt, claimedByName }));
  return { turnaround, mentors, waiting };
}

/** The courses that have assignments, for the queue's course filter. */
export async function coursesWithAssignments(): Promise<Array<{ id: string; title: string }>> {
  return (await listCourses()).filter((c) => c.modules.some((m) => m.lessons.some((l) => l.assignment))).map((c) => ({ id: c.id, title: c.title }));
}


