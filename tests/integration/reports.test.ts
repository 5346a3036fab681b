import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { courseReport, itemAnalysis } from "#app/admin/reports.server.ts";
import { logIn } from "#app/auth/accounts.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";
import { action as accountAction } from "#app/routes/account._index.tsx";
import { loader as itemsLoader } from "#app/routes/author.items.$courseId.tsx";
import { loader as zipLoader } from "#app/routes/admin.completions.pdfs.ts";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse, completeModuleLessons, testClock } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run, signedInContext } from "#tests/route-utils.ts";

const course = (await findCourse("fixture-course"))!;

describe("course report and item analysis", () => {
  test("counts learners and the funnel, and flags items by facility and discrimination", async () => {
    // Two learners complete the course; one only reads the first module and fails its quiz twice.
    for (let i = 0; i < 2; i++) await completeFixtureCourse((await createUser()).id);
    const struggling = await createUser();
    await completeModuleLessons(struggling.id, course, "basics", testClock(new Date(Date.now() - 3_600_000)));
    for (let i = 0; i < 2; i++) {
      const s = await startAttempt(struggling.id, course, "basics");
      if (!s.ok) throw new Error(s.message);
      await submitAttempt(struggling.id, s.attempt.id, Object.fromEntries(s.attempt.questions.map((q) => [q.id, [q.options.find((o) => !q.answer.includes(o.id))!.id]])));
    }

    const report = await courseReport(course);
    expect(report).toMatchObject({ enrolled: 3, completed: 2, inProgress: 1, evaluations: 2 });
    expect(report.funnel.map((m) => [m.slug, m.lessonsDone, m.quizPassed])).toEqual([["basics", 3, 2], ["practice", 2, 2]]);
    expect(report.funnel[0]!.passRate).toBeCloseTo(2 / 4);
    const learned = report.ratings.find((r) => r.id === "learned")!;
    expect(learned).toMatchObject({ responses: 2, mean: 5, counts: [0, 0, 0, 0, 2] });
    expect(report.ratings.filter((r) => r.kind === "objective")).toHaveLength(course.objectives.length);

    const items = await itemAnalysis(course.id, "basics");
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.p).toBeGreaterThanOrEqual(0);
      expect(item.p).toBeLessThanOrEqual(1);
      expect(item.options.filter((o) => o.key).length).toBeGreaterThan(0);
      expect(item.options.reduce((s, o) => s + o.chosen, 0)).toBeGreaterThanOrEqual(item.responses);
    }
    // Everyone who answered right also did well overall: discrimination is positive where it can be computed.
    for (const item of items.filter((i) => i.discrimination !== null)) expect(item.discrimination!).toBeGreaterThan(0);
  });

  test("item analysis is open to authors and admins only", async () => {
    const learner = await createSignedInUser();
    expect((await run(itemsLoader, getRequest("/author/items/fixture-course", learner.cookie), undefined, { courseId: "fixture-course" })).status).toBe(403);
    const author = await createSignedInUser({ role: "author" });
    expect((await run(itemsLoader, getRequest("/author/items/fixture-course", author.cookie), undefined, { courseId: "fixture-course" })).status).toBe(200);
  });
});

describe("bulk certificate download", () => {
  test("a zip holds one PDF per certificate in the filter", async () => {
    const people = [await createUser({ licenses: [{ type: "LPC", number: "Z1", state: "WA" }] }), await createUser({ licenses: [{ type: "LPC", number: "Z2", state: "WA" }] })];
    for (const p of people) await completeFixtureCourse(p.id);
    const { cookie } = await createSignedInUser({ role: "admin" });
    const request = getRequest("/admin/completions/pdfs?state=WA", cookie);
    const res = (await zipLoader({ request, context: await signedInContext(request), params: {} } as never)) as Response;
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-zip-"));
    const file = path.join(dir, "c.zip");
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const names = JSON.parse(execFileSync("python3", ["-c", "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps([(n, z.read(n)[:5].decode()) for n in z.namelist()]))", file], { encoding: "utf8" })) as Array<[string, string]>;
    expect(names).toHaveLength(2);
    for (const [name, head] of names) {
      expect(name).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}\.pdf$/);
      expect(head).toBe("%PDF-");
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const audit = getDb().$client.prepare("select action, after from audit_log order by id desc limit 1").get() as { action: string; after: string };
    expect(audit.action).toBe("certificates.downloaded");
    expect(JSON.parse(audit.after)).toMatchObject({ count: 2, filter: { state: "WA" } });
  });
});

describe("closing an account", () => {
  test("a learner closes their account: no more sign-in, records kept", async () => {
    const { user, cookie } = await createSignedInUser();
    await completeFixtureCourse(user.id);
    const wrong = await run<{ errors: Record<string, string[]> }>(accountAction, formRequest("/account", { intent: "close", closePassword: "not it" }, { cookie }));
    expect(wrong.data?.errors.closePassword).toEqual(["Your password is not correct."]);
    const closed = await run(accountAction, formRequest("/account", { intent: "close", closePassword: user.password }, { cookie }));
    expect(closed.headers.get("Location")).toBe("/?notice=account-closed");
    expect((await logIn({ email: user.email, password: user.password, ip: "198.51.100.31" })).ok).toBe(false);
    const kept = getDb().$client.prepare("select count(*) n from certificates where user_id = ?").get(user.id) as { n: number };
    expect(kept.n).toBe(1);
    expect(getDb().$client.prepare("select count(*) n from completions where user_id = ?").get(user.id)).toEqual({ n: 1 });
  });
});

describe("a learner's record", () => {
  test("holds licenses, enrollment, attempts with their snapshots, evaluation, attestation and certificate", async () => {
    const { getLearnerRecord } = await import("#app/admin/learner-record.server.ts");
    const user = await createUser();
    await completeFixtureCourse(user.id);
    const record = (await getLearnerRecord(user.id))!;
    expect(record.licenses).toHaveLength(1);
    const course = record.courses[0]!;
    expect(course).toMatchObject({ courseId: "fixture-course", percent: 100 });
    expect(course.attempts.every((a) => a.questions.length > 0 && a.status === "submitted")).toBe(true);
    expect(course.evaluation).not.toBeNull();
    expect(course.attestation?.ip).toBe("203.0.113.5");
    expect(course.completion?.ceHours).toBe(0.25);
    expect(record.certificates).toHaveLength(1);
  });
});
