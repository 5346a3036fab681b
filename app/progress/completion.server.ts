import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { attestations, certificates, completions, enrollments, evaluations, quizAttempts } from "#app/db/schema.ts";
import { ensureCredential, issueCertificate } from "#app/certificates/certificates.server.ts";
import { getCourseProgress, type CourseProgress } from "./lessons.server.ts";
import { getEnrollment } from "./enrollment.server.ts";
import { learnerInCourse } from "#app/db/where.ts";
import { formatDuration } from "#app/content/format.ts";
import { enqueueCompletionEmail } from "#app/email/completion.server.ts";
import { assignmentRequirement, type AssignmentRequirement } from "#app/mentoring/completion.server.ts";
import { caseRequirement, caseRequirementMessage, type CaseRequirementStatus } from "#app/cases/runs.server.ts";
import { prerequisiteMessage, prerequisitesFor } from "./prerequisites.server.ts";
import { caseSeconds, countedRuns, courseHasCases } from "#app/cases/time.server.ts";

export const ATTESTATION_STATEMENT =
  "I attest that I personally completed all of the work of this course (every lesson, the module quizzes and the evaluation), that no one else completed any part of it for me, and that the information in my profile, including my name and license, is accurate.";

/** The credited time a course needs in all: its courseMinimum share of its CE hours. */
export function requiredCourseSeconds(course: Pick<CourseEntry, "ceHours" | "creditPolicy">, ceHours: number = course.ceHours): number {
  return Math.ceil(ceHours * 3600 * course.creditPolicy.courseMinimum);
}

/**
 * The CE hours a learner's completion credits: what the course offered when they
 * enrolled (their requirements are pinned then too), and never more than it
 * offers now. Raising the hours with new lessons that were not required of them
 * credits them nothing more; lowering them binds everyone.
 */
export function creditedHours(course: Pick<CourseEntry, "ceHours">, enrollment: { ceHours: number | null } | null): number {
  return Math.min(enrollment?.ceHours ?? course.ceHours, course.ceHours);
}

export type CompletionStatus = {
  /** The CE hours completion credits this learner (creditedHours). */
  ceHours: number;
  lessonsDone: boolean;
  /** Credited active time (lessons and cases) against the course's minimum. */
  time: { activeSeconds: number; lessonSeconds: number; caseSeconds: number; requiredSeconds: number; met: boolean };
  quizzesPassed: boolean;
  evaluation: { submittedAt: Date } | null;
  attestation: { signedAt: Date } | null;
  /** The course's branching-case requirement (course.yaml `cases.required`). */
  cases: CaseRequirementStatus;
  completion: typeof completions.$inferSelect | null;
  /** Required mentor-reviewed assignments, and those without an approved submission. */
  assignments: AssignmentRequirement;
};

/** Pass `progress` when the caller already computed it, so it is not computed twice. */
export async function getCompletionStatus(userId: string, course: CourseEntry, known?: CourseProgress): Promise<CompletionStatus> {
  const progress = known ?? (await getCourseProgress(userId, course));
  const db = getDb();
  const evaluation = db.select().from(evaluations).where(learnerInCourse(evaluations, userId, course.id)).get() ?? null;
  const attestation = db.select().from(attestations).where(learnerInCourse(attestations, userId, course.id)).get() ?? null;
  const completion = db.select().from(completions).where(learnerInCourse(completions, userId, course.id)).get() ?? null;
  const ceHours = creditedHours(course, await getEnrollment(userId, course.id));
  const requiredSeconds = requiredCourseSeconds(course, ceHours);
  const runs = countedRuns(userId, course.id);
  const inCases = caseSeconds(userId, course, runs);
  const activeSeconds = progress.activeSeconds + inCases;
  return {
    ceHours,
    lessonsDone: progress.enrolled && progress.modules.every((m) => m.lessonsDone === m.lessonsTotal),
    time: { activeSeconds, lessonSeconds: progress.activeSeconds, caseSeconds: inCases, requiredSeconds, met: activeSeconds >= requiredSeconds },
    quizzesPassed: progress.enrolled && progress.modules.every((m) => !m.quizRequired || m.quizPassed),
    evaluation: evaluation ? { submittedAt: evaluation.submittedAt } : null,
    attestation: attestation ? { signedAt: attestation.signedAt } : null,
    cases: caseRequirement(userId, course, runs),
    completion,
    assignments: assignmentRequirement(userId, course),
  };
}

/** The evaluation form's fields: APA's questions and ratings, one rating per course objective, free text. */
export function evaluationFields(course: CourseEntry) {
  const questions = course.evaluation?.questions ?? [];
  return [
    ...questions.filter((q) => q.kind !== "text").map((q) => ({ name: q.id, kind: "rating" as const, prompt: q.prompt, required: q.required })),
    ...course.objectives.map((o) => ({ name: `objective:${o.id}`, kind: "rating" as const, prompt: `How well did the course meet this objective: ${o.text}`, required: true })),
    ...questions.filter((q) => q.kind === "text").map((q) => ({ name: q.id, kind: "text" as const, prompt: q.prompt, required: q.required })),
  ];
}

export type EvaluationResult = { ok: true } | { ok: false; status: 400 | 409; fieldErrors: Record<string, string[]> };

export async function submitEvaluation(userId: string, course: CourseEntry, form: FormData, now: Date = new Date()): Promise<EvaluationResult> {
  const status = await getCompletionStatus(userId, course);
  if (status.evaluation) return { ok: true };
  if (!status.lessonsDone || !status.quizzesPassed) {
    return { ok: false, status: 409, fieldErrors: { form: ["Complete every lesson and pass every module quiz before evaluating the course."] } };
  }
  const responses: Record<string, number | string> = {};
  const fieldErrors: Record<string, string[]> = {};
  for (const field of evaluationFields(course)) {
    const raw = String(form.get(field.name) ?? "").trim();
    if (field.kind === "rating") {
      if (!raw) {
        if (field.required) fieldErrors[field.name] = ["Choose a rating from 1 to 5."];
        continue;
      }
      const rating = z.coerce.number().int().min(1).max(5).safeParse(raw);
      if (!rating.success) fieldErrors[field.name] = ["Ratings are whole numbers from 1 to 5."];
      else responses[field.name] = rating.data;
    } else {
      if (raw.length > 5000) fieldErrors[field.name] = ["Keep answers under 5,000 characters."];
      else if (!raw && field.required) fieldErrors[field.name] = ["This question needs an answer."];
      else if (raw) responses[field.name] = raw;
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, status: 400, fieldErrors };
  getDb()
    .insert(evaluations)
    .values({ id: createId(), userId, courseId: course.id, contentVersion: course.version, responses, submittedAt: now })
    .onConflictDoNothing()
    .run();
  return { ok: true };
}

export type CompletionResult =
  | { ok: true; completion: typeof completions.$inferSelect; alreadyComplete: boolean }
  | { ok: false; status: 400 | 409; message: string };

/**
 * Signs the attestation and records the completion in one transaction, once,
 * with the content version and CE hours in force. A repeat returns the record.
 */
export async function attestAndComplete(
  userId: string,
  course: CourseEntry,
  input: { confirmed: boolean; ip: string; userAgent: string | null },
  now: Date = new Date(),
): Promise<CompletionResult> {
  const status = await getCompletionStatus(userId, course);
  if (status.completion) return { ok: true, completion: status.completion, alreadyComplete: true };
  // Credit in a course with prerequisites needs them met, whoever the learner is (previewing staff included).
  const unmet = (await prerequisitesFor(userId, course)).filter((p) => !p.met);
  if (unmet.length) return { ok: false, status: 409, message: prerequisiteMessage(unmet) };
  if (!status.lessonsDone || !status.quizzesPassed) return { ok: false, status: 409, message: "Complete every lesson and pass every module quiz first." };
  if (!status.cases.met) return { ok: false, status: 409, message: caseRequirementMessage(status.cases) };
  if (!status.evaluation) return { ok: false, status: 409, message: "Submit the course evaluation first." };
  if (!status.time.met) {
    const { activeSeconds, requiredSeconds } = status.time;
    return {
      ok: false,
      status: 409,
      message: `This course credits ${status.ceHours} CE hours and needs at least ${formatDuration(requiredSeconds)} of active time on its lessons${courseHasCases(course) ? " and cases" : ""}; you have ${formatDuration(activeSeconds)}. Time is counted while a lesson is open and you are active on it${courseHasCases(course) ? ", and between your choices in a case (up to the time one play-through supports)" : ""}.`,
    };
  }
  if (status.assignments.missing.length) return { ok: false, status: 409, message: status.assignments.message };
  if (!input.confirmed) return { ok: false, status: 400, message: "Tick the box to confirm the attestation." };

  const db = getDb();
  const enrollment = db.select().from(enrollments).where(and(eq(enrollments.userId, userId), eq(enrollments.courseId, course.id))).get()!;
  if (course.pacing) {
    // Credit is earned over the time spent: at most maxHoursPer24h per 24 hours.
    const minimumMs = Math.max(0, Math.ceil(status.ceHours / course.pacing.maxHoursPer24h) - 1) * 24 * 3_600_000;
    const earliest = new Date(enrollment.enrolledAt.getTime() + minimumMs);
    if (earliest > now) {
      return { ok: false, status: 409, message: `This course credits at most ${course.pacing.maxHoursPer24h} CE hours per 24 hours, so it can be completed from ${earliest.toISOString().slice(0, 16).replace("T", " ")} UTC.` };
    }
  }

  const best = db
    .select({ moduleSlug: quizAttempts.moduleSlug, score: quizAttempts.score })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.courseId, course.id), eq(quizAttempts.passed, true)))
    .all();
  const bestByModule = new Map<string, number>();
  for (const b of best) bestByModule.set(b.moduleSlug, Math.max(bestByModule.get(b.moduleSlug) ?? 0, b.score ?? 0));
  const scores = enrollment.quizModules.map((m) => bestByModule.get(m) ?? 0);
  const postTestScore = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 1;
  const activeSeconds = status.time.activeSeconds;

  const completion = db.transaction((tx) => {
    tx.insert(attestations)
      .values({ id: createId(), userId, courseId: course.id, statement: ATTESTATION_STATEMENT, ip: input.ip, userAgent: input.userAgent?.slice(0, 500) ?? null, signedAt: now })
      .onConflictDoNothing()
      .run();
    const inserted = tx.insert(completions)
      .values({ id: createId(), userId, courseId: course.id, contentVersion: course.version, ceHours: status.ceHours, postTestScore: Math.round(postTestScore * 1000) / 1000, activeSeconds, minimumSeconds: status.time.requiredSeconds, completedAt: now })
      .onConflictDoNothing()
      .run();
    const recorded = tx.select().from(completions).where(and(eq(completions.userId, userId), eq(completions.courseId, course.id))).get()!;
    // The certificate is issued in the same transaction as the completion, and its email queued with it:
    // only by the request that recorded the completion (a concurrent repeat inserts nothing and sends nothing).
    const certificate = issueCertificate(tx, course, recorded, now);
    if (inserted.changes) enqueueCompletionEmail(tx, course, certificate, now);
    return recorded;
  });
  const certificate = getDb().select().from(certificates).where(and(eq(certificates.userId, userId), eq(certificates.courseId, course.id), eq(certificates.status, "valid"))).get();
  if (certificate) {
    // Signing is asynchronous, so it follows the transaction; downloads sign on demand if this fails.
    await ensureCredential(certificate).catch((error: unknown) => console.error("[credentials] signing failed; will retry on download", error));
  }
  return { ok: true, completion, alreadyComplete: completion.completedAt.getTime() !== now.getTime() };
}
