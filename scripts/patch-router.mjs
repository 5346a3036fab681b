/**
 * Run by `npm install` (postinstall): memoises route matching inside React
 * Router's own code (decision 009).
 *
 * Remix's server calls the router's internal `matchRoutes` on every request.
 * Each call flattens and ranks all ~45 routes and compiles a RegExp for every
 * route it tries: a tenth of the CPU time of a heartbeat or a page. Both results
 * depend only on their inputs (the server's route list never changes after
 * start-up), so they are cached. The export Remix also calls is memoised
 * separately (app/http/route-match-cache.server.ts).
 *
 * The edit is idempotent and checked: if the router's code is not exactly what
 * this expects (another version), nothing is changed and a warning is printed;
 * the app stays correct, only slower, and tests/unit/render-caches.test.ts fails
 * so that the edit is looked at again.
 */
import fs from "node:fs";
import { createRequire } from "node:module";

const MARK = "/* kap-academy: memoised route matching */";
const edits = [
  {
    from: "  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n",
    to:
      "  let branches = __kapBranches.get(routes);\n" +
      "  if (!branches) {\n" +
      "    branches = flattenRoutes(routes);\n" +
      "    rankRouteBranches(branches);\n" +
      "    __kapBranches.set(routes, branches);\n" +
      "  }\n",
  },
  {
    from: "function compilePath(path, caseSensitive, end) {\n",
    to:
      "function compilePath(path, caseSensitive, end) {\n" +
      '  const key = path + "\\u0000" + caseSensitive + "\\u0000" + end;\n' +
      "  let compiled = __kapPaths.get(key);\n" +
      "  if (!compiled) {\n" +
      "    if (__kapPaths.size >= 2000) __kapPaths.clear();\n" +
      "    __kapPaths.set(key, (compiled = compilePathUncached(path, caseSensitive, end)));\n" +
      "  }\n" +
      "  return compiled;\n" +
      "}\n" +
      "function compilePathUncached(path, caseSensitive, end) {\n",
  },
];
const prelude = `${MARK}\nconst __kapBranches = new WeakMap();\nconst __kapPaths = new Map();\n`;

const file = createRequire(import.meta.url).resolve("@remix-run/router");
const source = fs.readFileSync(file, "utf8");
if (source.includes(MARK)) process.exit(0);
if (!edits.every((e) => source.split(e.from).length === 2)) {
  console.warn(`patch-router: ${file} is not the code this edit expects; route matching is left unmemoised.`);
  process.exit(0);
}
let patched = source;
for (const e of edits) patched = patched.replace(e.from, e.to);
// After the "use strict" directive, which must stay first.
patched = patched.replace("'use strict';\n", `'use strict';\n${prelude}`);
fs.writeFileSync(file, patched);
