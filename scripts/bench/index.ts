/** `npm run bench`: every benchmark; prints tables and writes bench/results.json. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { benchContent } from "./content.ts";
import { benchExport } from "./export.ts";
import { benchHttp } from "./http.ts";
import { benchMixed } from "./mixed.ts";
import { benchPdf } from "./pdf.ts";
import { benchQuiz } from "./quiz.ts";
import { benchQuizHttp } from "./quiz-http.ts";

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Benchmarks on ${machine}\n`);

// The servers below run the production build: build it from the code as it is now.
// (NODE_ENV is set explicitly: the in-process benchmarks' modules set it to "test" on import.)
execFileSync("npm", ["run", "build", "--silent"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });

const content = await benchContent();
console.log("Content build");
console.table([{ measure: "whole course build (cold)", "median ms": content.wholeCourseBuildMs }, { measure: "one-lesson rebuild (warm)", "median ms": content.oneLessonRebuildMs }]);

const quiz = await benchQuiz();
console.log("Graded quiz submissions (in process, real SQLite file)");
console.table([quiz]);
const quizHttp = await benchQuizHttp();
console.log(`Graded quiz submissions over HTTP (production server, ${quizHttp.connections} at a time; then 200 repeated)`);
console.table([quizHttp]);

const pdf = await benchPdf();
console.log("Certificate PDF generation");
console.table([pdf]);

const exported = await benchExport();
console.log(`Completion export (${exported.rows.toLocaleString()} rows, CSV): app vs raw better-sqlite3 scan-to-CSV`);
console.table([
  { path: "app export (streamed CSV)", "rows/s": exported.app.rowsPerSecond, seconds: exported.app.seconds, "peak RSS MB": exported.app.peakRssMb },
  { path: "raw better-sqlite3 baseline", "rows/s": exported.baseline.rowsPerSecond, seconds: exported.baseline.seconds, "peak RSS MB": exported.baseline.peakRssMb },
]);
console.log(`ratio app/baseline: ${exported.ratio}`);

const web = await benchHttp(1);
const webWorkers = await benchHttp(2);
for (const w of [web, webWorkers]) {
  console.log(`Lesson page under load, WEB_CONCURRENCY=${w.workers} (production build; lesson HTML ${w.htmlKb} KB; page JavaScript ${w.jsGzipKb} KB gzipped in ${w.scripts} files)`);
  console.table(w.results);
  console.table(w.ratios);
}
console.log("Where the lesson page's CPU time goes (self time, one process under load)");
console.table(web.profile);

const mixed = await benchMixed(1);
const mixedWorkers = await benchMixed(2);
for (const m of [mixed, mixedWorkers]) {
  console.log(`Mixed workload of active learners, WEB_CONCURRENCY=${m.workers} (heartbeat every 30 s, page view every 3 min, quiz every 30 min)`);
  console.table(m.results.map(({ failures, slowLog: _lines, ...row }) => ({ ...row, failures: Object.entries(failures).map(([what, n]) => `${n} × ${what}`).join("; ") })));
  for (const r of m.results) for (const line of r.slowLog) console.log(`  ${r.learners} learners: ${line}`);
  console.log(`largest number of learners served with p99 < 100 ms and no errors: ${m.largestServed}`);
}

fs.mkdirSync("bench", { recursive: true });
fs.writeFileSync("bench/results.json", JSON.stringify({ machine, at: new Date().toISOString(), content, quiz, quizHttp, pdf, export: exported, http: web, httpWorkers: webWorkers, mixed, mixedWorkers }, null, 2));
console.log("written to bench/results.json");
