import { describe, expect, test } from "vitest";
import { caseAnalytics } from "#app/cases/analytics.server.ts";
import { choose as chooseStep, getCaseDef, getRun, startRun } from "#app/cases/runs.server.ts";
import { CASE_PAUSE_CAP_SECONDS } from "#app/cases/time.server.ts";
import { findCourse, getCatalog } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { ensureEnrollment } from "#app/progress/enrollment.server.ts";
import { recordHeartbeat, recordLessonView } from "#app/progress/lessons.server.ts";
import { attestAndComplete, getCompletionStatus } from "#app/progress/completion.server.ts";
import { loader as debriefLoader } from "#app/routes/courses.$courseId.$moduleSlug.case.$caseSlug.$runId.tsx";
import { action as caseAction, loader as caseLoader } from "#app/routes/courses.$courseId.$moduleSlug.case.$caseSlug._index.tsx";
import { loader as analyticsLoader } from "#app/routes/author.cases.$courseId.tsx";
import { createSignedInUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

const PATH = "/courses/fixture-cases/consult/case/second-lozenge";
const PARAMS = { courseId: "fixture-cases", moduleSlug: "consult", caseSlug: "second-lozenge" };

type Page = Awaited<ReturnType<typeof caseLoader>>;

async function learner(role: "learner" | "author" = "learner", enrolled = true) {
  const me = await createSignedInUser({ role });
  if (enrolled) await ensureEnrollment(me.user.id, (await findCourse("fixture-cases"))!);
  return me;
}

const page = (cookie: string) => run<Page>(caseLoader, getRequest(PATH, cookie), undefined, PARAMS);
const post = (cookie: string, fields: Record<string, string>) => run<{ message: string }>(caseAction, formRequest(PATH, fields, { cookie }), undefined, PARAMS);

/** Chooses in the scene the page shows now, as its form would post. */
async function choose(cookie: string, choice: string) {
  const { play } = (await page(cookie)).data!;
  return post(cookie, { intent: "choose", runId: play!.runId, scene: play!.scene.id, step: String(play!.step), choice });
}

const stepsOf = (runId: string) =>
  getDb().$client.prepare("select scene_id, choice_id, rating, retracted from case_steps where run_id = ? order by seq").all(runId) as Array<{ scene_id: string; choice_id: string; rating: string; retracted: number }>;

describe("playing a case", () => {
  test("the page holds no ratings, feedback or targets before a choice; each choice is recorded and shown with its feedback", async () => {
    const me = await learner();
    expect((await post(me.cookie, { intent: "start" })).status).toBe(302);
    const before = await page(me.cookie);
    expect(before.data!.play).toMatchObject({ step: 0, scene: { id: "request" }, lastFeedback: null, canGoBack: false });
    expect(before.data!.play!.choices.map((c) => c.id)).toEqual(["call-prescriber", "hand-over", "wait"]);
    const sent = JSON.stringify(before.data);
    for (const secret of ["rating", "unsafe", "best", "Giving medicine is outside", "handed", "\"to\""]) expect(sent).not.toContain(secret);

    const chosen = await choose(me.cookie, "call-prescriber");
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("Location")).toBe(`${PATH}#feedback`);
    const after = (await page(me.cookie)).data!.play!;
    expect(after).toMatchObject({ step: 1, scene: { id: "prescriber" }, canGoBack: true, lastFeedback: { rating: "best", ratingLabel: "Best choice", feedback: "Dosing decisions belong to the prescriber; you stay with Dana and bring them in." } });
    expect(after.lastFeedback!.source!.citation).toMatch(/scope of practice/);

    const last = await choose(me.cookie, "document");
    const runId = after.runId;
    expect(last.headers.get("Location")).toBe(`${PATH}/${runId}#feedback`);
    expect(stepsOf(runId)).toEqual([
      { scene_id: "request", choice_id: "call-prescriber", rating: "best", retracted: 0 },
      { scene_id: "prescriber", choice_id: "document", rating: "best", retracted: 0 },
    ]);
    const run_ = getRun(me.user.id, runId)!.run;
    expect(run_).toMatchObject({ status: "finished", outcome: "best", currentScene: "settled", caseVersion: (await getCaseDef("fixture-cases", "consult", "second-lozenge"))!.hash });
    expect((await page(me.cookie)).data!.play).toBeNull();
  });

  test("a double submit of the same step changes nothing; a stale different choice and a choice not offered are refused", async () => {
    const me = await learner();
    await post(me.cookie, { intent: "start" });
    await post(me.cookie, { intent: "start" }); // a double start resumes the open run
    expect(getDb().$client.prepare("select count(*) n from case_runs where user_id = ?").get(me.user.id)).toEqual({ n: 1 });
    const { play } = (await page(me.cookie)).data!;
    const form = { intent: "choose", runId: play!.runId, scene: "request", step: "0", choice: "wait" };
    expect((await post(me.cookie, form)).status).toBe(302);
    expect((await post(me.cookie, form)).status).toBe(302);
    expect(stepsOf(play!.runId)).toHaveLength(1);

    const stale = await post(me.cookie, { ...form, choice: "hand-over" });
    expect(stale.status).toBe(409);
    expect(stale.data!.message).toMatch(/already been answered/);
    const notOffered = await post(me.cookie, { intent: "choose", runId: play!.runId, scene: "prescriber", step: "1", choice: "call-prescriber" });
    expect(notOffered.status).toBe(400);
    expect(notOffered.data!.message).toBe("That choice is not offered in this scene. Choose one of the options shown.");
    expect(stepsOf(play!.runId)).toHaveLength(1);
    expect(getRun(me.user.id, play!.runId)!.run.currentScene).toBe("prescriber");

    // Another learner cannot choose in this run.
    const other = await learner();
    expect((await post(other.cookie, { intent: "choose", runId: play!.runId, scene: "prescriber", step: "1", choice: "document" })).status).toBe(404);
    expect(stepsOf(play!.runId)).toHaveLength(1);

    // A form without its step is refused, not read as step 0.
    const noStep = await post(me.cookie, { intent: "choose", runId: play!.runId, scene: "prescriber", choice: "document" });
    expect(noStep.status).toBe(400);
    expect(noStep.data!.message).toBe("The form is missing its run or step. Reload the page and try again.");
    expect(stepsOf(play!.runId)).toHaveLength(1);
  });

  test("a run is played only through its own case's address: the learner's run of another case is not found here", async () => {
    const me = await learner();
    const def = (await getCaseDef("fixture-cases", "consult", "second-lozenge"))!;
    // The same learner's open run of another case (as a case in another course, or behind a revoked prerequisite, would be).
    const elsewhere = startRun(me.user.id, { ...def, courseId: "fixture-advanced", moduleSlug: "next", slug: "elsewhere" });
    const forms: Array<Record<string, string>> = [
      { intent: "choose", runId: elsewhere.id, scene: "request", step: "0", choice: "call-prescriber" },
      { intent: "back", runId: elsewhere.id, step: "0" },
    ];
    for (const fields of forms) {
      const refused = await post(me.cookie, fields);
      expect(refused.status).toBe(404);
      expect(refused.data!.message).toBe("This case run was not found.");
    }
    expect(stepsOf(elsewhere.id)).toHaveLength(0);
    expect(getRun(me.user.id, elsewhere.id)!.run).toMatchObject({ status: "open", currentScene: "request" });
  });

  test("go back takes the last choice back (kept, marked), once per click; an unsafe choice taken back still makes the run unsafe", async () => {
    const me = await learner();
    await post(me.cookie, { intent: "start" });
    await choose(me.cookie, "hand-over");
    const { play } = (await page(me.cookie)).data!;
    expect(play!.lastFeedback).toMatchObject({ rating: "unsafe", ratingLabel: "Unsafe" });
    const back = { intent: "back", runId: play!.runId, step: "1" };
    expect((await post(me.cookie, back)).status).toBe(302);
    expect((await post(me.cookie, back)).status).toBe(302); // the repeat changes nothing more
    expect((await page(me.cookie)).data!.play).toMatchObject({ step: 0, scene: { id: "request" } });
    await choose(me.cookie, "call-prescriber");
    await choose(me.cookie, "document");
    expect(stepsOf(play!.runId).map((s) => [s.choice_id, s.retracted])).toEqual([["hand-over", 1], ["call-prescriber", 0], ["document", 0]]);
    expect(getRun(me.user.id, play!.runId)!.run.outcome).toBe("unsafe");
  });

  test("a finished run replays from its stored snapshot, even after the case changes", async () => {
    const me = await learner();
    await post(me.cookie, { intent: "start" });
    await choose(me.cookie, "wait");
    await choose(me.cookie, "skip-notes");
    const runId = getDb().$client.prepare("select id from case_runs where user_id = ?").get(me.user.id) as { id: string };
    const def = (await getCatalog()).cases["fixture-cases/consult/second-lozenge"]!;
    const original = def.scenes[0]!.choices[2]!.text;
    def.scenes[0]!.choices[2]!.text = "An edited choice text";
    try {
      const debrief = await run<Awaited<ReturnType<typeof debriefLoader>>>(debriefLoader, getRequest(`${PATH}/${runId.id}`, me.cookie), undefined, { ...PARAMS, runId: runId.id });
      expect(debrief.status).toBe(200);
      const d = debrief.data!;
      expect(d.outcome).toBe("safe");
      expect(d.taken.map((t) => [t.sceneId, t.chosen.choiceText, t.chosen.rating, t.best?.choiceText ?? null])).toEqual([
        ["request", original, "acceptable", "Tell Dana the prescriber decides about more medicine, and call the prescriber in."],
        ["prescriber", "Leave it out of the notes, since nothing was given.", "outside-scope", "Write down the request and the prescriber's decision in the session notes."],
      ]);
      expect(d.bestPath.map((b) => b.choice.choiceText)).toEqual([
        "Tell Dana the prescriber decides about more medicine, and call the prescriber in.",
        "Write down the request and the prescriber's decision in the session notes.",
      ]);
      // Someone else's run is not found.
      const other = await learner();
      expect((await run(debriefLoader, getRequest(`${PATH}/${runId.id}`, other.cookie), undefined, { ...PARAMS, runId: runId.id })).status).toBe(404);
    } finally {
      def.scenes[0]!.choices[2]!.text = original;
    }
  });

  test("learners not enrolled are refused; authors preview without enrolling", async () => {
    const stranger = await learner("learner", false);
    expect((await page(stranger.cookie)).status).toBe(403);
    expect((await post(stranger.cookie, { intent: "start" })).status).toBe(403);
    expect(getDb().$client.prepare("select count(*) n from case_runs where user_id = ?").get(stranger.user.id)).toEqual({ n: 0 });
    const author = await learner("author", false);
    expect((await page(author.cookie)).status).toBe(200);
    expect((await run(caseLoader, getRequest("/courses/fixture-cases/consult/case/nope", author.cookie), undefined, { ...PARAMS, caseSlug: "nope" })).status).toBe(404);
  });
});

describe("the course's case requirement", () => {
  /** A user not yet enrolled, the fixture course and case, and times counted in seconds from an hour ago. */
  async function onTestClock(role: "learner" | "author") {
    const me = await learner(role, false);
    const t0 = Date.now() - 3_600_000;
    return {
      me,
      course: (await findCourse("fixture-cases"))!,
      def: (await getCaseDef("fixture-cases", "consult", "second-lozenge"))!,
      at: (s: number) => new Date(t0 + s * 1000),
    };
  }

  test("a learner whose only run took an unsafe path cannot attest in fixture-cases; after a safe run they can", async () => {
    const me = await learner();
    await completeFixtureCourse(me.user.id, { courseId: "fixture-cases", attest: false });
    const course = (await findCourse("fixture-cases"))!;
    expect((await getCompletionStatus(me.user.id, course)).cases).toEqual({ required: "finished-safely", met: false, missing: [{ title: "The second lozenge", href: PATH }] });

    await post(me.cookie, { intent: "start" });
    await choose(me.cookie, "hand-over");
    await choose(me.cookie, "get-help");
    const refused = await attestAndComplete(me.user.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" });
    expect(refused).toEqual({ ok: false, status: 409, message: 'Finish each case without an unsafe choice first (still to do: "The second lozenge").' });
    expect(getDb().$client.prepare("select count(*) n from completions where user_id = ?").get(me.user.id)).toEqual({ n: 0 });

    await post(me.cookie, { intent: "start" });
    await choose(me.cookie, "wait");
    await choose(me.cookie, "document");
    expect((await getCompletionStatus(me.user.id, course)).cases.met).toBe(true);
    const done = await attestAndComplete(me.user.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" });
    expect(done).toMatchObject({ ok: true });
  });

  test("time between a run's choices counts toward the course's time on task: each pause capped, each case at most its estimate, its best run only", async () => {
    const { me, course, def, at } = await onTestClock("learner");
    const estimate = Math.round(course.modules[0]!.cases[0]!.estimatedMinutes * 60);
    expect(estimate).toBeGreaterThan(90);
    await ensureEnrollment(me.user.id, course, at(-60));
    const play = (start: number, gaps: [number, number]) => {
      const run = startRun(me.user.id, def, at(start));
      expect(chooseStep(me.user.id, def, run.id, { scene: "request", step: 0, choice: "call-prescriber" }, at(start + gaps[0])).ok).toBe(true);
      expect(chooseStep(me.user.id, def, run.id, { scene: "prescriber", step: 1, choice: "document" }, at(start + gaps[0] + gaps[1])).ok).toBe(true);
    };
    const before = await getCompletionStatus(me.user.id, course);
    expect(before.time.caseSeconds).toBe(0);

    // 30 s, then a 40-minute pause of which 5 minutes count: more than the estimate, so the estimate.
    play(0, [30, 2400]);
    expect((await getCompletionStatus(me.user.id, course)).time.caseSeconds).toBe(Math.min(30 + CASE_PAUSE_CAP_SECONDS, estimate));
    // A quicker replay adds nothing: the best run counts.
    play(3000, [20, 20]);
    const after = await getCompletionStatus(me.user.id, course);
    expect(after.time.caseSeconds).toBe(Math.min(30 + CASE_PAUSE_CAP_SECONDS, estimate));
    expect(after.time.activeSeconds).toBe(after.time.lessonSeconds + after.time.caseSeconds);
  });

  test("a lesson beating in another window while a case is played is not counted twice: lesson and case time together are at most the time that passed", async () => {
    const { me, course, def, at } = await onTestClock("learner");
    await recordLessonView(me.user.id, course, "consult", "briefing", at(0));
    // The lesson beats every 30 s for 10 minutes; meanwhile a case runs in another window, with choices at 310 s and 555 s.
    const run = startRun(me.user.id, def, at(15));
    for (let s = 30; s <= 600; s += 30) {
      if (s === 330) expect(chooseStep(me.user.id, def, run.id, { scene: "request", step: 0, choice: "call-prescriber" }, at(310)).ok).toBe(true);
      if (s === 570) expect(chooseStep(me.user.id, def, run.id, { scene: "prescriber", step: 1, choice: "document" }, at(555)).ok).toBe(true);
      expect((await recordHeartbeat(me.user.id, course, "consult", "briefing", at(s))).ok).toBe(true);
    }
    const status = await getCompletionStatus(me.user.id, course);
    expect(status.time.lessonSeconds + status.time.caseSeconds).toBe(600);
    // Each choice earned only the seconds since the lesson's last beat (10 s and 15 s); the lesson the rest.
    expect(status.time.caseSeconds).toBe(25);
    expect(getRun(me.user.id, run.id)!.run.activeSeconds).toBe(25);
  });

  test("a case played before enrolling (a staff preview) earns no time and meets no requirement", async () => {
    const { me: author, course, def, at } = await onTestClock("author");
    const preview = startRun(author.user.id, def, at(0));
    chooseStep(author.user.id, def, preview.id, { scene: "request", step: 0, choice: "call-prescriber" }, at(60));
    chooseStep(author.user.id, def, preview.id, { scene: "prescriber", step: 1, choice: "document" }, at(120));
    expect(getRun(author.user.id, preview.id)!.run).toMatchObject({ status: "finished", outcome: "best", activeSeconds: 120 });
    await ensureEnrollment(author.user.id, course, at(600));
    const status = await getCompletionStatus(author.user.id, course);
    expect(status.time.caseSeconds).toBe(0);
    expect(status.cases).toMatchObject({ met: false, missing: [{ title: def.title }] });
  });

  test("fixture-course requires no case and completes as before", async () => {
    const me = await learner();
    await completeFixtureCourse(me.user.id);
    expect(getDb().$client.prepare("select course_id from completions where user_id = ?").all(me.user.id)).toEqual([{ course_id: "fixture-course" }]);
  });
});

describe("case analytics", () => {
  test("per version: choice counts per scene, where unfinished runs stopped, unsafe choices taken; learners only; authors and admins only", async () => {
    const finished = await learner();
    await post(finished.cookie, { intent: "start" });
    await choose(finished.cookie, "hand-over");
    await choose(finished.cookie, "get-help");
    const stopped = await learner();
    await post(stopped.cookie, { intent: "start" });
    await choose(stopped.cookie, "call-prescriber");
    const author = await learner("author", false);
    await post(author.cookie, { intent: "start" });
    await choose(author.cookie, "hand-over"); // a preview: not counted

    const stats = caseAnalytics("fixture-cases");
    // Earlier tests in this file played too: compare against what the database holds for learners.
    const db = getDb().$client;
    const learnerSteps = (scene: string, choice: string) =>
      (db.prepare("select count(*) n from case_steps s join case_runs r on r.id = s.run_id join users u on u.id = r.user_id where u.role = 'learner' and s.scene_id = ? and s.choice_id = ?").get(scene, choice) as { n: number }).n;
    const openAt = (scene: string) => (db.prepare("select count(*) n from case_runs r join users u on u.id = r.user_id where u.role = 'learner' and r.status = 'open' and r.current_scene = ?").get(scene) as { n: number }).n;
    expect(stats).toHaveLength(1);
    const s = stats[0]!;
    const request = s.scenes.find((x) => x.sceneId === "request")!;
    expect(request.choices.find((c) => c.choiceId === "hand-over")!.count).toBe(learnerSteps("request", "hand-over"));
    expect(request.choices.find((c) => c.choiceId === "call-prescriber")!.count).toBe(learnerSteps("request", "call-prescriber"));
    expect(s.scenes.find((x) => x.sceneId === "prescriber")!.leftHere).toBe(openAt("prescriber"));
    expect(s.scenes.find((x) => x.sceneId === "prescriber")!.leftHere).toBeGreaterThanOrEqual(1);
    expect(s.unsafe).toEqual([{ sceneId: "request", choiceId: "hand-over", text: "Hand Dana the second lozenge from the bag.", count: learnerSteps("request", "hand-over") }]);
    expect(learnerSteps("request", "hand-over")).toBeLessThan((db.prepare("select count(*) n from case_steps where choice_id = 'hand-over'").get() as { n: number }).n);

    expect((await run(analyticsLoader, getRequest("/author/cases/fixture-cases", author.cookie), undefined, { courseId: "fixture-cases" })).status).toBe(200);
    expect((await run(analyticsLoader, getRequest("/author/cases/fixture-cases", finished.cookie), undefined, { courseId: "fixture-cases" })).status).toBe(403);
  });
});
