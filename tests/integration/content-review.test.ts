import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { reviewSchedule } from "#app/content/review.ts";
import { loadCatalog } from "#app/content/load.server.ts";

/**
 * Review dates, through the command authors run: a copy of the fixture course
 * with one lesson's reviewBy moved, checked as of a chosen day.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), "kap-review-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function courseCopy(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(root, "content-"));
  fs.cpSync("tests/fixtures/content", dir, { recursive: true });
  edit(path.join(dir, "courses/fixture-course"));
  return dir;
}

function setLine(file: string, from: RegExp, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  expect(text).toMatch(from);
  fs.writeFileSync(file, text.replace(from, to));
}

function check(dir: string, ...args: string[]) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/check-content.ts", dir, ...args], { env: process.env, encoding: "utf8" });
  return { status: res.status, out: res.stdout + res.stderr };
}

const lesson = (dir: string) => path.join(dir, "courses/fixture-course/01.basics/02.second-lesson.mdx");
const relative = (file: string) => path.relative(process.cwd(), file).split(path.sep).join("/");

describe("npm run content:check and review dates", () => {
  test("a passed reviewBy is an error at its line, with what to re-check: exit 1", () => {
    const dir = courseCopy((c) => setLine(path.join(c, "01.basics/02.second-lesson.mdx"), /reviewBy: .*/, 'reviewBy: 2029-01-10\nrecheck: "The dosing rule in the fixture source."'));
    const { status, out } = check(dir, "--today", "2029-01-11");
    expect(status).toBe(1);
    expect(out).toContain(`${relative(lesson(dir))}:7:1: reviewBy: 2029-01-10 has passed; re-check this lesson against its sources and set a new date (The dosing rule in the fixture source.)`);
    expect(out).toMatch(/2029-01-10 {2}OVERDUE The second lesson/);
    expect(out).toContain("content check: 1 error");
  });

  test("a reviewBy within 60 days is a warning: exit 0, listed as due", () => {
    const dir = courseCopy(() => {});
    const { status, out } = check(dir, "--today", "2029-02-15");
    expect(status).toBe(0);
    expect(out).toContain(`${relative(lesson(dir))}:7:1: warning: reviewBy: 2029-03-31 is due in 44 days`);
    expect(out).toContain("fixture-course: 3 items due for review within 60 days or overdue:");
    expect(out).toContain("content check: 0 errors, 3 warnings");
  });

  test("today's real date: the fixture course is not due", () => {
    const { status, out } = check("tests/fixtures/content");
    expect(status).toBe(0);
    expect(out).toContain("content check: 0 errors, 0 warnings");
  });

  test("the release build refuses a course with a passed review date", () => {
    const dir = courseCopy((c) => setLine(path.join(c, "01.basics/02.second-lesson.mdx"), /reviewBy: .*/, "reviewBy: 2020-01-31"));
    const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-content.ts"], { env: { ...process.env, CONTENT_DIR: dir }, encoding: "utf8" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("reviewBy: 2020-01-31 has passed");
    expect(res.stderr).toMatch(/content build refused: 1 error/);
  });

  test("a course cannot expire after an approval ends, nor a lesson be reviewed after the course expires", async () => {
    const dir = courseCopy((c) => {
      setLine(path.join(c, "course.yaml"), /period: 2026-01-01 to 2029-12-31/, "period: 2026-01-01 to 2028-06-30");
      setLine(path.join(c, "02.practice/01.case-work.mdx"), /reviewBy: .*/, "reviewBy: 2029-08-01");
    });
    const catalog = await loadCatalog(dir, new Map(), { today: "2027-01-01" });
    const messages = catalog.problems.map((p) => `${p.severity}: ${p.message}`);
    expect(messages).toContain("error: dates.expires: 2029-05-31 is after the end of the APA approval period (2028-06-30); a course cannot offer credit beyond its approval");
    expect(messages).toContain("error: reviewBy: 2029-08-01 is after the course expires (2029-05-31); review the lesson by then");
  });

  test("a period not written as two dates is named", async () => {
    const dir = courseCopy((c) => setLine(path.join(c, "course.yaml"), /period: 2026-01-01 to 2029-12-31/, "period: until further notice"));
    const catalog = await loadCatalog(dir, new Map(), { today: "2027-01-01" });
    expect(catalog.problems.map((p) => p.message)).toContain('approvals[0].period: write it as YYYY-MM-DD to YYYY-MM-DD (got "until further notice")');
  });
});

describe("reviewSchedule", () => {
  test("lessons, approvals and the expiry, soonest first, with days left; drafts are left out", () => {
    const course = {
      dates: { expires: "2029-05-31" },
      approvals: [{ body: "NBCC", period: "2026-01-01 to 2029-06-30" }],
      modules: [
        {
          lessons: [
            { title: "Law", file: "a.mdx", draft: false, reviewBy: "2027-03-31", recheck: "The DEA rule." },
            { title: "Draft", file: "b.mdx", draft: true, reviewBy: "2027-01-01", recheck: null },
          ],
        },
      ],
    };
    const items = reviewSchedule(course, "course.yaml", "2027-02-01");
    expect(items.map((i) => [i.kind, i.label, i.date, i.state, i.daysLeft])).toEqual([
      ["lesson", "Law", "2027-03-31", "due-soon", 58],
      ["course", "Course expiry", "2029-05-31", "scheduled", 850],
      ["approval", "NBCC approval period", "2029-06-30", "scheduled", 880],
    ]);
    expect(reviewSchedule(course, "course.yaml", "2027-04-01")[0]).toMatchObject({ state: "overdue", daysLeft: -1 });
  });
});

describe("the author page", () => {
  test("lists what is due, judged on the day it is opened (not when the catalog was built); learners are refused", async () => {
    const { loader } = await import("#app/routes/author._index.tsx");
    const { createSignedInUser } = await import("#tests/db-utils.ts");
    const { run, getRequest } = await import("#tests/route-utils.ts");
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2029-02-15T12:00:00Z"));
      const author = await createSignedInUser({ role: "author" });
      const page = await run<Awaited<ReturnType<typeof loader>>>(loader, getRequest("/author", author.cookie));
      expect(page.status).toBe(200);
      const course = page.data!.courses.find((c) => c.id === "fixture-course")!;
      expect(page.data!.today).toBe("2029-02-15");
      expect(course.review.filter((i) => i.state !== "scheduled").map((i) => [i.label, i.date, i.daysLeft, i.recheck])).toEqual([
        ["Welcome to the fixture", "2029-03-31", 44, "The fixture rule this lesson rests on: re-check it in the fixture source."],
        ["The second lesson", "2029-03-31", 44, null],
        ["Case work", "2029-03-31", 44, null],
      ]);
      vi.setSystemTime(new Date("2029-04-01T12:00:00Z"));
      const again = await createSignedInUser({ role: "author" }); // a session of that day
      const later = await run<Awaited<ReturnType<typeof loader>>>(loader, getRequest("/author", again.cookie));
      expect(later.data!.courses.find((c) => c.id === "fixture-course")!.review.filter((i) => i.state === "overdue")).toHaveLength(3);
      const learner = await createSignedInUser({ role: "learner" });
      expect((await run(loader, getRequest("/author", learner.cookie))).status).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });
});
