/**
 * HTTP throughput of a lesson page for a signed-in learner (production build,
 * real course), next to two references measured in the same run: a trivial
 * page of the same app (the framework's floor) and a bare node:http server
 * sending the lesson's HTML bytes. Every target is warmed up first (JIT, kept
 * lesson bodies); then the three take turns in ten short rounds, and each figure is
 * the median over the rounds (each ratio the median of the rounds' ratios), as
 * this shared machine's speed drifts from second to second. Then a CPU profile
 * of the lesson page under load says where its time goes. Also the lesson
 * page's JavaScript, gzipped.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { startServer } from "./server.ts";

const PORT = 3400;
const BASE = `http://localhost:${PORT}`;
const LESSON = "/courses/kap-foundations/pharmacology/routes-and-bioavailability";
const TRIVIAL = "/verify";

type Round = { path: string; connections: number; round: number; rps: number; p50: number; p99: number; errors: number };

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function load(url: string, connections: number, cookie: string | null, seconds: number) {
  return autocannon({ url, connections, duration: seconds, headers: cookie ? { cookie } : {} });
}

async function signIn(): Promise<string> {
  const login = await fetch(`${BASE}/login`, {
    method: "POST",
    headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "learner@kap-academy.test", password: "Gentle-River-58" }),
    redirect: "manual",
  });
  return login.headers.get("set-cookie")!.split(";")[0]!;
}

/**
 * `workers` is WEB_CONCURRENCY: 1 is what `npm start` runs; 2 is one per core of
 * this machine (the load generator shares those cores).
 */
export async function benchHttp(workers = 1, seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 2), rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 10)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-http-"));
  const env = { CONTENT_DIR: "content", SEED_DEMO: "true" };
  const server = await startServer(dir, PORT, { ...env, WEB_CONCURRENCY: String(workers) });
  let bare: http.Server | null = null;
  try {
    const cookie = await signIn();
    const html = await (await fetch(`${BASE}${LESSON}`, { headers: { cookie } })).text();

    // The page's JavaScript: module scripts and preloads, plus the lesson's own script.
    // (The lesson's script URL has a query string, written with &amp; in HTML.)
    const scripts = new Set([...html.matchAll(/(?:src|href)="(\/(?:assets|lesson-code)\/[^"?]+\.js(?:\?[^"]*)?)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")));
    let jsGzipBytes = 0;
    for (const s of scripts) {
      const res = await fetch(`${BASE}${s}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${s} answered ${res.status}: the page's JavaScript cannot be measured.`);
      jsGzipBytes += gzipSync(Buffer.from(await res.arrayBuffer())).length;
    }

    bare = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(html);
    });
    await new Promise<void>((resolve) => bare!.listen(PORT + 1, resolve));

    const targets = [
      { label: "lesson page (signed in)", url: `${BASE}${LESSON}`, cookie },
      { label: "trivial page (same app)", url: `${BASE}${TRIVIAL}`, cookie },
      { label: "bare node:http, same bytes", url: `http://localhost:${PORT + 1}/`, cookie: null },
    ];
    // Each worker warms up separately.
    for (const t of targets) await load(t.url, 10, t.cookie, 3 * workers);

    const measured: Round[] = [];
    for (const c of [10, 50]) {
      for (let round = 1; round <= rounds; round++) {
        // Lesson and trivial page swap places every round, so neither always follows the other.
        const order = round % 2 ? targets : [targets[1]!, targets[0]!, targets[2]!];
        for (const t of order) {
          const r = await load(t.url, c, t.cookie, seconds);
          measured.push({ path: t.label, connections: c, round, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
        }
      }
    }
    const of = (label: string, c: number) => measured.filter((r) => r.path === label && r.connections === c);
    const results = [10, 50].flatMap((c) =>
      targets.map((t) => {
        const rs = of(t.label, c);
        return {
          path: t.label,
          connections: c,
          rounds: rs.length,
          "rps (median)": Math.round(median(rs.map((r) => r.rps))),
          "rps (range)": `${Math.round(Math.min(...rs.map((r) => r.rps)))}-${Math.round(Math.max(...rs.map((r) => r.rps)))}`,
          "p50 ms": median(rs.map((r) => r.p50)),
          "p99 ms": median(rs.map((r) => r.p99)),
          errors: rs.reduce((a, r) => a + r.errors, 0),
        };
      }),
    );
    // Each round's ratio compares targets measured seconds apart; the median of those resists drift.
    const ratio = (label: string, c: number) => {
      const lesson = of(targets[0]!.label, c);
      const other = of(label, c);
      return Math.round(median(lesson.map((r, i) => r.rps / other[i]!.rps)) * 100) / 100;
    };
    const ratios = [10, 50].map((c) => ({ connections: c, lessonVsTrivial: ratio(targets[1]!.label, c), lessonVsBare: ratio(targets[2]!.label, c) }));
    await server.stop();
    const profile = workers === 1 ? await profileLesson(dir, env) : [];
    return { workers, seconds, results, rounds: measured, ratios, jsGzipKb: Math.round(jsGzipBytes / 102.4) / 10, scripts: scripts.size, htmlKb: Math.round(html.length / 102.4) / 10, profile };
  } finally {
    bare?.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- where the lesson page's time goes -------------------------------------

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Groups CPU samples (self time) by what the code belongs to. */
function categorise(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(idle)") return "idle";
  if (/node_modules\/react-dom|node_modules\/react\//.test(url)) return "React server rendering";
  if (/node_modules\/(@remix-run|react-router|turbo-stream)/.test(url)) return "Remix and React Router (routing, data, scripts)";
  if (/node_modules\/(drizzle-orm|better-sqlite3)/.test(url)) return "database (drizzle, better-sqlite3)";
  if (/node_modules\/(express|send|serve-static|body-parser|router|finalhandler)/.test(url)) return "Express";
  if (/\/(app|scripts)\/|build\/server/.test(url)) return "our code (loaders, components, session)";
  if (url.startsWith("node:") || url === "") return "Node (HTTP, streams, Web APIs, native)";
  return "other libraries";
}

async function profileLesson(dir: string, env: Record<string, string>) {
  const profileDir = path.join(dir, "profile");
  const startedAt = performance.now();
  const server = await startServer(dir, PORT, env, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
  let loadStart = startedAt;
  try {
    const cookie = await signIn();
    await load(`${BASE}${LESSON}`, 10, cookie, 3);
    loadStart = performance.now();
    await load(`${BASE}${LESSON}`, 10, cookie, 5);
  } finally {
    await server.stop();
  }
  // Written when the server exits: the main thread's profile is the largest file.
  const file = fs.readdirSync(profileDir).map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  // Only the samples taken under load: start-up (loading modules, compiling) is not a page's cost.
  const loadStarted = loadStart - startedAt;
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < loadStarted * 1000) return;
    const frame = byId.get(id)!.callFrame;
    const category = categorise(frame.url, frame.functionName);
    totals.set(category, (totals.get(category) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  totals.delete("idle");
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([category, us]) => ({ category, "share of CPU %": Math.round((us / busy) * 1000) / 10 }));
}
