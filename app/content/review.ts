/**
 * Review dates: content that rests on a label, a rule in force or a time-limited
 * approval says by when an author must re-check it. The same schedule feeds
 * `content:check` (a warning from REVIEW_WARNING_DAYS before the date, an error
 * after it, so a stale course cannot be built for release) and the author page,
 * which computes it with today's date rather than the build's.
 */

/** How long before a review date the checker starts to warn. */
export const REVIEW_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReviewKind = "lesson" | "approval" | "course";
export type ReviewState = "overdue" | "due-soon" | "scheduled";

export type ReviewItem = {
  kind: ReviewKind;
  /** What is due, e.g. the lesson's title or "APA approval period". */
  label: string;
  file: string;
  /** The review date, YYYY-MM-DD. */
  date: string;
  /** What to re-check, when the author said. */
  recheck: string | null;
  state: ReviewState;
  /** Whole days from today to the date (negative when passed). */
  daysLeft: number;
  /** Where the date is written: a frontmatter key, or a path in course.yaml. */
  at: { lessonKey: "reviewBy" } | { coursePath: Array<string | number> };
};

/** The shape of a course this module needs (CourseEntry satisfies it). */
export type ReviewableCourse = {
  dates: { expires: string };
  approvals: Array<{ body: string; period: string }>;
  file?: string;
  modules: Array<{ lessons: Array<{ title: string; file: string; draft: boolean; reviewBy: string | null; recheck: string | null }> }>;
};

/** "2026-01-01 to 2028-12-31" → its two dates, or null when not written that way. */
export function parsePeriod(period: string): { start: string; end: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})$/.exec(period.trim());
  return m ? { start: m[1]!, end: m[2]! } : null;
}

/** Whole days from `today` to `date` (both YYYY-MM-DD). */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

export function reviewState(date: string, today: string): { state: ReviewState; daysLeft: number } {
  const daysLeft = daysUntil(date, today);
  return { state: daysLeft < 0 ? "overdue" : daysLeft <= REVIEW_WARNING_DAYS ? "due-soon" : "scheduled", daysLeft };
}

/** Every dated item of a course, soonest first: lesson review dates, approval period ends, the course's expiry. */
export function reviewSchedule(course: ReviewableCourse, courseFile: string, today: string): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const m of course.modules) {
    for (const l of m.lessons) {
      if (l.draft || !l.reviewBy) continue;
      items.push({ kind: "lesson", label: l.title, file: l.file, date: l.reviewBy, recheck: l.recheck, ...reviewState(l.reviewBy, today), at: { lessonKey: "reviewBy" } });
    }
  }
  course.approvals.forEach((a, i) => {
    const period = parsePeriod(a.period);
    if (!period) return;
    items.push({ kind: "approval", label: `${a.body} approval period`, file: courseFile, date: period.end, recheck: `Renew the ${a.body} approval or stop offering its credit.`, ...reviewState(period.end, today), at: { coursePath: ["approvals", i, "period"] } });
  });
  items.push({ kind: "course", label: "Course expiry", file: courseFile, date: course.dates.expires, recheck: "Review the whole course and set a new expiry date.", ...reviewState(course.dates.expires, today), at: { coursePath: ["dates", "expires"] } });
  return items.sort((a, b) => a.date.localeCompare(b.date));
}

/** Today's date in UTC as YYYY-MM-DD. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
