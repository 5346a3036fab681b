import { execFileSync } from "node:child_process";
import { text } from "node:stream/consumers";
import { unzipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { ceBrokerCourseIds, listCompletions, parseCompletionFilter, type CompletionRow } from "#app/admin/completions.server.ts";
import { CE_BROKER_HEADER, ceBrokerProblems, exportStream, type CeBrokerSettings } from "#app/admin/exports.server.ts";
import { courseReport } from "#app/admin/reports.server.ts";
import { getCaseDef, choose, startRun } from "#app/cases/runs.server.ts";
import { listCertificates } from "#app/certificates/certificates.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import { reloadEnv } from "#app/env.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { loader as exportLoader } from "#app/routes/admin.completions.export.ts";
import { loader as pdfsLoader } from "#app/routes/admin.completions.pdfs.ts";
import { loader as completionsLoader } from "#app/routes/admin.completions.tsx";
import { loader as reportLoader } from "#app/routes/admin.reports.$courseId.tsx";
import { loader as certificatesLoader } from "#app/routes/certificates._index.tsx";
import { loader as dashboardLoader } from "#app/routes/dashboard.tsx";
import { loader as transcriptLoader } from "#app/routes/transcript._index.tsx";
import { createSignedInUser } from "#tests/db-utils.ts";
import { completeFixtureCourse, testClock } from "#tests/learning-utils.ts";
import { getRequest, run, signedInContext } from "#tests/route-utils.ts";
import { readXlsx } from "#tests/xlsx.ts";

/**
 * Two courses through the admin side. Ana completes fixture-course, then
 * fixture-advanced (which builds on it); Ben completes fixture-course only; Cy
 * completes fixture-cases after a safe run of its case. Every record is checked
 * for what each course's rows hold: course id, title and CE hours.
 */

const filter = (q: Record<string, string> = {}) => {
  const parsed = parseCompletionFilter(new URLSearchParams(q));
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
};

const noon = (day: number) => new Date(Date.UTC(2026, 2, day, 12));
const A = "fixture-course";
const B = "fixture-advanced";
const C = "fixture-cases";

const seeded = await (async () => {
  const ana = await createSignedInUser({ name: "Ana Two", email: "ana.two@clinic.example", licenses: [{ type: "LMFT", number: "LMFT700", state: "CA" }, { type: "LPC", number: "LPC701", state: "TX" }] });
  const ben = await createSignedInUser({ name: "Ben One", email: "ben.one@clinic.example", licenses: [{ type: "RN", number: "RN800", state: "FL" }] });
  const cy = await createSignedInUser({ name: "Cy Cases", email: "cy.cases@clinic.example", licenses: [{ type: "LCSW", number: "LCSW900", state: "NY" }] });
  await completeFixtureCourse(ana.user.id, { now: noon(2) });
  await completeFixtureCourse(ben.user.id, { now: noon(3) });
  // Cy: the course's lessons and quiz, then a safe run of its case (one acceptable choice), then the attestation.
  const clock = testClock(new Date(noon(4).getTime() - 6 * 3_600_000));
  const cases = await completeFixtureCourse(cy.user.id, { courseId: C, attest: false, clock });
  const def = (await getCaseDef(C, "consult", "second-lozenge"))!;
  const caseRun = startRun(cy.user.id, def, clock.advance(60));
  for (const [step, [scene, choice]] of [["request", "wait"], ["prescriber", "document"]].entries()) {
    const chosen = choose(cy.user.id, def, caseRun.id, { scene: scene!, step, choice: choice! }, clock.advance(60));
    if (!chosen.ok) throw new Error(chosen.message);
  }
  const done = await attestAndComplete(cy.user.id, cases, { confirmed: true, ip: "203.0.113.5", userAgent: "test" }, noon(4));
  if (!done.ok) throw new Error(done.message);
  await completeFixtureCourse(ana.user.id, { courseId: B, now: noon(5) });
  const courses = Object.fromEntries(await Promise.all([A, B, C].map(async (id) => [id, (await findCourse(id))!] as const))) as Record<string, CourseEntry>;
  return { ana, ben, cy, courses };
})();
const { ana, ben, cy, courses } = seeded;

/** What a row says about its course, and whose and when it is. */
const courseOf = (r: Pick<CompletionRow, "courseId" | "courseTitle" | "ceHours">) => [r.courseId, r.courseTitle, r.ceHours];
const expected = (courseId: string) => [courseId, courses[courseId]!.title, courses[courseId]!.ceHours];

describe("the completions list", () => {
  test("one row per certificate and license, newest first, each with its own course's id, title, version and hours", async () => {
    expect(courses[A]!.title).not.toBe(courses[B]!.title);
    const { rows, total } = await listCompletions(filter());
    expect(total).toBe(6);
    expect(rows.map((r) => [r.email, r.licenseNumber, r.completionDate, ...courseOf(r)])).toEqual([
      ["ana.two@clinic.example", "LMFT700", "2026-03-05", ...expected(B)],
      ["ana.two@clinic.example", "LPC701", "2026-03-05", ...expected(B)],
      ["cy.cases@clinic.example", "LCSW900", "2026-03-04", ...expected(C)],
      ["ben.one@clinic.example", "RN800", "2026-03-03", ...expected(A)],
      ["ana.two@clinic.example", "LMFT700", "2026-03-02", ...expected(A)],
      ["ana.two@clinic.example", "LPC701", "2026-03-02", ...expected(A)],
    ]);
    for (const r of rows) expect(r.courseVersion).toBe(courses[r.courseId]!.version);
    // Ana's two certificates are two certificates, one per course.
    const anas = rows.filter((r) => r.userId === ana.user.id);
    expect(new Set(anas.map((r) => r.certificateId)).size).toBe(2);
    expect(rows.every((r) => r.status === "valid" && r.timeFlag === "" && r.postTestScorePercent === 100)).toBe(true);
  });

  test("the course filter keeps only that course's rows, and sorting by course groups them", async () => {
    const advanced = await listCompletions(filter({ course: B }));
    expect(advanced.total).toBe(2);
    expect(advanced.rows.map((r) => [r.learnerName, r.licenseNumber, ...courseOf(r)])).toEqual([
      ["Ana Two", "LMFT700", ...expected(B)],
      ["Ana Two", "LPC701", ...expected(B)],
    ]);
    const basic = await listCompletions(filter({ course: A, sort: "name", dir: "asc" }));
    expect(basic.rows.map((r) => [r.learnerName, r.licenseNumber, ...courseOf(r)])).toEqual([
      ["Ana Two", "LMFT700", ...expected(A)],
      ["Ana Two", "LPC701", ...expected(A)],
      ["Ben One", "RN800", ...expected(A)],
    ]);
    expect((await listCompletions(filter({ course: C }))).rows.map((r) => [r.learnerName, ...courseOf(r)])).toEqual([["Cy Cases", ...expected(C)]]);
    // Titles sort "Fixture Advanced…" < "Fixture Cases…" < "Fixture Course…".
    const byCourse = await listCompletions(filter({ sort: "course", dir: "asc" }));
    expect(byCourse.rows.map((r) => r.courseId)).toEqual([B, B, C, A, A, A]);
    // The admin's page offers each course in its filter and shows the filtered rows.
    const admin = await createSignedInUser({ role: "admin" });
    const page = await run<{ courses: string[]; total: number; rows: CompletionRow[] }>(completionsLoader, getRequest(`/admin/completions?course=${B}`, admin.cookie));
    expect(page.data!.courses).toEqual([B, C, A]);
    expect(page.data!.rows.map(courseOf)).toEqual([expected(B), expected(B)]);
  });
});


const parseCsv = (csv: string) =>
  JSON.parse(execFileSync("python3", ["-c", "import csv,json,sys; print(json.dumps(list(csv.reader(sys.stdin))))"], { input: csv, encoding: "utf8" })) as string[][];

describe("exports of both courses", () => {
  test("CSV: each row's course id, title and hours, in the page's order", async () => {
    const [header, ...rows] = parseCsv(await text(exportStream("csv", filter())));
    const col = (name: string) => header!.indexOf(name);
    const page = (await listCompletions(filter())).rows;
    expect(rows.map((r) => [r[col("Certificate ID")], r[col("License number")], r[col("Course ID")], r[col("Course title")], Number(r[col("CE hours")])])).toEqual(
      page.map((r) => [r.certificateId, r.licenseNumber, ...courseOf(r)]),
    );
    expect(rows.map((r) => r[col("Course version")])).toEqual(page.map((r) => courses[r.courseId]!.version));
    const advanced = parseCsv(await text(exportStream("csv", filter({ course: B })))).slice(1);
    expect(advanced.map((r) => [r[col("Learner name")], r[col("Course ID")], r[col("Course title")], r[col("CE hours")], r[col("Completion date")]])).toEqual([
      ["Ana Two", B, courses[B]!.title, "0.25", "2026-03-05"],
      ["Ana Two", B, courses[B]!.title, "0.25", "2026-03-05"],
    ]);
  });

  test("XLSX: course id and title as text, hours as numbers, for each course", async () => {
    const [header, ...rows] = await readXlsx(exportStream("xlsx", filter({ sort: "course", dir: "asc" })));
    const col = (name: string) => header!.map((c) => c.v).indexOf(name);
    const page = (await listCompletions(filter({ sort: "course", dir: "asc" }))).rows;
    expect(rows.map((r) => [r[col("Certificate ID")]!.v, r[col("Course ID")]!.v, r[col("Course title")]!.v, r[col("CE hours")]!.v])).toEqual(
      page.map((r) => [r.certificateId, ...courseOf(r)]),
    );
    for (const r of rows) {
      expect(r[col("CE hours")]).toMatchObject({ t: "n" });
      expect(r[col("Completion date")]).toMatchObject({ t: "d", fmt: "yyyy-mm-dd" });
    }
    expect(rows.map((r) => r[col("Completion date")]!.v)).toEqual(page.map((r) => `${r.completionDate}T00:00:00`));
  });

  test("JSON lines: each object names its course", async () => {
    const lines = (await text(exportStream("jsonl", filter()))).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const page = (await listCompletions(filter())).rows;
    expect(lines.map((l) => [l.certificateId, l.courseId, l.courseTitle, l.ceHours])).toEqual(page.map((r) => [r.certificateId, ...courseOf(r)]));
    expect(lines.filter((l) => l.courseId === B).map((l) => l.email)).toEqual(["ana.two@clinic.example", "ana.two@clinic.example"]);
  });

  const numbers: CeBrokerSettings = { providerNumber: "50-12345", courseNumbers: { [A]: "20-111111", [B]: "222222", [C]: "20-333333" } };

  test("CE Broker CSV roster: each row carries its own course's tracking number and hours", async () => {
    expect(ceBrokerProblems(numbers, ceBrokerCourseIds(filter()))).toEqual([]);
    const [header, ...rows] = parseCsv(await text(exportStream("cebroker-csv", filter(), { ceBroker: numbers })));
    expect(header).toEqual(CE_BROKER_HEADER);
    expect(rows).toEqual([
      ["12345", "222222", "", "", "LMFT700", "03/05/2026", "State=CA", "Profession=LMFT", "", "0.25"],
      ["12345", "222222", "", "", "LPC701", "03/05/2026", "State=TX", "Profession=LPC", "", "0.25"],
      ["12345", "333333", "", "", "LCSW900", "03/04/2026", "State=NY", "Profession=LCSW", "", "0.25"],
      ["12345", "111111", "", "", "RN800", "03/03/2026", "State=FL", "Profession=RN", "", "0.25"],
      ["12345", "111111", "", "", "LMFT700", "03/02/2026", "State=CA", "Profession=LMFT", "", "0.25"],
      ["12345", "111111", "", "", "LPC701", "03/02/2026", "State=TX", "Profession=LPC", "", "0.25"],
    ]);
    // Filtered to one course, the roster lists that course's number only.
    const advanced = parseCsv(await text(exportStream("cebroker-csv", filter({ course: B }), { ceBroker: numbers }))).slice(1);
    expect(advanced.map((r) => [r[1], r[4]])).toEqual([["222222", "LMFT700"], ["222222", "LPC701"]]);
  });

  test("CE Broker XLSX roster: the course numbers as text, dates as MM/DD/YYYY date cells, hours as numbers", async () => {
    const [header, ...rows] = await readXlsx(exportStream("cebroker-xlsx", filter({ state: "CA" }), { ceBroker: numbers }));
    expect(header!.map((c) => c.v)).toEqual(CE_BROKER_HEADER);
    expect(rows.map((r) => [r[1]!.v, r[4]!.v, r[5]!.v, r[9]!.v])).toEqual([
      ["222222", "LMFT700", "2026-03-05T00:00:00", 0.25],
      ["111111", "LMFT700", "2026-03-02T00:00:00", 0.25],
    ]);
    for (const r of rows) {
      expect(r[1]!.t).toBe("s");
      expect(r[5]).toMatchObject({ t: "d", fmt: "mm/dd/yyyy" });
      expect(r[9]!.t).toBe("n");
    }
  });

  test("refused, naming the one course without a number, when the filter includes it; produced when filtered to the others", async () => {
    const missing: CeBrokerSettings = { providerNumber: "12345", courseNumbers: { [A]: "111111", [C]: "333333" } };
    expect(ceBrokerCourseIds(filter())).toEqual([B, C, A]);
    expect(ceBrokerProblems(missing, ceBrokerCourseIds(filter()))).toEqual([
      `Course "${B}" has no CE Broker course tracking number: set ceBroker.courseNumber (digits, with or without the 20- prefix) in its course.yaml.`,
    ]);
    await expect(text(exportStream("cebroker-csv", filter(), { ceBroker: missing }))).rejects.toThrow(`Course "${B}" has no CE Broker course tracking number`);
    expect(ceBrokerProblems(missing, ceBrokerCourseIds(filter({ course: A })))).toEqual([]);
    const basic = parseCsv(await text(exportStream("cebroker-csv", filter({ course: A }), { ceBroker: missing }))).slice(1);
    expect(basic.map((r) => [r[1], r[4]])).toEqual([["111111", "RN800"], ["111111", "LMFT700"], ["111111", "LPC701"]]);

    // The same through the export route, with the provider number in the environment and two of the three courses numbered.
    const admin = await createSignedInUser({ role: "admin" });
    const saved = process.env.CE_BROKER_PROVIDER_NUMBER;
    process.env.CE_BROKER_PROVIDER_NUMBER = "50-12345";
    reloadEnv();
    courses[A]!.ceBroker = { courseNumber: "20-111111" };
    courses[C]!.ceBroker = { courseNumber: "333333" };
    try {
      const get = async (query: string) => {
        const request = getRequest(`/admin/completions/export?${query}`, admin.cookie);
        return (exportLoader({ request, context: await signedInContext(request), params: {}, url: new URL(request.url), pattern: "" } as never) as Promise<Response>).catch((r: unknown) => r as Response);
      };
      const refused = await get("format=cebroker-csv");
      expect(refused.status).toBe(409);
      const message = await refused.text();
      expect(message).toContain(`Course "${B}" has no CE Broker course tracking number`);
      expect(message).not.toContain(`Course "${A}"`);
      expect(message).not.toContain("CE_BROKER_PROVIDER_NUMBER");
      const ok = await get(`format=cebroker-csv&course=${A}`);
      expect(ok.status).toBe(200);
      expect(parseCsv(await ok.text()).slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([["12345", "111111", "RN800"], ["12345", "111111", "LMFT700"], ["12345", "111111", "LPC701"]]);
      const page = await run<{ ceBrokerProblems: string[] }>(completionsLoader, getRequest("/admin/completions", admin.cookie));
      expect(page.data!.ceBrokerProblems).toEqual([expect.stringContaining(`Course "${B}"`)]);
    } finally {
      delete courses[A]!.ceBroker;
      delete courses[C]!.ceBroker;
      if (saved === undefined) delete process.env.CE_BROKER_PROVIDER_NUMBER;
      else process.env.CE_BROKER_PROVIDER_NUMBER = saved;
      reloadEnv();
    }
  });

  test("the zip of certificate PDFs holds one PDF per certificate of each course", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const unzip = async (query: string) => {
      const request = getRequest(`/admin/completions/pdfs?${query}`, admin.cookie);
      const res = (await pdfsLoader({ request, context: await signedInContext(request), params: {}, url: new URL(request.url), pattern: "" } as never)) as Response;
      expect(res.headers.get("Content-Type")).toBe("application/zip");
      return unzipSync(new Uint8Array(await res.arrayBuffer()));
    };
    const certs = [...(await listCertificates(ana.user.id)), ...(await listCertificates(ben.user.id)), ...(await listCertificates(cy.user.id))];
    const all = await unzip("");
    expect(Object.keys(all).sort()).toEqual(certs.map((c) => `${c.publicId}.pdf`).sort());
    for (const bytes of Object.values(all)) expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const advanced = await unzip(`course=${B}`);
    expect(Object.keys(advanced)).toEqual(certs.filter((c) => c.courseId === B).map((c) => `${c.publicId}.pdf`));
  });
});

describe("admin reports per course", () => {
  test("each course counts its own learners, funnel and evaluations", async () => {
    const report = async (id: string) => courseReport(courses[id]!);
    expect(await report(A)).toMatchObject({ enrolled: 2, completed: 2, inProgress: 0, evaluations: 2 });
    expect(await report(B)).toMatchObject({ enrolled: 1, completed: 1, inProgress: 0, evaluations: 1 });
    expect(await report(C)).toMatchObject({ enrolled: 1, completed: 1, inProgress: 0, evaluations: 1 });
    const advanced = await report(B);
    // Module "next" has no quiz of its own (the post-test tests it).
    expect(advanced.funnel.map((m) => [m.slug, m.lessonsDone, m.quizPassed, m.attempts, m.passRate])).toEqual([
      ["next", 1, 0, 0, null],
      ["post-test", 1, 1, 1, 1],
    ]);
    expect((await report(A)).funnel.map((m) => [m.slug, m.lessonsDone, m.quizPassed])).toEqual([
      ["basics", 2, 2],
      ["practice", 2, 2],
    ]);
    // Objective ratings are each course's own objectives.
    expect(advanced.ratings.filter((r) => r.kind === "objective").map((r) => [r.id, r.responses, r.mean])).toEqual(courses[B]!.objectives.map((o) => [`objective:${o.id}`, 1, 5]));

    const admin = await createSignedInUser({ role: "admin" });
    for (const id of [A, B, C]) {
      const page = await run<{ course: { id: string; title: string }; report: { completed: number } }>(reportLoader, getRequest(`/admin/reports/${id}`, admin.cookie), {}, { courseId: id });
      expect(page.data!.course).toEqual({ id, title: courses[id]!.title });
    }
  });
});

describe("the learner's side", () => {
  test("the dashboard shows both courses completed, each with its own certificate; the third not started", async () => {
    type Dashboard = { courses: Array<{ id: string; title: string; ceHours: number; enrolled: boolean; completedAt: string | null; certificate: { publicId: string; standing: { status: string } } | null }> };
    const page = await run<Dashboard>(dashboardLoader, getRequest("/dashboard", ana.cookie));
    const certs = await listCertificates(ana.user.id);
    const certOf = (id: string) => certs.find((c) => c.courseId === id)!.publicId;
    expect(page.data!.courses.map((c) => [c.id, c.title, c.ceHours, c.enrolled, c.completedAt?.slice(0, 10) ?? null, c.certificate?.publicId ?? null, c.certificate?.standing.status ?? null])).toEqual([
      [B, courses[B]!.title, 0.25, true, "2026-03-05", certOf(B), "valid"],
      [C, courses[C]!.title, 0.25, false, null, null, null],
      [A, courses[A]!.title, 0.25, true, "2026-03-02", certOf(A), "valid"],
    ]);
  });

  test("/certificates lists both certificates, newest first, and totals their hours", async () => {
    type List = { certificates: Array<{ publicId: string; title: string; ceHours: number; completedAt: string; status: string }>; totalHours: number };
    const page = await run<List>(certificatesLoader, getRequest("/certificates", ana.cookie));
    expect(page.data!.certificates.map((c) => [c.title, c.ceHours, c.completedAt, c.status])).toEqual([
      [courses[B]!.title, 0.25, "2026-03-05", "valid"],
      [courses[A]!.title, 0.25, "2026-03-02", "valid"],
    ]);
    expect(page.data!.totalHours).toBe(0.5);
    // Ben has one.
    const bens = await run<List>(certificatesLoader, getRequest("/certificates", ben.cookie));
    expect(bens.data!.certificates.map((c) => c.title)).toEqual([courses[A]!.title]);
    expect(bens.data!.totalHours).toBe(0.25);
  });

  test("/certificates totals hours as the transcript does, in hundredths: 0.1 and 0.2 hours make 0.3", async () => {
    // Ana's certificates as if her two courses carried 0.1 and 0.2 CE hours (a float sum gives 0.30000000000000004).
    const db = getDb().$client;
    const setHours = db.prepare("update certificates set snapshot = json_set(snapshot, '$.ceHours', ?) where user_id = ? and course_id = ?");
    setHours.run(0.1, ana.user.id, A);
    setHours.run(0.2, ana.user.id, B);
    try {
      const page = await run<{ totalHours: number }>(certificatesLoader, getRequest("/certificates", ana.cookie));
      expect(page.data!.totalHours).toBe(0.3);
    } finally {
      setHours.run(courses[A]!.ceHours, ana.user.id, A);
      setHours.run(courses[B]!.ceHours, ana.user.id, B);
    }
  });

  test("the transcript counts both certificates, overall and for each license", async () => {
    type Page = { transcript: { rows: Array<{ kind: string; title: string; date: string; hundredths: number; counted: boolean; reference: string }>; totals: { platform: number; selfReported: number; all: number }; perLicense: Array<{ label: string; platform: number; all: number }> } };
    const page = await run<Page>(transcriptLoader, getRequest("/transcript?period=all", ana.cookie));
    const t = page.data!.transcript;
    const certs = await listCertificates(ana.user.id);
    expect(t.rows.map((r) => [r.kind, r.date, r.title, r.hundredths, r.counted, r.reference])).toEqual([
      ["platform", "2026-03-02", courses[A]!.title, 25, true, certs.find((c) => c.courseId === A)!.publicId],
      ["platform", "2026-03-05", courses[B]!.title, 25, true, certs.find((c) => c.courseId === B)!.publicId],
    ]);
    expect(t.totals).toEqual({ platform: 50, selfReported: 0, all: 50 });
    expect(t.perLicense.map((l) => [l.platform, l.all])).toEqual([[50, 50], [50, 50]]);
  });
});
