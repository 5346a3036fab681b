/**
 * Content build figures. Whole-course compile (cold cache)
 * and one-lesson rebuild (warm cache, one file changed), median of several runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCatalog, type CompileCache } from "#app/content/load.server.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchContent(source = path.resolve("content"), RUNS = Number(process.env.BENCH_RUNS ?? 5)) {
  // Work on a copy so the real files are never touched.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-"));
  fs.cpSync(source, dir, { recursive: true });
  const lessons = fs.readdirSync(path.join(dir, "courses"), { recursive: true }).map(String).filter((f) => f.endsWith(".mdx"));
  const target = path.join(dir, "courses", lessons[0]!);

  const full: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await loadCatalog(dir, new Map());
    full.push(performance.now() - t);
  }

  const cache: CompileCache = new Map();
  await loadCatalog(dir, cache);
  const one: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    fs.appendFileSync(target, `\nEdit ${i}.\n`);
    const t = performance.now();
    await loadCatalog(dir, cache);
    one.push(performance.now() - t);
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const results = {
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    lessons: lessons.length,
    runs: RUNS,
    wholeCourseBuildMs: Math.round(median(full)),
    oneLessonRebuildMs: Math.round(median(one)),
  };
  return results;
}
