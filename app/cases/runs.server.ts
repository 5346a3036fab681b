import { and, asc, desc, eq } from "drizzle-orm";
import { canSeeDrafts, type Role } from "#app/auth/roles.ts";
import { getCatalog } from "#app/content/catalog.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { caseRuns, caseSteps, type CaseRun, type CaseStep } from "#app/db/schema.ts";
import { getEnrollment } from "#app/progress/enrollment.server.ts";
import type { CaseDef } from "./content.server.ts";
import { bestPath } from "./graph.ts";
import { countedRuns, creditCaseChoice, startCaseClock, type CountedRun } from "./time.server.ts";
import { RATING_LABELS, type Rating } from "./schema.ts";

/**
 * Runs of a branching case: each choice is a step, checked against the scene
 * the run is in, written in one transaction with the run's new scene. Runs play
 * from their stored snapshot, so a later edit of the case never changes one.
 */

export type Failure = { ok: false; status: 400 | 403 | 404 | 409; message: string };

/** The case with its keys (server-only), or null. */
export async function getCaseDef(courseId: string, moduleSlug: string, caseSlug: string): Promise<CaseDef | null> {
  // `?.`: a catalog artefact built before cases existed has no map.
  return (await getCatalog()).cases?.[`${courseId}/${moduleSlug}/${caseSlug}`] ?? null;
}

/** Enrolled learners play a course's cases; authors and admins may preview them. */
export async function canPlayCases(user: { id: string; role: Role }, courseId: string): Promise<boolean> {
  return canSeeDrafts(user) || (await getEnrollment(user.id, courseId)) !== null;
}

/** Which case a run belongs to: its course, module and slug. */
type CaseKey = Pick<CaseDef, "courseId" | "moduleSlug" | "slug">;

/** The user's runs of this case: a run is only ever played or changed through its own case's address. */
const ofCase = (userId: string, def: CaseKey) =>
  and(eq(caseRuns.userId, userId), eq(caseRuns.courseId, def.courseId), eq(caseRuns.moduleSlug, def.moduleSlug), eq(caseRuns.caseSlug, def.slug));

export function getOpenRun(userId: string, def: CaseKey): CaseRun | null {
  return getDb().select().from(caseRuns).where(and(ofCase(userId, def), eq(caseRuns.status, "open"))).get() ?? null;
}

export function listRuns(userId: string, def: CaseKey): CaseRun[] {
  return getDb().select().from(caseRuns).where(ofCase(userId, def)).orderBy(desc(caseRuns.startedAt)).all();
}

/** A learner's own run with its steps in order, or null. */
export function getRun(userId: string, runId: string): { run: CaseRun; steps: CaseStep[] } | null {
  const db = getDb();
  const run = db.select().from(caseRuns).where(and(eq(caseRuns.id, runId), eq(caseRuns.userId, userId))).get();
  if (!run) return null;
  return { run, steps: db.select().from(caseSteps).where(eq(caseSteps.runId, run.id)).orderBy(asc(caseSteps.seq)).all() };
}

/** Starts a run of the case as it is now, or resumes the open one (a double "start" starts one run). */
export function startRun(userId: string, def: CaseDef, now: Date = new Date()): CaseRun {
  const db = getDb();
  return db.transaction((tx) => {
    const started = tx.insert(caseRuns)
      .values({ id: createId(), userId, courseId: def.courseId, moduleSlug: def.moduleSlug, caseSlug: def.slug, caseVersion: def.hash, snapshot: def, currentScene: def.start, status: "open", startedAt: now })
      .onConflictDoNothing()
      .run().changes;
    if (started) startCaseClock({ userId, courseId: def.courseId, moduleSlug: def.moduleSlug, caseSlug: def.slug }, now);
    return tx.select().from(caseRuns).where(and(ofCase(userId, def), eq(caseRuns.status, "open"))).get()!;
  });
}

export type ChoiceInput = {
  /** The scene the page showed. */
  scene: string;
  /** How many choices stood on the path when the page was shown (the step this choice is). */
  step: number;
  choice: string;
};

export type ChoiceResult = { ok: true; run: CaseRun; repeated: boolean } | Failure;

/**
 * Records a choice. The same choice for the same step again (a double submit)
 * changes nothing; a choice the current scene does not offer is refused.
 */
export function choose(userId: string, def: CaseKey, runId: string, input: ChoiceInput, now: Date = new Date()): ChoiceResult {
  return getDb().transaction((tx) => {
    const run = tx.select().from(caseRuns).where(and(eq(caseRuns.id, runId), ofCase(userId, def))).get();
    if (!run) return { ok: false, status: 404, message: "This case run was not found." } as const;
    const steps = tx.select().from(caseSteps).where(eq(caseSteps.runId, run.id)).orderBy(asc(caseSteps.seq)).all();
    const path = steps.filter((s) => !s.retracted);
    const already = path[input.step];
    if (already && already.sceneId === input.scene && already.choiceId === input.choice) return { ok: true, run, repeated: true } as const;
    if (run.status === "finished") return { ok: false, status: 409, message: "This run is finished. Start a new run to play the case again." } as const;
    if (input.step !== path.length || input.scene !== run.currentScene) {
      return { ok: false, status: 409, message: "That page was out of date: this step has already been answered. Here is where your run stands now." } as const;
    }
    const scene = run.snapshot.scenes.find((s) => s.id === run.currentScene);
    const choice = scene?.choices.find((c) => c.id === input.choice);
    if (!scene || !choice) return { ok: false, status: 400, message: "That choice is not offered in this scene. Choose one of the options shown." } as const;
    tx.insert(caseSteps)
      .values({ id: createId(), runId: run.id, seq: (steps.at(-1)?.seq ?? 0) + 1, sceneId: scene.id, choiceId: choice.id, toScene: choice.to, rating: choice.rating, chosenAt: now })
      .run();
    const target = run.snapshot.scenes.find((s) => s.id === choice.to);
    const finished = Boolean(target?.ending);
    const ratings = [...steps.map((s) => ({ rating: s.rating, retracted: s.retracted })), { rating: choice.rating, retracted: false }];
    const credited = creditCaseChoice(run, now);
    tx.update(caseRuns)
      .set({ currentScene: choice.to, activeSeconds: run.activeSeconds + credited, ...(finished ? { status: "finished" as const, finishedAt: now, outcome: outcomeOf(ratings) } : {}) })
      .where(eq(caseRuns.id, run.id))
      .run();
    return { ok: true, run: tx.select().from(caseRuns).where(eq(caseRuns.id, run.id)).get()!, repeated: false } as const;
  });
}

/** "unsafe" once any unsafe choice was made (even one taken back); "best" when every choice on the path was best. */
export function outcomeOf(steps: Array<{ rating: Rating; retracted: boolean }>): "best" | "safe" | "unsafe" {
  if (steps.some((s) => s.rating === "unsafe")) return "unsafe";
  return steps.filter((s) => !s.retracted).every((s) => s.rating === "best") ? "best" : "safe";
}

/**
 * Takes back the last choice, where the case allows it. `step` is the path
 * length the page showed: a repeat of the same "go back" changes nothing more.
 */
export function goBack(userId: string, def: CaseKey, runId: string, step: number): { ok: true; run: CaseRun; repeated: boolean } | Failure {
  return getDb().transaction((tx) => {
    const run = tx.select().from(caseRuns).where(and(eq(caseRuns.id, runId), ofCase(userId, def))).get();
    if (!run) return { ok: false, status: 404, message: "This case run was not found." } as const;
    if (!run.snapshot.allowBack) return { ok: false, status: 400, message: "This case does not allow going back: choices stand, as they would in the room." } as const;
    if (run.status === "finished") return { ok: false, status: 409, message: "This run is finished. Start a new run to play the case again." } as const;
    const path = tx.select().from(caseSteps).where(and(eq(caseSteps.runId, run.id), eq(caseSteps.retracted, false))).orderBy(asc(caseSteps.seq)).all();
    const last = path.at(-1);
    if (step !== path.length || !last) return { ok: true, run, repeated: true } as const;
    tx.update(caseSteps).set({ retracted: true }).where(eq(caseSteps.id, last.id)).run();
    tx.update(caseRuns).set({ currentScene: last.sceneId }).where(eq(caseRuns.id, run.id)).run();
    return { ok: true, run: tx.select().from(caseRuns).where(eq(caseRuns.id, run.id)).get()!, repeated: false } as const;
  });
}

export type PublicChoice = { id: string; text: string };

export type Feedback = { choiceText: string; rating: Rating; ratingLabel: string; feedback: string | null; source: { citation: string; url: string | null } | null };

/** What the player page may show of a run: the scene and its choices' texts, and feedback only for choices made. */
export function playView(run: CaseRun, steps: CaseStep[]) {
  const def = run.snapshot;
  const scene = def.scenes.find((s) => s.id === run.currentScene)!;
  const path = steps.filter((s) => !s.retracted);
  const last = path.at(-1);
  return {
    runId: run.id,
    status: run.status,
    step: path.length,
    scene: { id: scene.id, narrative: scene.narrative, ending: scene.ending, summary: scene.summary ?? null },
    // Only ids and texts: ratings, feedback and targets stay on the server until chosen.
    choices: scene.choices.map((c): PublicChoice => ({ id: c.id, text: c.text })),
    lastFeedback: last ? feedbackFor(def, last.sceneId, last.choiceId) : null,
    canGoBack: def.allowBack && run.status === "open" && path.length > 0,
  };
}

function feedbackFor(def: CaseDef, sceneId: string, choiceId: string): Feedback | null {
  const choice = def.scenes.find((s) => s.id === sceneId)?.choices.find((c) => c.id === choiceId);
  if (!choice) return null;
  const ref = choice.source ? def.citations[choice.source] : undefined;
  return {
    choiceText: choice.text,
    rating: choice.rating,
    ratingLabel: RATING_LABELS[choice.rating],
    feedback: choice.feedback ?? null,
    source: ref ? { citation: ref.citation, url: ref.url ?? null } : null,
  };
}

/** The debrief of a finished run: each choice made against the best choice in that scene, and the best path. */
export function debrief(run: CaseRun, steps: CaseStep[]) {
  const def = run.snapshot;
  const best = bestPath(def) ?? [];
  const bestIn = (sceneId: string) => {
    const fromPath = best.find((b) => b.sceneId === sceneId)?.choiceId;
    const scene = def.scenes.find((s) => s.id === sceneId);
    return fromPath ?? scene?.choices.find((c) => c.rating === "best")?.id ?? null;
  };
  const narrativeStart = (sceneId: string) => (def.scenes.find((s) => s.id === sceneId)?.narrative ?? "").split(/\n\s*\n/)[0]!.replace(/[*_]/g, "").slice(0, 160);
  const taken = steps.map((s, i) => {
    const bestId = bestIn(s.sceneId);
    return {
      n: i + 1,
      sceneId: s.sceneId,
      scene: narrativeStart(s.sceneId),
      retracted: s.retracted,
      chosen: feedbackFor(def, s.sceneId, s.choiceId)!,
      best: bestId && bestId !== s.choiceId ? feedbackFor(def, s.sceneId, bestId) : null,
    };
  });
  const ending = def.scenes.find((s) => s.id === run.currentScene);
  return {
    outcome: run.outcome,
    taken,
    bestPath: best.map((b) => ({ sceneId: b.sceneId, scene: narrativeStart(b.sceneId), choice: feedbackFor(def, b.sceneId, b.choiceId)! })),
    ending: ending ? { narrative: ending.narrative, summary: ending.summary ?? null } : null,
  };
}

export type CaseRequirementStatus = {
  required: "none" | "finished" | "finished-safely";
  met: boolean;
  /** Cases still to finish (or to finish without an unsafe choice), with where to play them. */
  missing: Array<{ title: string; href: string }>;
};

/** Whether the learner has met the course's case requirement (course.yaml `cases.required`). */
export function caseRequirement(userId: string, course: CourseEntry, counted: CountedRun[] = countedRuns(userId, course.id)): CaseRequirementStatus {
  const required = course.cases?.required ?? "none";
  if (required === "none") return { required, met: true, missing: [] };
  const runs = counted.filter((r) => r.status === "finished");
  const missing = course.modules.flatMap((m) =>
    m.cases
      .filter((c) => !runs.some((r) => r.moduleSlug === m.slug && r.caseSlug === c.slug && (required === "finished" || r.outcome !== "unsafe")))
      .map((c) => ({ title: c.title, href: `/courses/${course.id}/${m.slug}/case/${c.slug}` })),
  );
  return { required, met: missing.length === 0, missing };
}

/** The sentence completion pages show when the requirement is not met. */
export function caseRequirementMessage(status: CaseRequirementStatus): string {
  const titles = status.missing.map((m) => `"${m.title}"`).join(", ");
  return status.required === "finished-safely"
    ? `Finish each case without an unsafe choice first (still to do: ${titles}).`
    : `Finish each case first (still to do: ${titles}).`;
}
