/**
 * Part of `npm run build`: compiles every lesson once into build/content/catalog.json,
 * which the production server loads at start-up. Refuses content with errors.
 */
import fs from "node:fs";
import path from "node:path";
import { CATALOG_ARTEFACT } from "#app/content/catalog.server.ts";
import { loadCatalog } from "#app/content/load.server.ts";
import { formatProblem } from "#app/content/problems.ts";
import { getEnv } from "#app/env.server.ts";

const started = performance.now();
const catalog = await loadCatalog(path.resolve(getEnv().CONTENT_DIR));
const errors = catalog.problems.filter((p) => p.severity === "error");
if (errors.length) {
  for (const p of errors) console.error(formatProblem(p));
  console.error(`content build refused: ${errors.length} error(s). Run npm run content:check for details.`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(CATALOG_ARTEFACT), { recursive: true });
fs.writeFileSync(CATALOG_ARTEFACT, JSON.stringify(catalog));
const lessons = catalog.courses.reduce((n, c) => n + c.modules.reduce((m, mod) => m + mod.lessons.length, 0), 0);
console.log(`content: ${catalog.courses.length} course(s), ${lessons} lessons compiled in ${Math.round(performance.now() - started)} ms -> ${path.relative(process.cwd(), CATALOG_ARTEFACT)}`);
