/**
 * HTTP throughput and latency of a lesson page for a signed-in learner
 * (production build, real course), with autocannon, next to a trivial page of
 * the same app measured in the same run (the framework's floor). Requests carry
 * a browser's Accept-Encoding, so pages are compressed as a browser gets them;
 * the lesson page asked for uncompressed is measured too, for what compression
 * costs. The targets are warmed up first (JIT); then they take turns in ten short
 * rounds, lesson and trivial page swapping places each round, and each figure is
 * the median over the rounds (the ratio is the median of the rounds' ratios), as
 * this shared machine's speed drifts from second to second. With one process, a CPU profile of the lesson
 * page under load then says where its time goes. Also the lesson page's
 * JavaScript, gzipped: every module the page loads (its scripts, the module
 * scripts they import, statically, in turn) and the lesson's own script.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { ACCEPT_ENCODING, DEMO_LESSON, signInDemoLearner, startServer } from "./server.ts";

const PORT = 3400;
const BASE = `http://localhost:${PORT}`;
const TRIVIAL = "/verify";
const CONNECTIONS = [10, 50];

type Round = { path: string; connections: number; round: number; rps: number; p50: number; p99: number; errors: number };

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function load(url: string, connections: number, cookie: string, seconds: number, acceptEncoding = ACCEPT_ENCODING) {
  return autocannon({ url, connections, duration: seconds, headers: { cookie, "accept-encoding": acceptEncoding || "identity" } });
}

/**
 * The JavaScript a browser loads for `html`: the scripts and module preloads it
 * names, the modules its inline module scripts import, and whatever those import
 * statically (Vite writes `import ... from "./chunk.js"`). Dynamic imports load
 * later, on demand: listed, not counted.
 */
async function pageJavaScript(html: string, cookie: string) {
  const named = [
    ...[...html.matchAll(/(?:src|href)="(\/(?:assets|lesson-code)\/[^"?]+\.js(?:\?[^"]*)?)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].flatMap((m) => [...m[1]!.matchAll(/(?:\bfrom\s*|\bimport\s*)"(\/assets\/[^"]+\.js)"/g)].map((i) => i[1]!)),
  ];
  // The lesson's script URL has a query string, written with &amp; in HTML.
  const queue = [...new Set(named.map((s) => s.replaceAll("&amp;", "&")))];
  const seen = new Set<string>(queue);
  const dynamic = new Set<string>();
  const files: Array<{ file: string; gzipBytes: number }> = [];
  while (queue.length) {
    const file = queue.shift()!;
    const res = await fetch(`${BASE}${file}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`${file} answered ${res.status}: the page's JavaScript cannot be measured.`);
    const body = Buffer.from(await res.arrayBuffer());
    files.push({ file, gzipBytes: gzipSync(body).length });
    if (!file.startsWith("/assets/")) continue;
    const text = body.toString("utf8");
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.\/[^"']+\.js)["']/g)) {
      const next = path.posix.join("/assets", m[1]!);
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
    for (const m of text.matchAll(/\bimport\(\s*["'](\.\/[^"']+\.js)["']\s*\)/g)) dynamic.add(path.posix.join("/assets", m[1]!));
  }
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join("\n");
  return {
    gzipKb: Math.round(files.reduce((a, f) => a + f.gzipBytes, 0) / 102.4) / 10,
    files: files.map((f) => `${f.file.replace(/\?.*/, "")} ${Math.round(f.gzipBytes / 102.4) / 10} KB`),
    inlineGzipKb: Math.round(gzipSync(inline).length / 102.4) / 10,
    dynamicImports: [...dynamic].filter((d) => !seen.has(d)),
  };
}

/**
 * `workers` is WEB_CONCURRENCY: 1 is what `npm start` runs; 2 is one per core of
 * this machine (the load generator shares those cores).
 */
export async function benchHttp(workers = 1, seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 2), rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 10)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-http-"));
  const env = { CONTENT_DIR: "content", SEED_DEMO: "true" };
  const server = await startServer(dir, PORT, { ...env, WEB_CONCURRENCY: String(workers) });
  try {
    const cookie = await signInDemoLearner(BASE);
    const page = await fetch(`${BASE}${DEMO_LESSON}`, { headers: { cookie } });
    const html = await page.text();
    if (page.status !== 200 || !html.includes("lesson-body")) throw new Error(`The lesson page answered ${page.status} without the lesson.`);
    const js = await pageJavaScript(html, cookie);

    const targets = [
      { label: "lesson page (signed in)", url: `${BASE}${DEMO_LESSON}`, encoding: ACCEPT_ENCODING },
      { label: "trivial page (same app)", url: `${BASE}${TRIVIAL}`, encoding: ACCEPT_ENCODING },
      // What compression costs: the same lesson page, asked for uncompressed.
      ...(ACCEPT_ENCODING ? [{ label: "lesson page, uncompressed", url: `${BASE}${DEMO_LESSON}`, encoding: "" }] : []),
    ];
    // Each worker warms up separately.
    for (const t of targets) await load(t.url, 10, cookie, 3 * workers, t.encoding);

    const measured: Round[] = [];
    for (const c of CONNECTIONS) {
      for (let round = 1; round <= rounds; round++) {
        // The two pages swap places every round, so neither always follows the other.
        const order = round % 2 ? targets : [targets[1]!, targets[0]!, ...targets.slice(2)];
        for (const t of order) {
          const r = await load(t.url, c, cookie, seconds, t.encoding);
          measured.push({ path: t.label, connections: c, round, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
        }
      }
    }
    const of = (label: string, c: number) => measured.filter((r) => r.path === label && r.connections === c);
    const results = CONNECTIONS.flatMap((c) =>
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
          "p99 ms (worst round)": Math.max(...rs.map((r) => r.p99)),
          errors: rs.reduce((a, r) => a + r.errors, 0),
        };
      }),
    );
    // Each round's ratio compares pages measured seconds apart; the median of those resists drift.
    const lesson10 = of(targets[0]!.label, 10);
    const trivial10 = of(targets[1]!.label, 10);
    const lessonVsTrivial = Math.round(median(lesson10.map((r, i) => r.rps / trivial10[i]!.rps)) * 100) / 100;
    const lessonP99Ms = results.find((r) => r.path === targets[0]!.label && r.connections === 10)!["p99 ms"];
    const uncompressedP99Ms = results.find((r) => r.path === "lesson page, uncompressed" && r.connections === 10)?.["p99 ms"] ?? null;
    const errors = results.reduce((a, r) => a + r.errors, 0);
    await server.stop();
    const profile = workers === 1 ? await profileLesson(dir, env) : [];
    return { workers, seconds, acceptEncoding: ACCEPT_ENCODING, lessonP99Ms, uncompressedP99Ms, errors, lessonVsTrivial, results, rounds: measured, jsGzipKb: js.gzipKb, scripts: js.files.length, js, htmlKb: Math.round(html.length / 102.4) / 10, profile };
  } finally {
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
  if (/node_modules\/(@react-router|react-router)\//.test(url)) return "React Router (routing, middleware, data, scripts)";
  if (/node_modules\/(drizzle-orm|better-sqlite3)\//.test(url)) return "database (drizzle, better-sqlite3)";
  if (/node_modules\/(express|send|serve-static|body-parser|router|finalhandler|compression)\//.test(url)) return "Express and compression";
  if (/\/(app|server|scripts)\/|build\/server/.test(url)) return "our code (loaders, components, middleware)";
  if (url.startsWith("node:") || url === "") return "Node (HTTP, streams, zlib, Web APIs, native)";
  return "other libraries";
}

async function profileLesson(dir: string, env: Record<string, string>) {
  const profileDir = path.join(dir, "profile");
  const startedAt = performance.now();
  const server = await startServer(dir, PORT, env, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
  let loadStart = startedAt;
  try {
    const cookie = await signInDemoLearner(BASE);
    await load(`${BASE}${DEMO_LESSON}`, 10, cookie, 3);
    loadStart = performance.now();
    await load(`${BASE}${DEMO_LESSON}`, 10, cookie, 5);
  } finally {
    await server.stop();
  }
  // Written when the server exits: the main thread's profile is the largest file.
  const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir) : [];
  if (!files.length) return [];
  const file = files.map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
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
