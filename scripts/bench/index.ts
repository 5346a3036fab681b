/**
 * `npm run bench`: every benchmark; prints tables, then a summary of the
 * project's goals (measured, met or not), and writes bench/results.json. It
 * reports; it never fails the build.
 *
 * Shorter runs while developing (the lead runs the full bench):
 *   BENCH_ONLY=http,mixed,lighthouse   only these (content, quiz, quiz-http, pdf, export, http, mixed, lighthouse)
 *   BENCH_WORKERS=1                    the HTTP and mixed benchmarks with one process only (default 1,2)
 *   BENCH_BUILD=false                  use the production build as it is
 *   BENCH_HTTP_ROUNDS, BENCH_HTTP_SECONDS, BENCH_MIXED_LEVELS, BENCH_MIXED_SECONDS,
 *   BENCH_LIGHTHOUSE_RUNS, BENCH_EXPORT_ROWS, BENCH_SUBMISSIONS, BENCH_PDFS, BENCH_RUNS
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Benchmarks on ${machine}\n`);

const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((s) => s.trim())) : null;
const runs = (name: string) => !only || only.has(name);
const workerCounts = (process.env.BENCH_WORKERS ?? "1,2").split(",").map(Number);

// The servers below run the production build: build it from the code as it is now.
// (NODE_ENV is set explicitly: the in-process benchmarks' modules set it to "test" on import.)
if (process.env.BENCH_BUILD !== "false") {
  execFileSync("npm", ["run", "build", "--silent"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
}

const results: Record<string, unknown> = { machine, at: new Date().toISOString() };

const content = runs("content") ? await (await import("./content.ts")).benchContent() : null;
if (content) {
  results.content = content;
  console.log("Content build");
  console.table([{ measure: "whole course build (cold)", "median ms": content.wholeCourseBuildMs }, { measure: "one-lesson rebuild (warm)", "median ms": content.oneLessonRebuildMs }]);
}

if (runs("quiz")) {
  const quiz = await (await import("./quiz.ts")).benchQuiz();
  results.quiz = quiz;
  console.log("Graded quiz submissions (in process, real SQLite file)");
  console.table([quiz]);
}
if (runs("quiz-http")) {
  const quizHttp = await (await import("./quiz-http.ts")).benchQuizHttp();
  results.quizHttp = quizHttp;
  console.log(`Graded quiz submissions over HTTP (production server, ${quizHttp.connections} at a time; then 200 repeated)`);
  console.table([quizHttp]);
}

if (runs("pdf")) {
  const pdf = await (await import("./pdf.ts")).benchPdf();
  results.pdf = pdf;
  console.log("Certificate PDF generation");
  console.table([pdf]);
}

const exported = runs("export") ? await (await import("./export.ts")).benchExport() : null;
if (exported) {
  results.export = exported;
  console.log(`Completion export (${exported.rows.toLocaleString()} rows, CSV): app vs raw better-sqlite3 scan-to-CSV`);
  console.table([
    { path: "app export (streamed CSV)", "rows/s": exported.app.rowsPerSecond, seconds: exported.app.seconds, "peak RSS MB": exported.app.peakRssMb },
    { path: "raw better-sqlite3 baseline", "rows/s": exported.baseline.rowsPerSecond, seconds: exported.baseline.seconds, "peak RSS MB": exported.baseline.peakRssMb },
  ]);
  console.log(`ratio app/baseline: ${exported.ratio}`);
}

const { benchHttp } = await import("./http.ts");
type Http = Awaited<ReturnType<typeof benchHttp>>;
const web: Http[] = [];
if (runs("http")) {
  for (const w of workerCounts) web.push(await benchHttp(w));
  for (const w of web) {
    console.log(`\nLesson page under load, WEB_CONCURRENCY=${w.workers} (production build; Accept-Encoding: ${w.acceptEncoding || "none"}; lesson HTML ${w.htmlKb} KB)`);
    console.table(w.results);
    console.log(`lesson/trivial requests per second, 10 connections (median of rounds): ${w.lessonVsTrivial}`);
  }
  const js = web[0]!.js;
  console.log(`\nLesson page JavaScript: ${js.gzipKb} KB gzipped in ${js.files.length} files (inline scripts ${js.inlineGzipKb} KB more)${js.dynamicImports.length ? `; loaded on demand, not counted: ${js.dynamicImports.join(", ")}` : ""}`);
  for (const f of js.files) console.log(`  ${f}`);
  const profiled = web.find((w) => w.profile.length);
  if (profiled) {
    console.log("\nWhere the lesson page's CPU time goes (self time, one process under load)");
    console.table(profiled.profile);
  }
  for (const w of web) results[w.workers === 1 ? "http" : w.workers === 2 ? "httpWorkers" : `httpWorkers${w.workers}`] = w;
}

const { benchMixed } = await import("./mixed.ts");
type Mixed = Awaited<ReturnType<typeof benchMixed>>;
const mixed: Mixed[] = [];
if (runs("mixed")) {
  for (const w of workerCounts) {
    const m = await benchMixed(w);
    mixed.push(m);
    console.log(`\nMixed workload of active learners on the demo course, WEB_CONCURRENCY=${m.workers} (${m.seconds} s a step; per learner: heartbeat every 30 s, a page every 3 min, a quiz every 30 min)`);
    console.table(m.results.map(({ failures, failureExamples: _examples, slowLog: _lines, byKind: _kinds, events: _events, cohort, ...row }) => ({ ...row, "learners by module": cohort.byModule, "at a quiz": cohort.atQuiz, failures: Object.entries(failures).map(([what, n]) => `${n} × ${what}`).join("; ") })));
    const last = m.results.at(-1);
    if (last) {
      console.log(`By request, at ${last.learners} learners:`);
      console.table(Object.entries(last.byKind).map(([kind, k]) => ({ kind, ...k })));
    }
    for (const r of m.results) for (const line of [...r.failureExamples, ...r.slowLog]) console.log(`  ${r.learners} learners: ${line}`);
    console.log(`largest number of learners served with p99 < 100 ms and no errors: ${m.largestServed} (quiz attempts ${m.quizAttempts}, pass rate ${m.quizPassRate})`);
  }
  for (const m of mixed) results[m.workers === 1 ? "mixed" : m.workers === 2 ? "mixedWorkers" : `mixedWorkers${m.workers}`] = m;
}

const lighthouse = runs("lighthouse") ? await (await import("./lighthouse.ts")).benchLighthouse() : null;
if (lighthouse) {
  results.lighthouse = lighthouse;
  console.log(`\nLighthouse (${lighthouse.formFactor}, ${lighthouse.throttling}; median of ${lighthouse.runs} runs by performance; signed in as the demo learner)`);
  console.table(lighthouse.pages.map(({ accessibilityFailures, performanceFlags: _flags, warnings: _warnings, path: _path, ...row }) => ({ ...row, "accessibility failures": accessibilityFailures.join(", ") })));
  for (const p of lighthouse.pages) {
    if (p.performanceFlags.length) console.log(`  ${p.page}: performance audits under 0.9: ${p.performanceFlags.join("; ")}`);
    for (const w of p.warnings) console.log(`  ${p.page}: ${w}`);
  }
}

// ---- the project's goals -----------------------------------------------------

type Goal = { goal: string; measured: string; target: string; met: "yes" | "NO" | "-" };
const summary: Goal[] = [];
const goal = (name: string, measured: string, target: string, met: boolean | null) => summary.push({ goal: name, measured, target, met: met === null ? "-" : met ? "yes" : "NO" });

for (const w of web) {
  const errors = w.errors ? `, ${w.errors} errors` : "";
  if (w.workers === 1) goal("lesson page p99, signed in, 10 connections, 1 process", `${w.lessonP99Ms} ms${errors}`, "< 50 ms", w.lessonP99Ms < 50 && !w.errors);
  else goal(`lesson page p99, 10 connections, ${w.workers} workers`, `${w.lessonP99Ms} ms${errors}`, "(reported)", null);
  if (w.workers === 1 && w.uncompressedP99Ms !== null) goal("lesson page p99 uncompressed, 10 connections, 1 process", `${w.uncompressedP99Ms} ms`, "(reported)", null);
  if (w.workers === 1) goal("lesson / trivial page throughput, 10 connections", String(w.lessonVsTrivial), "(reported)", null);
}
if (web[0]) goal("lesson page JavaScript, gzipped", `${web[0].jsGzipKb} KB in ${web[0].scripts} files`, "< 120 KB", web[0].jsGzipKb < 120);
for (const m of mixed) {
  const stop = m.results.find((r) => r.errors || r.p99Ms >= 100);
  const why = stop ? ` (${stop.learners} failed: p99 ${stop.p99Ms} ms, ${stop.errors} errors)` : " (top of the ladder)";
  if (m.workers === 1) goal("active learners served, 1 process (p99 < 100 ms, no errors)", `${m.largestServed.toLocaleString("en-US")}${why}`, ">= 10,000", m.largestServed >= 10_000);
  else goal(`active learners served, ${m.workers} workers`, `${m.largestServed.toLocaleString("en-US")}${why}`, "(reported)", null);
}
if (exported) goal("CSV export, app / raw baseline", String(exported.ratio), ">= 0.8", exported.ratio >= 0.8);
for (const p of lighthouse?.pages ?? []) {
  const metrics = `FCP ${p.fcpMs} ms, LCP ${p.lcpMs} ms, TBT ${p.tbtMs} ms, CLS ${p.cls}`;
  goal(`Lighthouse ${p.page}: performance`, `${p.performance} (${metrics}; host index ${p.benchmarkIndex})`, ">= 95", p.performance !== null && p.performance >= 95);
  goal(`Lighthouse ${p.page}: accessibility`, `${p.accessibility}${p.accessibilityFailures.length ? ` (failing: ${p.accessibilityFailures.join(", ")})` : ""}`, "100", p.accessibility === 100);
}
results.summary = summary;

fs.mkdirSync("bench", { recursive: true });
fs.writeFileSync("bench/results.json", JSON.stringify(results, null, 2));
console.log("\nGoals");
console.table(summary);
console.log("written to bench/results.json");
