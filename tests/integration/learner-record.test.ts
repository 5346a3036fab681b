import { describe, expect, test } from "vitest";
import { choose, getCaseDef, startRun } from "#app/cases/runs.server.ts";
import { findAssignment, reviewSubmission, submitAssignment } from "#app/mentoring/mentoring.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { loader as learnerLoader } from "#app/routes/admin.learners.$userId.tsx";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse, testClock, type TestClock } from "#tests/learning-utils.ts";
import { getRequest, run } from "#tests/route-utils.ts";

/**
 * The practice work behind a certificate, as an auditor sees it in the admin's
 * learner record: each course's branching-case runs (fixture-cases) and
 * mentor-reviewed assignment submissions (fixture-course).
 */

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 3, day, hour));
const CLEAN =
  "A woman in her 40s with treatment-resistant depression asks about KAP after three SSRI trials. She is motivated and has support at home. Risks: blood pressure needs medical screening by the prescriber; dosing is outside my scope. Next step: refer for a medical evaluation.";

/** Plays the fixture case along the given choices; returns the run's id. */
function play(userId: string, choices: Array<[scene: string, choice: string]>, clock: TestClock, def: NonNullable<Awaited<ReturnType<typeof getCaseDef>>>): string {
  const run_ = startRun(userId, def, clock.advance(60));
  for (const [step, [scene, choice]] of choices.entries()) {
    const chosen = choose(userId, def, run_.id, { scene, step, choice }, clock.advance(60));
    if (!chosen.ok) throw new Error(chosen.message);
  }
  return run_.id;
}

const seeded = await (async () => {
  const learner = await createSignedInUser({ name: "Lee Practice" });
  const mentor = await createUser({ role: "mentor", name: "Mona Mentor" });
  const def = (await getCaseDef("fixture-cases", "consult", "second-lozenge"))!;

  // fixture-cases: an unsafe run, a safe one, then the course completed; a last run left open.
  const clock = testClock(at(1, 6));
  const cases = await completeFixtureCourse(learner.user.id, { courseId: "fixture-cases", attest: false, clock });
  const unsafe = play(learner.user.id, [["request", "hand-over"], ["handed", "get-help"]], clock, def);
  const safe = play(learner.user.id, [["request", "wait"], ["prescriber", "document"]], clock, def);
  const done = await attestAndComplete(learner.user.id, cases, { confirmed: true, ip: "203.0.113.5", userAgent: "test" }, clock.advance(60));
  if (!done.ok) throw new Error(done.message);
  const open = play(learner.user.id, [["request", "call-prescriber"]], clock, def);

  // fixture-course: the case formulation, sent back for revision, then approved.
  await completeFixtureCourse(learner.user.id, { now: at(3) });
  const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
  const review = async (id: string, outcome: "approved" | "revise", now: Date) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ "score:readiness": "2", "score:safety": "3", comment: "Thank you.", outcome })) form.set(k, v);
    const reviewed = await reviewSubmission(mentor.id, id, form, now);
    if (!reviewed.ok) throw new Error(reviewed.message);
  };
  const first = submitAssignment(learner.user.id, place, { body: CLEAN, token: "token-first-0001" }, at(4, 9));
  if (!first.ok) throw new Error(first.message);
  await review(first.submission.id, "revise", at(4, 15));
  const second = submitAssignment(learner.user.id, place, { body: `${CLEAN} I will also plan integration sessions.`, token: "token-second-002" }, at(5, 9));
  if (!second.ok) throw new Error(second.message);
  await review(second.submission.id, "approved", at(6, 10));

  // Someone else's practice work stays out of this record.
  const other = await createUser();
  await completeFixtureCourse(other.id, { courseId: "fixture-cases", attest: false, clock: testClock(at(1, 6)) });
  play(other.id, [["request", "wait"]], testClock(at(2, 6)), def);

  return { learner, mentor, def, runs: { unsafe, safe, open }, assignment: place.assignment, submissions: [first.submission, second.submission] };
})();

type Record_ = {
  courses: Array<{
    courseId: string;
    caseRuns: Array<{ id: string; title: string; startedAt: Date; finishedAt: Date | null; status: string; outcome: string | null; caseVersion: string }>;
    assignments: Array<{ id: string; title: string; version: number; assignmentVersion: string; status: string; submittedAt: Date; reviewedAt: Date | null; outcome: string | null; reviewerName: string | null }>;
  }>;
};

describe("case work in the admin's learner record", () => {
  test("per course: each case run with its title, times, status, outcome and case version, oldest first", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const { learner, def, runs } = seeded;
    const page = await run<Record_>(learnerLoader, getRequest(`/admin/learners/${learner.user.id}`, admin.cookie), {}, { userId: learner.user.id });
    expect(page.status).toBe(200);
    const cases = page.data!.courses.find((c) => c.courseId === "fixture-cases")!;
    expect(cases.caseRuns.map((r) => [r.id, r.title, r.status, r.outcome, r.caseVersion, r.finishedAt === null])).toEqual([
      [runs.unsafe, "The second lozenge", "finished", "unsafe", def.hash, false],
      [runs.safe, "The second lozenge", "finished", "safe", def.hash, false],
      [runs.open, "The second lozenge", "open", null, def.hash, true],
    ]);
    for (const r of cases.caseRuns) {
      expect(r.startedAt).toBeInstanceOf(Date);
      if (r.finishedAt) expect(r.finishedAt.getTime()).toBeGreaterThan(r.startedAt.getTime());
    }
    // Dated as played: each choice takes a minute on the test clock, so a two-choice run ends two minutes after it starts.
    expect(cases.caseRuns[0]!.finishedAt!.getTime() - cases.caseRuns[0]!.startedAt.getTime()).toBe(120_000);
    expect(cases.assignments).toEqual([]);
    // fixture-course has no case.
    expect(page.data!.courses.find((c) => c.courseId === "fixture-course")!.caseRuns).toEqual([]);
  });

  test("per course: each assignment submission with its title, version, status, dates, outcome and reviewer", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const { learner, assignment, submissions } = seeded;
    const page = await run<Record_>(learnerLoader, getRequest(`/admin/learners/${learner.user.id}`, admin.cookie), {}, { userId: learner.user.id });
    const course = page.data!.courses.find((c) => c.courseId === "fixture-course")!;
    expect(course.assignments).toEqual([
      { id: submissions[0]!.id, title: "Case formulation", moduleSlug: "practice", lessonSlug: "case-work", version: 1, assignmentVersion: assignment.hash, status: "revise", submittedAt: at(4, 9), reviewedAt: at(4, 15), outcome: "revise", reviewerName: "Mona Mentor" },
      { id: submissions[1]!.id, title: "Case formulation", moduleSlug: "practice", lessonSlug: "case-work", version: 2, assignmentVersion: assignment.hash, status: "approved", submittedAt: at(5, 9), reviewedAt: at(6, 10), outcome: "approved", reviewerName: "Mona Mentor" },
    ]);
  });

  test("a submission waiting for review shows no outcome or reviewer", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const waiting = await createUser({ name: "Wes Waiting" });
    await completeFixtureCourse(waiting.id, { now: at(3) });
    const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
    const sent = submitAssignment(waiting.id, place, { body: CLEAN, token: "token-waiting-01" }, at(7));
    if (!sent.ok) throw new Error(sent.message);
    const page = await run<Record_>(learnerLoader, getRequest(`/admin/learners/${waiting.id}`, admin.cookie), {}, { userId: waiting.id });
    expect(page.data!.courses.find((c) => c.courseId === "fixture-course")!.assignments).toMatchObject([
      { title: "Case formulation", version: 1, status: "submitted", submittedAt: at(7), reviewedAt: null, outcome: null, reviewerName: null },
    ]);
  });

  test("only administrators see the record: a learner, a mentor and an author get 403", async () => {
    const { learner } = seeded;
    const path = `/admin/learners/${learner.user.id}`;
    expect((await run(learnerLoader, getRequest(path, learner.cookie), {}, { userId: learner.user.id })).status).toBe(403);
    for (const role of ["learner", "mentor", "author"] as const) {
      const someone = await createSignedInUser({ role });
      expect((await run(learnerLoader, getRequest(path, someone.cookie), {}, { userId: learner.user.id })).status).toBe(403);
    }
  });
});
