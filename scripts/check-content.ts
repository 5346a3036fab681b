/**
 * `npm run content:check [folder]`: validates every course file and prints each
 * problem as `path:line:col: message`. Exits 1 when there is any error.
 */
import path from "node:path";
import { getEnv } from "#app/env.server.ts";
import { loadCatalog } from "#app/content/load.server.ts";
import { formatProblem } from "#app/content/problems.ts";

const dir = path.resolve(process.argv[2] ?? getEnv().CONTENT_DIR);
const catalog = await loadCatalog(dir);
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
console.log(`content check: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
process.exit(errors ? 1 : 0);
