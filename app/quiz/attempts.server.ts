import { randomInt } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { getQuizBank } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { quizAttempts, type QuizAttempt } from "#app/db/schema.ts";
import { countQuizSubmission } from "#app/http/metrics.server.ts";
import { ensureEnrollment } from "#app/progress/enrollment.server.ts";
import { getCourseProgress } from "#app/progress/lessons.server.ts";
import { drawQuestions } from "./draw.server.ts";
import { gradeAnswers } from "./grade.server.ts";

const DAY_MS = 24 * 3_600_000;

export type QuizState = {
  unlocked: boolean;
  lessonsLeft: number;
  passed: boolean;
  bestScore: number | null;
  attemptsUsed: number;
  maxAttempts: number | null;
  canStart: boolean;
  blockedReason: string | null;
  retryAt: Date | null;
  open: QuizAttempt | null;
  history: QuizAttempt[];
};

export async function listAttempts(userId: string, courseId: string, moduleSlug: string): Promise<QuizAttempt[]> {
  return getDb()
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.courseId, courseId), eq(quizAttempts.moduleSlug, moduleSlug)))
    .orderBy(desc(quizAttempts.startedAt))
    .all();
}

/**
 * Whether the quiz is unlocked (every lesson of the module complete, and of the
 * earlier modules a post-test covers) and a new attempt may start.
 */
export async function getQuizState(userId: string, course: CourseEntry, moduleSlug: string, now: Date = new Date()): Promise<QuizState> {
  const progress = await getCourseProgress(userId, course);
  const covers = course.modules.find((m) => m.slug === moduleSlug)?.quiz?.covers ?? [];
  const lessonsLeft = progress.modules.filter((m) => m.slug === moduleSlug || covers.includes(m.slug)).reduce((n, m) => n + m.lessonsTotal - m.lessonsDone, 0);
  const attempts = await listAttempts(userId, course.id, moduleSlug);
  const history = attempts.filter((a) => a.status === "submitted");
  const open = attempts.find((a) => a.status === "open") ?? null;
  const passed = history.some((a) => a.passed);
  const bestScore = history.length ? Math.max(...history.map((a) => a.score ?? 0)) : null;
  const { maxAttempts, maxAttemptsPer24h, cooldownMinutes } = course.quizPolicy;
  const last = history[0];
  const cooledAt = last && !last.passed && cooldownMinutes ? new Date(last.submittedAt!.getTime() + cooldownMinutes * 60_000) : null;
  // Attempts started in the last 24 hours (newest first); the oldest of them frees a slot when it turns 24 hours old.
  const day = attempts.filter((a) => now.getTime() - a.startedAt.getTime() < DAY_MS);
  const dayFullUntil = maxAttemptsPer24h !== null && day.length >= maxAttemptsPer24h ? new Date(day[maxAttemptsPer24h - 1]!.startedAt.getTime() + DAY_MS) : null;
  const retryAt = [cooledAt, dayFullUntil].filter((d): d is Date => d !== null && d > now).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;

  let blockedReason: string | null = null;
  if (lessonsLeft > 0) blockedReason = `Complete the ${lessonsLeft} remaining lesson${lessonsLeft === 1 ? "" : "s"} of ${covers.length ? "the modules this quiz covers" : "this module"} to unlock the quiz.`;
  else if (passed) blockedReason = "You have passed this quiz.";
  else if (maxAttempts !== null && history.length >= maxAttempts) blockedReason = `You have used all ${maxAttempts} attempts for this quiz. Contact your CE administrator.`;
  else if (retryAt) {
    const when = `${retryAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    blockedReason =
      dayFullUntil && retryAt.getTime() === dayFullUntil.getTime()
        ? `You have used ${maxAttemptsPer24h} attempts in 24 hours. You can retake the quiz from ${when}. Meanwhile, re-study the lessons behind the questions you missed.`
        : `A retake waits ${cooldownMinutes} minutes after an attempt that did not pass. You can retake the quiz from ${when}. Meanwhile, re-study the lessons behind the questions you missed.`;
  }
  return {
    unlocked: lessonsLeft === 0,
    lessonsLeft,
    passed,
    bestScore,
    attemptsUsed: history.length,
    maxAttempts,
    canStart: blockedReason === null,
    blockedReason,
    retryAt,
    open,
    history,
  };
}

/** Starts an attempt, or returns the open one (a double click or second tab resumes it). */
export async function startAttempt(userId: string, course: CourseEntry, moduleSlug: string, now: Date = new Date()): Promise<{ ok: true; attempt: QuizAttempt } | { ok: false; message: string }> {
  const state = await getQuizState(userId, course, moduleSlug, now);
  if (state.open) return { ok: true, attempt: state.open };
  if (!state.canStart) return { ok: false, message: state.blockedReason ?? "This quiz cannot be started." };
  const bank = await getQuizBank(course.id, moduleSlug);
  if (!bank) return { ok: false, message: "This module has no quiz." };
  await ensureEnrollment(userId, course, now);
  const seed = randomInt(0, 2 ** 31 - 1);
  // Every earlier attempt, newest first: a retake draws questions never shown before first.
  const questions = drawQuestions(bank, seed, state.history.map((a) => a.questions.map((q) => q.id)));
  const inserted = getDb()
    .insert(quizAttempts)
    .values({ id: createId(), userId, courseId: course.id, moduleSlug, quizVersion: bank.hash, seed, questions, passMark: course.passMark, status: "open", startedAt: now })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) return { ok: true, attempt: inserted };
  // Another request started one at the same moment: resume that one.
  const open = (await listAttempts(userId, course.id, moduleSlug)).find((a) => a.status === "open");
  return open ? { ok: true, attempt: open } : { ok: false, message: "The quiz could not be started. Try again." };
}

export async function getAttempt(userId: string, attemptId: string): Promise<QuizAttempt | null> {
  return getDb().select().from(quizAttempts).where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId))).get() ?? null;
}

export type SubmitResult = { ok: true; attempt: QuizAttempt; alreadySubmitted: boolean } | { ok: false; status: 400 | 404; message: string };

/**
 * Grades and records an attempt exactly once. Every question must be answered
 * with options it offers; otherwise nothing is written. A repeated submission
 * returns the recorded result.
 */
export async function submitAttempt(userId: string, attemptId: string, answers: Record<string, string[]>, now: Date = new Date()): Promise<SubmitResult> {
  const attempt = await getAttempt(userId, attemptId);
  if (!attempt) return { ok: false, status: 404, message: "That quiz attempt was not found." };
  if (attempt.status === "submitted") return { ok: true, attempt, alreadySubmitted: true };

  const unknownQuestions = Object.keys(answers).filter((id) => !attempt.questions.some((q) => q.id === id));
  if (unknownQuestions.length) return { ok: false, status: 400, message: "The form contains answers to questions that are not part of this attempt. Reload the page and try again." };
  const unanswered: number[] = [];
  for (const [i, q] of attempt.questions.entries()) {
    const chosen = answers[q.id] ?? [];
    if (!chosen.length) {
      unanswered.push(i + 1);
      continue;
    }
    const valid = new Set(q.options.map((o) => o.id));
    if (chosen.some((c) => !valid.has(c))) return { ok: false, status: 400, message: `Question ${i + 1} has an answer that is not one of its options. Reload the page and try again.` };
    if (q.type !== "multiple" && chosen.length > 1) return { ok: false, status: 400, message: `Question ${i + 1} takes one answer only.` };
  }
  if (unanswered.length) {
    return { ok: false, status: 400, message: `Answer every question before submitting: question${unanswered.length === 1 ? "" : "s"} ${unanswered.join(", ")} ${unanswered.length === 1 ? "has" : "have"} no answer.` };
  }

  const graded = gradeAnswers(attempt.questions, answers, attempt.passMark);
  // Stored as a plain object holding the attempt's own question ids only.
  const recorded = Object.fromEntries(attempt.questions.map((q) => [q.id, answers[q.id]!]));
  const updated = getDb()
    .update(quizAttempts)
    .set({ status: "submitted", answers: recorded, results: graded.results, points: graded.points, maxPoints: graded.maxPoints, score: graded.score, passed: graded.passed, submittedAt: now })
    .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.status, "open")))
    .returning()
    .get();
  if (updated) {
    countQuizSubmission(updated.passed === true);
    return { ok: true, attempt: updated, alreadySubmitted: false };
  }
  // Submitted by a concurrent request: report that one.
  return { ok: true, attempt: (await getAttempt(userId, attemptId))!, alreadySubmitted: true };
}

/** Reads `q-<question id>` fields of a quiz form. */
export function answersFromForm(form: FormData): Record<string, string[]> {
  // A null-prototype map: a field named q-__proto__ or q-constructor is just an unknown question.
  const answers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of form.entries()) {
    if (!name.startsWith("q-") || typeof value !== "string") continue;
    (answers[name.slice(2)] ??= []).push(value);
  }
  return answers;
}
