#!/usr/bin/env node
/**
 * `npm test`: every check and test runner in order, then one closing line
 * `N passed, M failed` that totals them all. Typecheck, lint and build count
 * as one check each; vitest and Playwright count their tests.
 * Every stage runs even when an earlier one failed (except end-to-end tests,
 * which need a build), so one run shows everything that is wrong. The summary
 * names each failed test with its first error lines, so the tail of a CI log
 * alone says what broke.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

const resultsDir = path.resolve("test-results");
fs.mkdirSync(resultsDir, { recursive: true });
const vitestJson = path.join(resultsDir, "vitest.json");
const playwrightJson = path.join(resultsDir, "playwright.json");
for (const f of [vitestJson, playwrightJson]) fs.rmSync(f, { force: true });

let passed = 0;
let failed = 0;
const lines = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function check(label, command, args) {
  const { ok, seconds } = run(label, command, args);
  if (ok) passed += 1;
  else failed += 1;
  lines.push(`${ok ? "ok  " : "FAIL"} ${label} (${seconds}s)`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const bin = (name) => path.resolve("node_modules/.bin", name);

/** The first lines of an error, without colour codes: enough to name the cause in the summary. */
function firstLines(message, count = 4) {
  return stripVTControlCharacters(String(message ?? ""))
    .split("\n")
    .map((l) => l.trimEnd())
    // Stack frames only from this project's own files.
    .filter((l) => l.trim() !== "" && (!/^\s*at /.test(l) || (l.includes(process.cwd()) && !l.includes("node_modules"))))
    .slice(0, count)
    .map((l) => `      ${l.slice(0, 300)}`);
}

/** Each failed vitest test (or file that failed to run), named with its first error lines. */
function vitestFailures(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const name = path.relative(process.cwd(), file.name);
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests) out.push(`  - ${name}: ${t.fullName}`, ...firstLines(t.failureMessages?.[0]));
    if (failedTests.length === 0 && file.status === "failed") out.push(`  - ${name}`, ...firstLines(file.message));
  }
  return out;
}

/** Each failed or flaky Playwright test, named by file:line with its first error lines. */
function playwrightFailures(report) {
  const out = [];
  const root = report.config?.rootDir ?? process.cwd();
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      if (spec.ok) continue;
      const error = spec.tests?.flatMap((t) => t.results ?? []).find((r) => r.error)?.error;
      out.push(`  - ${path.relative(process.cwd(), path.join(root, spec.file))}:${spec.line} ${spec.title}`, ...firstLines(error?.message));
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  for (const error of report.errors ?? []) out.push("  - outside the tests", ...firstLines(error.message));
  return out;
}

// Route types (./+types/<route>) are generated from app/routes.ts before the check.
check("typecheck", "sh", ["-c", `"${bin("react-router")}" typegen && "${bin("tsc")}"`]);
check("lint", bin("eslint"), ["--max-warnings", "0", "."]);
if (fs.existsSync("scripts/check-content.ts")) check("content check", process.execPath, ["--import", "tsx", "scripts/check-content.ts"]);

{
  const { ok, seconds } = run("unit and integration tests", bin("vitest"), ["run"], { VITEST_JSON: vitestJson });
  const report = readJson(vitestJson);
  if (report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    lines.push(`${ok ? "ok  " : "FAIL"} vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed (${seconds}s)`);
    lines.push(...vitestFailures(report));
  } else {
    failed += 1;
    lines.push(`FAIL vitest did not report (${seconds}s)`);
  }
  if (!ok && report && report.numFailedTests === 0) {
    failed += 1;
    lines.push("FAIL vitest exited with an error outside the tests");
  }
}

const built = check("production build", bin("react-router"), ["build"]);
if (built) {
  const { ok, seconds } = run("end-to-end tests", bin("playwright"), ["test"], { PLAYWRIGHT_JSON: playwrightJson });
  const report = readJson(playwrightJson);
  if (report?.stats) {
    const s = report.stats;
    const bad = s.unexpected + (s.flaky ?? 0);
    passed += s.expected;
    failed += bad;
    lines.push(`${ok ? "ok  " : "FAIL"} playwright: ${s.expected} passed, ${bad} failed, ${s.skipped} skipped (${seconds}s)`);
    lines.push(...playwrightFailures(report));
    if (!ok && bad === 0) {
      failed += 1;
      lines.push("FAIL playwright exited with an error outside the tests");
    }
  } else {
    failed += 1;
    lines.push(`FAIL playwright did not report (${seconds}s)`);
  }
} else {
  failed += 1;
  lines.push("FAIL end-to-end tests not run: the build failed");
}

console.log("\n=== summary");
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
