/**
 * Lighthouse (lighthouse 12 from node_modules, its CLI) on a production server,
 * signed in as the demo learner: the lesson page, a module quiz with an attempt
 * open (the page a learner answers on) and the dashboard. Mobile form factor with
 * Lighthouse's default simulated throttling, in headless Chromium. Each page runs
 * BENCH_LIGHTHOUSE_RUNS times (default 3); its figures come from the run with the
 * median performance score, as Lighthouse advises, and an accessibility audit
 * counts as failing when it failed in any run.
 *
 *   tsx scripts/bench/lighthouse.ts     just this, against the current build
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_LESSON, signInDemoLearner, startServer } from "./server.ts";

const PORT = 3430;
const BASE = `http://localhost:${PORT}`;
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run";
const COURSE = "/courses/kap-foundations";
const QUIZ_MODULE = "kap-in-context";

type Audit = { id: string; title: string; score: number | null; scoreDisplayMode: string; numericValue?: number; displayValue?: string; details?: { items?: Array<Record<string, unknown>> } };
type Lhr = {
  requestedUrl: string;
  finalDisplayedUrl: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  environment: { benchmarkIndex: number };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, Audit>;
};

function runLighthouse(url: string, cookie: string, out: string): Promise<Lhr> {
  const cli = createRequire(import.meta.url).resolve("lighthouse/cli/index.js");
  const args = [
    cli,
    url,
    "--output=json",
    `--output-path=${out}`,
    "--quiet",
    "--only-categories=performance,accessibility",
    "--form-factor=mobile",
    `--chrome-flags=${CHROME_FLAGS}`,
    `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, CHROME_PATH: CHROME }, timeout: 180_000, maxBuffer: 16 << 20 }, (error, _stdout, stderr) => {
      if (error && !fs.existsSync(out)) return reject(new Error(`Lighthouse failed on ${url}: ${error.message}\n${stderr.slice(-2000)}`));
      const lhr = JSON.parse(fs.readFileSync(out, "utf8")) as Lhr;
      fs.rmSync(out, { force: true });
      resolve(lhr);
    });
  });
}

const ms = (a: Audit | undefined) => (a?.numericValue === undefined ? null : Math.round(a.numericValue));
const score = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(s * 100));

/** Accessibility audits that count and did not pass (manual and not-applicable ones do not count). */
function accessibilityFailures(lhr: Lhr): string[] {
  return (lhr.categories.accessibility?.auditRefs ?? [])
    .map((ref) => lhr.audits[ref.id])
    .filter((a): a is Audit => Boolean(a && a.score !== null && a.score < 1 && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric")))
    .map((a) => a.id);
}

/** Performance audits that scored under 0.9 (opportunities and diagnostics), with what they say. */
function performanceFlags(lhr: Lhr): string[] {
  return Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && (a.scoreDisplayMode === "numeric" || a.scoreDisplayMode === "metricSavings" || a.scoreDisplayMode === "binary"))
    .filter((a) => !(lhr.categories.accessibility?.auditRefs ?? []).some((r) => r.id === a.id))
    .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}`);
}

function summarise(label: string, pathname: string, runs: Lhr[]) {
  const sorted = [...runs].sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const bytes = (type: string) => {
    const item = median.audits["resource-summary"]?.details?.items?.find((i) => i.resourceType === type);
    return item ? Math.round(Number(item.transferSize) / 102.4) / 10 : null;
  };
  return {
    page: label,
    path: pathname,
    runs: runs.length,
    performance: score(median.categories.performance?.score),
    "performance (all runs)": sorted.map((r) => score(r.categories.performance?.score)).join("/"),
    accessibility: Math.min(...runs.map((r) => score(r.categories.accessibility?.score) ?? 0)),
    fcpMs: ms(median.audits["first-contentful-paint"]),
    lcpMs: ms(median.audits["largest-contentful-paint"]),
    tbtMs: ms(median.audits["total-blocking-time"]),
    cls: median.audits["cumulative-layout-shift"]?.numericValue === undefined ? null : Math.round(median.audits["cumulative-layout-shift"].numericValue * 1000) / 1000,
    speedIndexMs: ms(median.audits["speed-index"]),
    "script KB transferred": bytes("script"),
    "total KB transferred": bytes("total"),
    accessibilityFailures: [...new Set(runs.flatMap(accessibilityFailures))],
    performanceFlags: performanceFlags(median),
    benchmarkIndex: Math.round(median.environment.benchmarkIndex),
    warnings: [...new Set(runs.flatMap((r) => r.runWarnings))],
  };
}

export async function benchLighthouse(runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-lighthouse-"));
  const server = await startServer(dir, PORT, { CONTENT_DIR: "content", SEED_DEMO: "true" });
  try {
    const cookie = await signInDemoLearner(BASE);
    const post = async (pathname: string, form: Record<string, string>) => {
      const res = await fetch(`${BASE}${pathname}`, { method: "POST", redirect: "manual", headers: { Origin: BASE, cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
      if (res.status >= 400) throw new Error(`POST ${pathname} answered ${res.status}: ${await res.text()}`);
    };
    // The quiz as a learner answers it: the module's lessons done (as "Mark complete" posts), an attempt started.
    const modulePage = await (await fetch(`${BASE}${COURSE}/${QUIZ_MODULE}`, { headers: { cookie } })).text();
    const lessons = [...new Set([...modulePage.matchAll(new RegExp(`href="${COURSE}/${QUIZ_MODULE}/([a-z0-9-]+)"`, "g"))].map((m) => m[1]!))].filter((s) => s !== "quiz");
    if (!lessons.length) throw new Error(`No lessons found on ${COURSE}/${QUIZ_MODULE}.`);
    for (const lessonSlug of lessons) await post("/progress", { intent: "complete", courseId: "kap-foundations", moduleSlug: QUIZ_MODULE, lessonSlug });
    await post(`${COURSE}/${QUIZ_MODULE}/quiz?index`, { intent: "start" });
    const quiz = await (await fetch(`${BASE}${COURSE}/${QUIZ_MODULE}/quiz`, { headers: { cookie } })).text();
    if (!quiz.includes('name="attemptId"')) throw new Error("The quiz page shows no open attempt after starting one.");

    const pages = [
      { label: "lesson", path: DEMO_LESSON },
      { label: "module quiz (attempt open)", path: `${COURSE}/${QUIZ_MODULE}/quiz` },
      { label: "dashboard", path: "/dashboard" },
    ];
    const results = [];
    for (const page of pages) {
      const lhrs: Lhr[] = [];
      for (let i = 0; i < runs; i++) {
        const lhr = await runLighthouse(`${BASE}${page.path}`, cookie, path.join(dir, `lhr-${i}.json`));
        if (lhr.runtimeError) throw new Error(`Lighthouse on ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
        // Signed out, the page would be the sign-in page: then these figures are not the page's.
        if (new URL(lhr.finalDisplayedUrl).pathname !== page.path) throw new Error(`Lighthouse on ${page.path} ended on ${lhr.finalDisplayedUrl}: the session cookie did not work.`);
        lhrs.push(lhr);
      }
      results.push(summarise(page.label, page.path, lhrs));
    }
    return { chrome: CHROME, formFactor: "mobile", throttling: "simulate (Lighthouse default)", runs, pages: results };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchLighthouse();
  console.table(r.pages.map(({ accessibilityFailures, performanceFlags: _flags, warnings: _warnings, ...row }) => ({ ...row, accessibilityFailures: accessibilityFailures.join(", ") })));
  console.log(JSON.stringify(r, null, 2));
}
