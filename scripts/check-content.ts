/**
 * `npm run content:check [folder] [--items] [--today YYYY-MM-DD]`: validates every
 * course file and prints each problem as `path:line:col: message`. Exits 1 when
 * there is any error. `--items` also prints, per quiz bank, what the item-writing
 * rules count. `--today` judges review dates as of another day (e.g. the planned
 * release date).
 */
import path from "node:path";
import { getEnv } from "#app/env.server.ts";
import { bankStats, MAX_SHARE, MIN_ITEMS_PER_OBJECTIVE } from "#app/content/item-rules.server.ts";
import { loadCatalog, type Catalog, type CourseEntry } from "#app/content/load.server.ts";
import { formatProblem } from "#app/content/problems.ts";
import { isoToday, REVIEW_WARNING_DAYS, reviewSchedule } from "#app/content/review.ts";

const args = process.argv.slice(2);
const items = args.includes("--items");
const todayAt = args.indexOf("--today");
const today = todayAt >= 0 ? args[todayAt + 1] : undefined;
if (todayAt >= 0 && !/^\d{4}-\d{2}-\d{2}$/.test(today ?? "")) {
  console.error("--today needs a date written as YYYY-MM-DD");
  process.exit(2);
}
const folder = args.find((a, i) => !a.startsWith("--") && !(todayAt >= 0 && i === todayAt + 1));
const dir = path.resolve(folder ?? getEnv().CONTENT_DIR);
const catalog = await loadCatalog(dir, new Map(), { today });
for (const p of catalog.problems) console.log(formatProblem(p));
const errors = catalog.problems.filter((p) => p.severity === "error").length;
const warnings = catalog.problems.length - errors;
for (const c of catalog.courses) {
  const lessons = c.modules.reduce((n, m) => n + m.lessons.length, 0);
  const words = c.modules.reduce((n, m) => n + m.lessons.reduce((w, l) => w + l.wordCount, 0), 0);
  console.log(
    `${c.id}: ${c.modules.length} modules, ${lessons} lessons, ${words} words; ${c.estimate.totalMinutes} min supports ${c.estimate.supportedHours} CE hours (declared ${c.ceHours})`,
  );
}
if (items) for (const c of catalog.courses) printItems(catalog, c);
for (const c of catalog.courses) printDue(c);
console.log(`content check: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
process.exit(errors ? 1 : 0);

/** What falls due for review within REVIEW_WARNING_DAYS, soonest first (the problems above say it per file). */
function printDue(course: CourseEntry): void {
  const due = reviewSchedule(course, `${course.dir}/course.yaml`, today ?? isoToday()).filter((i) => i.state !== "scheduled");
  if (!due.length) return;
  console.log(`${course.id}: ${due.length} item${due.length === 1 ? "" : "s"} due for review within ${REVIEW_WARNING_DAYS} days or overdue:`);
  for (const i of due) console.log(`  ${i.date}  ${i.state === "overdue" ? "OVERDUE " : ""}${i.label} (${i.file})${i.recheck ? `: ${i.recheck}` : ""}`);
}

/** The item-writing rules' counts for each of a course's banks, then its items per objective. */
function printItems(catalog: Catalog, course: CourseEntry): void {
  const pct = (n: number, of: number) => (of ? `${Math.round((n / of) * 100)}%` : "-");
  const banks = Object.values(catalog.quizzes).filter((q) => q.courseId === course.id);
  const perObjective = new Map(course.objectives.map((o) => [o.id, 0]));
  console.log(`\n${course.id}: items (a share above ${pct(MAX_SHARE, 1)} is an error; waived items are not counted)`);
  for (const bank of banks) {
    const s = bankStats({ file: bank.file, quiz: bank });
    const top = Math.max(0, ...s.keyPositions.map((p) => p.ids.length));
    console.log(`  ${s.file}`);
    console.log(`    bank ${s.size}, draw ${s.draw}: ${s.size >= 2 * s.draw ? "ok" : `needs ${2 * s.draw} (twice the draw)`}`);
    console.log(`    key positions: ${s.keyPositions.map((p) => `option ${p.position + 1}: ${p.ids.length}`).join(", ") || "-"} (most: ${pct(top, s.keyPositionItems)} of ${s.keyPositionItems} single-choice)`);
    console.log(`    keyed option the single longest: ${s.longestKeyed.length} of ${s.longestKeyItems} single-choice (${pct(s.longestKeyed.length, s.longestKeyItems)})`);
    console.log(`    true/false keys: ${s.trueFalse.true.length} true, ${s.trueFalse.false.length} false`);
    console.log(`    multi-select correct options: ${s.multipleKeyCounts.map((m) => `${m.correct}: ${m.ids.length} item${m.ids.length === 1 ? "" : "s"}`).join(", ") || "-"}`);
    console.log(`    items per objective: ${s.perObjective.map((o) => `${o.objective} ${o.ids.length}`).join(", ")}`);
    for (const o of s.perObjective) perObjective.set(o.objective, (perObjective.get(o.objective) ?? 0) + o.ids.length);
  }
  const short = [...perObjective].filter(([, n]) => n < MIN_ITEMS_PER_OBJECTIVE).length;
  const uncounted = course.modules.filter((m) => !m.quiz).map((m) => m.dir);
  console.log(`  course items per objective (at least ${MIN_ITEMS_PER_OBJECTIVE} each): ${[...perObjective].map(([id, n]) => `${id} ${n}`).join(", ")}${short ? `; ${short} short` : ""}`);
  // A module without a quiz of its own is tested by a later post-test (or its quiz.yaml is invalid: see the errors above).
  if (uncounted.length) console.log(`  modules without a quiz of their own: ${uncounted.join(", ")}`);
}
