import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { assignmentReviews, assignmentSubmissions, auditLog, emails } from "#app/db/schema.ts";
import { drainMailQueue } from "#app/email/queue.server.ts";
import { findAssignment, listQueue, mentoringOverview, submitAssignment } from "#app/mentoring/mentoring.server.ts";
import { ensureEnrollment } from "#app/progress/enrollment.server.ts";
import { action as adminMentoringAction, loader as adminMentoringLoader } from "#app/routes/admin.mentoring.tsx";
import { action as usersAction } from "#app/routes/admin.users.tsx";
import { action as assignmentAction, loader as assignmentLoader } from "#app/routes/courses.$courseId.$moduleSlug.$lessonSlug_.assignment.tsx";
import { loader as lessonLoader } from "#app/routes/courses.$courseId.$moduleSlug.$lessonSlug.tsx";
import { action as reviewAction, loader as reviewLoader } from "#app/routes/mentor.$submissionId.tsx";
import { loader as queueLoader } from "#app/routes/mentor._index.tsx";
import { countRows, createSignedInUser } from "#tests/db-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";
import { loopbackSmtpForFile } from "#tests/smtp-for-file.ts";

const params = { courseId: "fixture-course", moduleSlug: "practice", lessonSlug: "case-work" };
const PAGE = "/courses/fixture-course/practice/case-work/assignment";
const CLEAN =
  "A woman in her 40s with treatment-resistant depression (PHQ-9 of 14) asks about KAP after three SSRI trials. She is motivated and has support at home. Risks: blood pressure needs medical screening by the prescriber; dosing is outside my scope. Next step: refer for a medical evaluation and plan preparation sessions.";

const smtp = loopbackSmtpForFile();

async function enrolledLearner(name?: string, role: "learner" | "mentor" | "admin" = "learner") {
  const learner = await createSignedInUser({ name, role });
  await ensureEnrollment(learner.user.id, (await findCourse("fixture-course"))!);
  return learner;
}

type Page = { token: string; canSubmit: boolean; thread: Array<{ version: number; status: string; body: string; review: null | { outcome: string; comment: string; scores: Array<{ criterionId: string; score: number; comment: string }> } }> };

async function openPage(cookie: string) {
  return run<Page>(assignmentLoader, getRequest(PAGE, cookie), undefined, params);
}

async function submit(cookie: string, body: string, token?: string) {
  const t = token ?? (await openPage(cookie)).data!.token;
  return run<{ message: string; body: string }>(assignmentAction, formRequest(PAGE, { body, token: t }, { cookie }), undefined, params);
}

function review(cookie: string, id: string, fields: Record<string, string>) {
  return run<{ message: string; fieldErrors: Record<string, string> }>(reviewAction, formRequest(`/mentor/${id}`, { intent: "review", ...fields }, { cookie }), undefined, { submissionId: id });
}

const rows = (userId: string) => getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.userId, userId)).all();

describe("the assignment in the content", () => {
  test("the fixture lesson carries its optional assignment, and the lesson page links to it", async () => {
    const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
    expect(place.assignment).toMatchObject({ id: "case-formulation", required: false, minWords: 20, maxWords: 400, file: "tests/fixtures/content/courses/fixture-course/02.practice/01.case-work.assignment.yaml" });
    expect(place.assignment.rubric.map((c) => c.id)).toEqual(["readiness", "safety"]);
    const learner = await createSignedInUser();
    const lesson = await run<{ assignment: { href: string; required: boolean } }>(lessonLoader, getRequest("/courses/fixture-course/practice/case-work", learner.cookie), undefined, params);
    expect(lesson.data?.assignment).toEqual({ title: "Case formulation", required: false, href: PAGE });
  });
});

describe("submitting case work", () => {
  test("text with identifiers is refused with what and where, and nothing is stored", async () => {
    const learner = await enrolledLearner();
    const before = countRows("assignment_submissions");
    const mailsBefore = countRows("emails");
    const refused = await submit(learner.cookie, `${CLEAN}\nHer number is 503-555-0142 and she was born on 4/12/1981.`);
    expect(refused.status).toBe(400);
    expect(refused.data?.message).toContain('a phone number on line 2, column 15 ("503-555-0142")');
    expect(refused.data?.message).toContain('a date of birth on line 2, column 40 ("born on 4/12/1981")');
    expect(refused.data?.message).toContain("Nothing was saved.");
    // The learner's text comes back to the form, to be corrected.
    expect(refused.data?.body).toContain("503-555-0142");
    const short = await submit(learner.cookie, "Too short to judge.");
    expect(short.status).toBe(400);
    expect(short.data?.message).toBe("Write at least 20 words; this has 4.");
    const long = await submit(learner.cookie, "word ".repeat(401));
    expect(long.data?.message).toBe("Keep to at most 400 words; this has 401.");
    expect(countRows("assignment_submissions")).toBe(before);
    expect(countRows("emails")).toBe(mailsBefore);
  });

  test("a double submit stores one version; a new one waits for the review", async () => {
    const learner = await enrolledLearner();
    const { token } = (await openPage(learner.cookie)).data!;
    const first = await submit(learner.cookie, CLEAN, token);
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe(`${PAGE}?submitted=1`);
    const again = await submit(learner.cookie, CLEAN, token);
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe(`${PAGE}?submitted=1`);
    expect(rows(learner.user.id)).toHaveLength(1);
    const other = await submit(learner.cookie, `${CLEAN} More.`);
    expect(other.status).toBe(409);
    expect(other.data?.message).toBe("Version 1 is waiting for a mentor's review; you can revise it once it is reviewed.");
    expect(rows(learner.user.id)).toHaveLength(1);
    const page = (await openPage(learner.cookie)).data!;
    expect(page.canSubmit).toBe(false);
    expect(page.thread.map((t) => [t.version, t.status])).toEqual([[1, "submitted"]]);
  });

  test("a learner who has not started the course cannot submit; a learner sees only their own thread", async () => {
    const stranger = await createSignedInUser();
    const refused = await submit(stranger.cookie, CLEAN);
    expect(refused.status).toBe(409);
    const writer = await enrolledLearner();
    await submit(writer.cookie, CLEAN);
    const other = await enrolledLearner();
    expect((await openPage(other.cookie)).data!.thread).toEqual([]);
  });
});

describe("the mentor queue", () => {
  test("an admin grants the mentor role on /admin/users, audited; the mentor can then open the queue", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const someone = await createSignedInUser();
    expect((await run(queueLoader, getRequest("/mentor", someone.cookie))).status).toBe(403);
    const granted = await run<{ ok: boolean; message: string }>(usersAction, formRequest("/admin/users", { userId: someone.user.id, role: "mentor" }, { cookie: admin.cookie }));
    expect(granted.data).toEqual({ ok: true, message: "Role updated." });
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "user.role_changed"), eq(auditLog.entityId, someone.user.id))).all();
    expect(audit.map((a) => [a.actorId, a.before, a.after])).toEqual([[admin.user.id, '{"role":"learner"}', '{"role":"mentor"}']]);
    expect((await run(queueLoader, getRequest("/mentor", someone.cookie))).status).toBe(200);
  });


  test("learners and authors cannot open it; anonymous visitors are sent to sign in", async () => {
    for (const role of ["learner", "author"] as const) {
      const u = await createSignedInUser({ role });
      expect((await run(queueLoader, getRequest("/mentor", u.cookie))).status).toBe(403);
      expect((await run(adminMentoringLoader, getRequest("/admin/mentoring", u.cookie))).status).toBe(403);
    }
    const mentor = await createSignedInUser({ role: "mentor" });
    expect((await run(adminMentoringLoader, getRequest("/admin/mentoring", mentor.cookie))).status).toBe(403);
    expect((await run(queueLoader, getRequest("/mentor"))).status).toBe(302);
  });

  test("oldest first, filtered by course, age and learner; a claimed submission is hidden from other mentors", async () => {
    const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
    const now = Date.now();
    const older = await enrolledLearner("Quentin Oldfield");
    const newer = await enrolledLearner("Rosa Newman");
    const a = submitAssignment(older.user.id, place, { body: CLEAN, token: "token-older-1" }, new Date(now - 5 * 86_400_000));
    const b = submitAssignment(newer.user.id, place, { body: CLEAN, token: "token-newer-1" }, new Date(now - 3_600_000));
    if (!a.ok || !b.ok) throw new Error("setup");
    const m1 = await createSignedInUser({ role: "mentor" });
    const m2 = await createSignedInUser({ role: "mentor" });
    type Queue = { rows: Array<{ id: string; learnerName: string; claimedByMe: boolean }> };
    const queue = async (cookie: string, q = "") => (await run<Queue>(queueLoader, getRequest(`/mentor${q}`, cookie))).data!.rows;
    const mine = (list: Queue["rows"]) => list.filter((r) => r.id === a.submission.id || r.id === b.submission.id).map((r) => r.learnerName);
    expect(mine(await queue(m1.cookie))).toEqual(["Quentin Oldfield", "Rosa Newman"]);
    expect(mine(await queue(m1.cookie, "?age=3"))).toEqual(["Quentin Oldfield"]);
    expect(mine(await queue(m1.cookie, "?learner=newman"))).toEqual(["Rosa Newman"]);
    expect(mine(await queue(m1.cookie, "?course=fixture-course"))).toEqual(["Quentin Oldfield", "Rosa Newman"]);
    expect(mine(await queue(m1.cookie, "?course=another-course"))).toEqual([]);

    const claim = await run(reviewAction, formRequest(`/mentor/${a.submission.id}`, { intent: "claim" }, { cookie: m1.cookie }), undefined, { submissionId: a.submission.id });
    expect(claim.status).toBe(303);
    expect((await queue(m1.cookie)).find((r) => r.id === a.submission.id)?.claimedByMe).toBe(true);
    expect(mine(await queue(m2.cookie))).toEqual(["Rosa Newman"]);
    expect((await run(reviewLoader, getRequest(`/mentor/${a.submission.id}`, m2.cookie), undefined, { submissionId: a.submission.id })).status).toBe(404);
    const stolen = await review(m2.cookie, a.submission.id, { "score:readiness": "3", "score:safety": "3", comment: "Fine.", outcome: "approved" });
    expect(stolen.status).toBe(404);
    const claimAgain = await run<{ message: string }>(reviewAction, formRequest(`/mentor/${a.submission.id}`, { intent: "claim" }, { cookie: m2.cookie }), undefined, { submissionId: a.submission.id });
    expect(claimAgain.status).toBe(409);
    expect(getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.id, a.submission.id)).get()).toMatchObject({ status: "submitted", claimedBy: m1.user.id });
    expect(await listQueue(m2.user.id)).not.toContainEqual(expect.objectContaining({ id: a.submission.id }));
  });
});

describe("review, revision and approval", () => {
  test("a revise, a resubmission to the same mentor and an approval make one thread, audited and emailed both ways", async () => {
    const mentor = await createSignedInUser({ role: "mentor", name: "Mira Mentor" });
    const learner = await enrolledLearner("Lena Learner");
    await submit(learner.cookie, CLEAN);
    const [v1] = rows(learner.user.id);
    await drainMailQueue();
    const arrived = await smtp.waitFor((m) => m.envelopeTo.includes(mentor.user.email) && m.subject === "Case work to review: Case formulation");
    expect(arrived.text).toContain(`http://localhost:3000/mentor/${v1!.id}`);
    expect(arrived.text).not.toContain("PHQ-9");

    const page = await run<{ thread: Array<{ version: number }>; status: string }>(reviewLoader, getRequest(`/mentor/${v1!.id}`, mentor.cookie), undefined, { submissionId: v1!.id });
    expect(page.data).toMatchObject({ status: "submitted", thread: [{ version: 1 }] });

    const bad = await review(mentor.cookie, v1!.id, { "score:readiness": "7", comment: "", outcome: "maybe" });
    expect(bad.status).toBe(400);
    expect(bad.data?.fieldErrors).toEqual({
      "score:readiness": "Readiness: choose a score from 0 to 3.",
      "score:safety": "Safety and scope: choose a score from 0 to 3.",
      comment: "Write an overall comment for the learner.",
      outcome: 'Choose an outcome: "meets the standard" or "revise".',
    });
    expect(getDb().select().from(assignmentReviews).where(eq(assignmentReviews.submissionId, v1!.id)).all()).toEqual([]);

    const revise = await review(mentor.cookie, v1!.id, { "score:readiness": "2", "comment:readiness": "Good on motivation.", "score:safety": "1", "comment:safety": "Name the screening.", comment: "Add the medical screening.", outcome: "revise" });
    expect(revise.status).toBe(303);
    const twice = await review(mentor.cookie, v1!.id, { "score:readiness": "3", "score:safety": "3", comment: "x", outcome: "approved" });
    expect(twice.status).toBe(409);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "assignment.reviewed"), eq(auditLog.entityId, v1!.id))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(mentor.user.id);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ status: "revise", version: 1, assignmentHash: v1!.assignmentHash });
    await drainMailQueue();
    const revised = await smtp.waitFor((m) => m.envelopeTo.includes(learner.user.email) && m.subject === "Your case work needs a revision: Case formulation");
    expect(revised.text).toContain(`http://localhost:3000${PAGE}`);

    let mine = (await openPage(learner.cookie)).data!;
    expect(mine.canSubmit).toBe(true);
    expect(mine.thread[0]!.review).toEqual({
      outcome: "revise",
      comment: "Add the medical screening.",
      reviewedAt: expect.any(String),
      // Each score keeps the criterion's title and range as scored.
      scores: [
        { criterionId: "readiness", title: "Readiness", max: 3, score: 2, comment: "Good on motivation." },
        { criterionId: "safety", title: "Safety and scope", max: 3, score: 1, comment: "Name the screening." },
      ],
    });

    const v2Text = `${CLEAN} The prescriber screens blood pressure and cardiac history before any dosing session.`;
    expect((await submit(learner.cookie, v2Text)).headers.get("Location")).toBe(`${PAGE}?submitted=2`);
    const v2 = rows(learner.user.id).find((r) => r.version === 2)!;
    // The revision goes back to the mentor who asked for it, and only that mentor is told.
    expect(v2.claimedBy).toBe(mentor.user.id);
    const told = getDb().select().from(emails).where(eq(emails.template, "assignment-submitted")).all().filter((e) => e.createdAt.getTime() === v2.submittedAt.getTime());
    expect(told.map((e) => e.to)).toEqual([mentor.user.email]);
    const v2Page = await run<{ thread: Array<{ version: number }> }>(reviewLoader, getRequest(`/mentor/${v2.id}`, mentor.cookie), undefined, { submissionId: v2.id });
    expect(v2Page.data?.thread.map((t) => t.version)).toEqual([1, 2]);

    expect((await review(mentor.cookie, v2.id, { "score:readiness": "3", "score:safety": "3", comment: "Meets the standard.", outcome: "approved" })).status).toBe(303);
    await drainMailQueue();
    await smtp.waitFor((m) => m.envelopeTo.includes(learner.user.email) && m.subject === "Your case work meets the standard: Case formulation");
    mine = (await openPage(learner.cookie)).data!;
    expect(mine.canSubmit).toBe(false);
    expect(mine.thread.map((t) => [t.version, t.status, t.review?.outcome])).toEqual([[1, "revise", "revise"], [2, "approved", "approved"]]);
    expect((await submit(learner.cookie, `${v2Text} Again.`)).status).toBe(409);

    const overview = await mentoringOverview();
    expect(overview.mentors.find((m) => m.id === mentor.user.id)).toMatchObject({ claimed: 0, reviewed30d: 2 });
    expect(overview.turnaround.find((t) => t.courseId === "fixture-course")?.reviewed).toBeGreaterThanOrEqual(2);
  });

  test("turnaround is the median and 90th percentile of submitted-to-reviewed hours", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const mentor = await createSignedInUser({ role: "mentor" });
    const place = (await findAssignment("fixture-course", "practice", "case-work"))!;
    const { reviewSubmission } = await import("#app/mentoring/mentoring.server.ts");
    // Turnaround in this file's fresh database: clear earlier tests' reviews to count only these ten.
    getDb().delete(assignmentSubmissions).run();
    const base = Date.now() - 30 * 86_400_000;
    for (let i = 1; i <= 10; i++) {
      const learner = await enrolledLearner();
      const s = submitAssignment(learner.user.id, place, { body: CLEAN, token: `turnaround-${i}-token` }, new Date(base));
      if (!s.ok) throw new Error(s.message);
      const form = new FormData();
      for (const [k, v] of Object.entries({ "score:readiness": "3", "score:safety": "3", comment: "ok", outcome: "approved" })) form.set(k, v);
      const r = await reviewSubmission(mentor.user.id, s.submission.id, form, new Date(base + i * 3_600_000));
      if (!r.ok) throw new Error(r.message);
    }
    const page = await run<{ turnaround: Array<{ courseId: string; reviewed: number; medianHours: number; p90Hours: number }> }>(adminMentoringLoader, getRequest("/admin/mentoring", admin.cookie));
    expect(page.data?.turnaround).toEqual([{ courseId: "fixture-course", courseTitle: expect.any(String), reviewed: 10, medianHours: 5, p90Hours: 9 }]);
  });
});

describe("who reviews", () => {
  const claim = (cookie: string, id: string) => run<{ message: string }>(reviewAction, formRequest(`/mentor/${id}`, { intent: "claim" }, { cookie }), undefined, { submissionId: id });
  const open = (cookie: string, id: string) => run(reviewLoader, getRequest(`/mentor/${id}`, cookie), undefined, { submissionId: id });
  const APPROVE = { "score:readiness": "3", "score:safety": "3", comment: "Meets the standard.", outcome: "approved" };
  const audits = (action: string, id: string) => getDb().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, id))).all();

  test("a mentor or admin who takes the course never reviews their own work: it is hidden from them, and another mentor reviews it", async () => {
    for (const role of ["mentor", "admin"] as const) {
      const self = await enrolledLearner(`Self ${role}`, role);
      const other = await createSignedInUser({ role: "mentor" });
      const mailsBefore = getDb().select().from(emails).where(eq(emails.to, self.user.email)).all().length;
      expect((await submit(self.cookie, CLEAN)).status).toBe(303);
      const [mine] = rows(self.user.id);
      // Not in their queue, not openable, not claimable, not reviewable; and they are not emailed about it.
      expect(await listQueue(self.user.id)).not.toContainEqual(expect.objectContaining({ id: mine!.id }));
      expect((await open(self.cookie, mine!.id)).status).toBe(404);
      expect((await claim(self.cookie, mine!.id)).status).toBe(409);
      expect((await review(self.cookie, mine!.id, APPROVE)).status).toBe(404);
      expect(getDb().select().from(emails).where(eq(emails.to, self.user.email)).all()).toHaveLength(mailsBefore);
      expect(getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.id, mine!.id)).get()).toMatchObject({ status: "submitted", claimedBy: null });
      // Another mentor sees and approves it.
      expect(await listQueue(other.user.id)).toContainEqual(expect.objectContaining({ id: mine!.id }));
      expect((await review(other.cookie, mine!.id, APPROVE)).status).toBe(303);
      expect(getDb().select().from(assignmentReviews).where(eq(assignmentReviews.submissionId, mine!.id)).get()?.mentorId).toBe(other.user.id);
    }
  });

  test("deactivating a mentor, or taking the role away, returns their claimed work to the open queue, audited; a revision then goes to every mentor", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const leaving = await createSignedInUser({ role: "mentor", name: "Leaving Mentor" });
    const demoted = await createSignedInUser({ role: "mentor", name: "Demoted Mentor" });
    const staying = await createSignedInUser({ role: "mentor", name: "Staying Mentor" });
    const a = await enrolledLearner("Ada Waiting");
    const b = await enrolledLearner("Bo Revising");
    await submit(a.cookie, CLEAN);
    await submit(b.cookie, CLEAN);
    const [aV1] = rows(a.user.id);
    const [bV1] = rows(b.user.id);
    expect((await claim(leaving.cookie, aV1!.id)).status).toBe(303);
    expect((await review(demoted.cookie, bV1!.id, { ...APPROVE, outcome: "revise", comment: "Name the screening." })).status).toBe(303);

    // Deactivated: the claimed submission is open again, and the release is in the audit log.
    const off = await run<{ ok: boolean }>(usersAction, formRequest("/admin/users", { intent: "deactivate", userId: leaving.user.id }, { cookie: admin.cookie }));
    expect(off.data?.ok).toBe(true);
    expect(getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.id, aV1!.id)).get()).toMatchObject({ status: "submitted", claimedBy: null });
    expect(audits("assignment.released", aV1!.id).map((r) => [r.actorId, JSON.parse(r.before!), JSON.parse(r.after!)])).toEqual([[admin.user.id, { claimedBy: leaving.user.id }, { claimedBy: null, reason: "account deactivated" }]]);
    expect(await listQueue(staying.user.id)).toContainEqual(expect.objectContaining({ id: aV1!.id, claimedByMe: false }));

    // Demoted to learner after asking for a revision: the revision is open to every mentor, and they are told.
    expect((await run(usersAction, formRequest("/admin/users", { userId: demoted.user.id, role: "learner" }, { cookie: admin.cookie }))).status).toBe(200);
    await submit(b.cookie, `${CLEAN} The prescriber screens blood pressure first.`);
    const bV2 = rows(b.user.id).find((r) => r.version === 2)!;
    expect(bV2.claimedBy).toBeNull();
    const told = getDb().select().from(emails).where(eq(emails.template, "assignment-submitted")).all().filter((e) => e.createdAt.getTime() === bV2.submittedAt.getTime()).map((e) => e.to);
    expect(told).toContain(staying.user.email);
    expect(told).not.toContain(demoted.user.email);
    expect(told).not.toContain(leaving.user.email);
    expect((await review(staying.cookie, bV2.id, APPROVE)).status).toBe(303);
  });

  test("an admin returns a claimed submission to the open queue from /admin/mentoring, audited; nothing else can be returned, and only admins may", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const away = await createSignedInUser({ role: "mentor" });
    const learner = await enrolledLearner();
    await submit(learner.cookie, CLEAN);
    const [v1] = rows(learner.user.id);
    const post = (cookie: string, fields: Record<string, string>) => run<{ ok: boolean; message: string }>(adminMentoringAction, formRequest("/admin/mentoring", fields, { cookie }));

    const notClaimed = await post(admin.cookie, { intent: "return", submissionId: v1!.id });
    expect(notClaimed.status).toBe(409);
    expect(notClaimed.data?.message).toBe("That submission is not claimed, or it has been reviewed: nothing to return.");
    await claim(away.cookie, v1!.id);
    for (const cookie of [away.cookie, learner.cookie]) expect((await post(cookie, { intent: "return", submissionId: v1!.id })).status).toBe(403);
    expect((await post(admin.cookie, { intent: "steal", submissionId: v1!.id })).status).toBe(400);
    expect(getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.id, v1!.id)).get()?.claimedBy).toBe(away.user.id);

    const returned = await post(admin.cookie, { intent: "return", submissionId: v1!.id });
    expect(returned.data).toEqual({ ok: true, message: "Returned to the open queue: every mentor can now claim it." });
    expect(getDb().select().from(assignmentSubmissions).where(eq(assignmentSubmissions.id, v1!.id)).get()?.claimedBy).toBeNull();
    expect(audits("assignment.released", v1!.id).map((r) => [r.actorId, JSON.parse(r.after!).reason])).toEqual([[admin.user.id, "returned to the open queue by an admin"]]);
  });

  test("comments count a line break as one character, as the form does; a refused review comes back with what the mentor entered", async () => {
    const mentor = await createSignedInUser({ role: "mentor" });
    const learner = await enrolledLearner();
    await submit(learner.cookie, CLEAN);
    const [v1] = rows(learner.user.id);
    // 4,999 characters in the textarea: 20 lines, sent with CRLF line breaks (5,018 characters on the wire).
    const long = Array.from({ length: 20 }, () => "x".repeat(249)).join("\r\n");
    expect([long.length, long.replace(/\r\n/g, "\n").length]).toEqual([5018, 4999]);
    const refused = await review(mentor.cookie, v1!.id, { "score:readiness": "2", "comment:readiness": "Clear.", "score:safety": "9", comment: long, outcome: "revise" });
    expect(refused.status).toBe(400);
    expect(refused.data?.fieldErrors).toEqual({ "score:safety": "Safety and scope: choose a score from 0 to 3." });
    expect((refused.data as unknown as { values: Record<string, string> }).values).toEqual({ "score:readiness": "2", "comment:readiness": "Clear.", "score:safety": "9", comment: long, outcome: "revise" });
    expect((await review(mentor.cookie, v1!.id, { "score:readiness": "2", "score:safety": "1", comment: long, outcome: "revise" })).status).toBe(303);
    expect(getDb().select().from(assignmentReviews).where(eq(assignmentReviews.submissionId, v1!.id)).get()?.comment).toBe(long.replace(/\r\n/g, "\n"));
  });
});
