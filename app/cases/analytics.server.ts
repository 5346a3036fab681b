import { and, count, eq } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { caseRuns, caseSteps, users } from "#app/db/schema.ts";
import type { CaseDef } from "./content.server.ts";
import type { Rating } from "./schema.ts";

/**
 * Case analytics for authors and admins, per case version: how learners chose
 * in each scene, where unfinished runs stopped, and how often each unsafe
 * choice was taken. Only learners' runs count (authors' previews do not).
 */

export type ChoiceCount = { choiceId: string; text: string; rating: Rating; count: number; retracted: number };
export type SceneStats = { sceneId: string; choices: ChoiceCount[]; leftHere: number };
export type CaseVersionStats = {
  moduleSlug: string;
  caseSlug: string;
  title: string;
  version: string;
  runs: number;
  finished: number;
  outcomes: { best: number; safe: number; unsafe: number };
  scenes: SceneStats[];
  unsafe: Array<{ sceneId: string; choiceId: string; text: string; count: number }>;
};

export function caseAnalytics(courseId: string): CaseVersionStats[] {
  const db = getDb();
  const learner = and(eq(caseRuns.courseId, courseId), eq(users.role, "learner"));
  // One snapshot per version names its scenes and choices (SQLite takes a bare column from the group).
  const versions = db
    .select({ moduleSlug: caseRuns.moduleSlug, caseSlug: caseRuns.caseSlug, version: caseRuns.caseVersion, snapshot: caseRuns.snapshot, runs: count() })
    .from(caseRuns)
    .innerJoin(users, eq(users.id, caseRuns.userId))
    .where(learner)
    .groupBy(caseRuns.moduleSlug, caseRuns.caseSlug, caseRuns.caseVersion)
    .all();
  const runStates = db
    .select({ version: caseRuns.caseVersion, caseSlug: caseRuns.caseSlug, moduleSlug: caseRuns.moduleSlug, status: caseRuns.status, outcome: caseRuns.outcome, scene: caseRuns.currentScene, n: count() })
    .from(caseRuns)
    .innerJoin(users, eq(users.id, caseRuns.userId))
    .where(learner)
    .groupBy(caseRuns.moduleSlug, caseRuns.caseSlug, caseRuns.caseVersion, caseRuns.status, caseRuns.outcome, caseRuns.currentScene)
    .all();
  const choices = db
    .select({ version: caseRuns.caseVersion, caseSlug: caseRuns.caseSlug, moduleSlug: caseRuns.moduleSlug, sceneId: caseSteps.sceneId, choiceId: caseSteps.choiceId, retracted: caseSteps.retracted, n: count() })
    .from(caseSteps)
    .innerJoin(caseRuns, eq(caseRuns.id, caseSteps.runId))
    .innerJoin(users, eq(users.id, caseRuns.userId))
    .where(learner)
    .groupBy(caseRuns.moduleSlug, caseRuns.caseSlug, caseRuns.caseVersion, caseSteps.sceneId, caseSteps.choiceId, caseSteps.retracted)
    .all();

  return versions
    .map((v) => {
      const same = <T extends { version: string; caseSlug: string; moduleSlug: string }>(r: T) => r.version === v.version && r.caseSlug === v.caseSlug && r.moduleSlug === v.moduleSlug;
      const states = runStates.filter(same);
      const taken = choices.filter(same);
      const def: CaseDef = v.snapshot;
      const sum = (rows: Array<{ n: number }>) => rows.reduce((s, r) => s + r.n, 0);
      const scenes = def.scenes.map((s) => ({
        sceneId: s.id,
        choices: s.choices.map((c) => {
          const rows = taken.filter((t) => t.sceneId === s.id && t.choiceId === c.id);
          return { choiceId: c.id, text: c.text, rating: c.rating, count: sum(rows), retracted: sum(rows.filter((r) => r.retracted)) };
        }),
        leftHere: sum(states.filter((r) => r.status === "open" && r.scene === s.id)),
      }));
      return {
        moduleSlug: v.moduleSlug,
        caseSlug: v.caseSlug,
        title: def.title,
        version: v.version,
        runs: v.runs,
        finished: sum(states.filter((r) => r.status === "finished")),
        outcomes: {
          best: sum(states.filter((r) => r.outcome === "best")),
          safe: sum(states.filter((r) => r.outcome === "safe")),
          unsafe: sum(states.filter((r) => r.outcome === "unsafe")),
        },
        scenes,
        unsafe: scenes.flatMap((s) => s.choices.filter((c) => c.rating === "unsafe").map((c) => ({ sceneId: s.sceneId, choiceId: c.choiceId, text: c.text, count: c.count }))),
      };
    })
    .sort((a, b) => a.moduleSlug.localeCompare(b.moduleSlug) || a.caseSlug.localeCompare(b.caseSlug) || a.version.localeCompare(b.version));
}
