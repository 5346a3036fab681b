/**
 * Export of N completion records (default 1,000,000): rows/s and peak RSS of
 * the app's streamed CSV export, next to a raw better-sqlite3 scan-to-CSV
 * baseline running the very same SQL (rows joined with commas, nothing escaped),
 * each in its own process so memory is measured alone. `tsx scripts/bench/export.ts` runs all three steps.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const [, , step, dbFile] = process.argv;

async function seed(file: string, rows: number) {
  process.env.DATABASE_PATH = file;
  const { migrateDatabase, getDb, closeDb } = await import("#app/db/client.server.ts");
  migrateDatabase();
  const db = getDb().$client;
  const users = Math.ceil(rows / 1000);
  const insertUser = db.prepare("insert into users (id, email, name, password_hash, role) values (?, ?, ?, 'x', 'learner')");
  const insertCompletion = db.prepare("insert into completions (id, user_id, course_id, content_version, ce_hours, post_test_score, active_seconds, completed_at) values (?, ?, ?, 'v1', 6.5, 0.9, 3600, ?)");
  const insertCert = db.prepare("insert into certificates (id, public_id, user_id, course_id, completion_id, snapshot, status, issued_at) values (?, ?, ?, ?, ?, ?, 'valid', ?)");
  const start = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let u = 0; u < users; u++) insertUser.run(`u${u}`, `learner${u}@clinic.example`, `Learner ${u}`);
    for (let i = 0; i < rows; i++) {
      const user = `u${i % users}`;
      const course = `course-${Math.floor(i / users)}`;
      const at = start + (i % 300) * 86_400_000;
      const snapshot = JSON.stringify({ learnerName: `Learner ${i % users}`, licenses: [{ type: "LMFT", number: `LMFT${i}`, state: "CA" }], course: { id: course, title: "Foundations of Ketamine-Assisted Psychotherapy", version: "v1" }, ceHours: 6.5, postTestScore: 0.9, evaluationDate: new Date(at).toISOString() });
      insertCompletion.run(`c${i}`, user, course, at);
      insertCert.run(`k${i}`, `ID${String(i).padStart(18, "0")}`, user, course, `c${i}`, snapshot, at);
    }
  })();
  closeDb();
}

async function runApp(file: string) {
  process.env.DATABASE_PATH = file;
  const { parseCompletionFilter } = await import("#app/admin/completions.server.ts");
  const { exportStream } = await import("#app/admin/exports.server.ts");
  const { pipeline } = await import("node:stream/promises");
  const filter = parseCompletionFilter(new URLSearchParams()).data!;
  let rows = 0;
  const t = performance.now();
  await pipeline(exportStream("csv", filter, { onRow: () => rows++ }), fs.createWriteStream("/dev/null"));
  return { rows, seconds: (performance.now() - t) / 1000, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** The same query, read raw and joined with commas: no escaping, no streams. */
async function runBaseline(file: string) {
  process.env.DATABASE_PATH = file;
  const { exportQuery, parseCompletionFilter } = await import("#app/admin/completions.server.ts");
  const { sql, params } = exportQuery(parseCompletionFilter(new URLSearchParams()).data!);
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(file, { readonly: true });
  const out = fs.createWriteStream("/dev/null");
  let rows = 0;
  let batch = "";
  const t = performance.now();
  for (const r of db.prepare(sql).raw().iterate(params) as IterableIterator<unknown[]>) {
    batch += `${r.join(",")}\n`;
    if (++rows % 512 === 0) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch = "";
    }
  }
  out.write(batch);
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return { rows, seconds: (performance.now() - t) / 1000, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

export async function benchExport(rows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-export-"));
  const file = path.join(dir, "export.db");
  const child = (s: string) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", self, s, file], { encoding: "utf8", env: { ...process.env, BENCH_EXPORT_ROWS: String(rows), NODE_ENV: "test", SEED_DEMO: "false" }, maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${s} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as { rows: number; seconds: number; peakRssMb: number };
  };
  const t = performance.now();
  child("seed");
  const seedSeconds = (performance.now() - t) / 1000;
  const baseline = child("baseline");
  const app = child("app");
  fs.rmSync(dir, { recursive: true, force: true });
  const rate = (x: { rows: number; seconds: number }) => Math.round(x.rows / x.seconds);
  return {
    rows,
    seedSeconds: Math.round(seedSeconds),
    app: { rowsPerSecond: rate(app), seconds: Math.round(app.seconds * 10) / 10, peakRssMb: app.peakRssMb },
    baseline: { rowsPerSecond: rate(baseline), seconds: Math.round(baseline.seconds * 10) / 10, peakRssMb: baseline.peakRssMb },
    ratio: Math.round((rate(app) / rate(baseline)) * 100) / 100,
  };
}

if (step && dbFile) {
  const rows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  if (step === "seed") {
    await seed(dbFile, rows);
    console.log(JSON.stringify({ rows, seconds: 0, peakRssMb: 0 }));
  } else if (step === "app") console.log(JSON.stringify(await runApp(dbFile)));
  else if (step === "baseline") console.log(JSON.stringify(await runBaseline(dbFile)));
} else if (process.argv[1] === self) {
  console.table([await benchExport()]);
}
