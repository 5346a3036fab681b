/**
 * HTTP throughput of a lesson page for a signed-in learner (production build,
 * real course), next to two references measured in the same run: a trivial
 * page of the same app (the framework's floor) and a bare node:http server
 * sending the lesson's HTML bytes. Also the lesson page's JavaScript, gzipped.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";

const PORT = 3400;
const BASE = `http://localhost:${PORT}`;
const LESSON = "/courses/kap-foundations/pharmacology/routes-and-bioavailability";
const TRIVIAL = "/verify";

type Result = { path: string; connections: number; rps: number; p50: number; p99: number; errors: number };

async function load(url: string, connections: number, cookie: string | null, label: string, seconds: number): Promise<Result> {
  const r = await autocannon({ url, connections, duration: seconds, headers: cookie ? { cookie } : {} });
  return { path: label, connections, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export async function benchHttp(seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 8)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-http-"));
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), DATABASE_PATH: path.join(dir, "db.sqlite"), OUTBOX_DIR: path.join(dir, "outbox"), SIGNING_KEY_PATH: path.join(dir, "key.json"), CONTENT_DIR: "content", SEED_DEMO: "true" },
    stdio: "ignore",
  });
  try {
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`${BASE}/healthz`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const login = await fetch(`${BASE}/login`, {
      method: "POST",
      headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "learner@kap-academy.test", password: "Gentle-River-58" }),
      redirect: "manual",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const html = await (await fetch(`${BASE}${LESSON}`, { headers: { cookie } })).text();

    // The page's JavaScript: module scripts and preloads, plus the lesson's own script.
    const scripts = new Set([...html.matchAll(/(?:src|href)="(\/(?:assets|lesson-code)\/[^"]+\.js)"/g)].map((m) => m[1]!));
    let jsGzipBytes = 0;
    for (const s of scripts) jsGzipBytes += gzipSync(Buffer.from(await (await fetch(`${BASE}${s}`, { headers: { cookie } })).arrayBuffer())).length;

    const bare = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(html);
    });
    await new Promise<void>((resolve) => bare.listen(PORT + 1, resolve));

    const results: Result[] = [];
    for (const c of [10, 50]) {
      results.push(await load(`${BASE}${LESSON}`, c, cookie, "lesson page (signed in)", seconds));
      results.push(await load(`${BASE}${TRIVIAL}`, c, cookie, "trivial page (same app)", seconds));
      results.push(await load(`http://localhost:${PORT + 1}/`, c, null, "bare node:http, same bytes", seconds));
    }
    bare.close();
    const at = (label: string, c: number) => results.find((r) => r.path.startsWith(label) && r.connections === c)!;
    const ratios = [10, 50].map((c) => ({
      connections: c,
      lessonVsTrivial: Math.round((at("lesson", c).rps / at("trivial", c).rps) * 100) / 100,
      lessonVsBare: Math.round((at("lesson", c).rps / at("bare", c).rps) * 100) / 100,
    }));
    return { results, ratios, jsGzipKb: Math.round(jsGzipBytes / 102.4) / 10, scripts: scripts.size, htmlKb: Math.round(html.length / 102.4) / 10 };
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
