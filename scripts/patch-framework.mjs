/**
 * Run by `npm install` (postinstall): three small edits to Remix's server code (one
 * in its turbo-stream) that remove work every request repeated (decisions 009, 010
 * and 012).
 *
 * 1. React Router's internal `matchRoutes`, which Remix's server calls on every
 *    request, flattened and ranked all ~45 routes and compiled a RegExp for every
 *    route it tried: a tenth of the CPU time of a heartbeat or a page. Both
 *    results depend only on their inputs (the server's route list never changes
 *    after start-up), so they are cached. The export Remix also calls is
 *    memoised separately (app/http/route-match-cache.server.ts).
 * 2. Remix's server-runtime builds a new Request twice for every loader and
 *    action it calls, to strip its own `index` and `_routes` search parameters:
 *    each copy parses the URL and makes an AbortSignal that follows the
 *    original's, about 10 µs. A URL with no search string has nothing to strip,
 *    so the request is passed on as it is; any other URL takes the original path.
 * 3. Remix starts a 4.95 s timer for every turbo-stream it encodes (each page's
 *    data) and clears it only if the request is aborted: each page left a live
 *    timer and AbortController for 5 s, which then fired, built a "Server Timeout"
 *    Error with its stack and dispatched an abort nobody listened to. The timer is
 *    now cleared once the stream is complete, as React Router later did upstream
 *    (turbo-stream calls an `onComplete` option; decision 012).
 *
 * Each edit is idempotent and checked: if the code is not exactly what it
 * expects (another version), nothing is changed and a warning is printed; the
 * app stays correct, only slower, and tests/unit/render-caches.test.ts fails so
 * that the edit is looked at again.
 */
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** A file of the CommonJS server runtime that @remix-run/node loads. */
const serverRuntime = (file) => require.resolve(`@remix-run/server-runtime/dist/${file}`, { paths: [require.resolve("@remix-run/node")] });

const patches = [
  {
    what: "route matching is left unmemoised",
    file: require.resolve("@remix-run/router"),
    mark: "/* kap-academy: memoised route matching */",
    prelude: "const __kapBranches = new WeakMap();\nconst __kapPaths = new Map();\n",
    edits: [
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
    ],
  },
  {
    what: "loaders and actions get copied requests",
    file: serverRuntime("data.js"),
    mark: "/* kap-academy: requests without a search string are not copied */",
    prelude: "",
    edits: ["stripIndexParam", "stripRoutesParam"].map((fn) => ({
      from: `function ${fn}(request) {\n`,
      to: `function ${fn}(request) {\n  if (!request.url.includes("?")) return request;\n`,
    })),
  },
  {
    what: "turbo-stream cannot say when it is complete",
    file: require.resolve("turbo-stream", { paths: [serverRuntime("single-fetch.js")] }),
    mark: "/* kap-academy: encode() calls options.onComplete */",
    prelude: "",
    edits: [
      { from: "    const { plugins, postPlugins, signal } = options ?? {};\n", to: "    const { plugins, postPlugins, signal, onComplete } = options ?? {};\n" },
      { from: "            controller.close();\n", to: "            controller.close();\n            onComplete?.();\n" },
    ],
  },
  {
    what: "each page's stream timer is left running for 4.95 s",
    file: serverRuntime("single-fetch.js"),
    mark: "/* kap-academy: the stream timer is cleared when the stream is complete */",
    prelude: "",
    edits: [
      {
        from: '  requestSignal.addEventListener("abort", () => clearTimeout(timeoutId));\n  return turboStream.encode(data, {\n    signal: controller.signal,\n',
        to:
          "  const clearStreamTimeout = () => {\n" +
          "    clearTimeout(timeoutId);\n" +
          '    requestSignal.removeEventListener("abort", clearStreamTimeout);\n' +
          "  };\n" +
          '  requestSignal.addEventListener("abort", clearStreamTimeout);\n' +
          "  return turboStream.encode(data, {\n    signal: controller.signal,\n    onComplete: clearStreamTimeout,\n",
      },
    ],
  },
];

const USE_STRICT = /(['"])use strict\1;\n/;

for (const p of patches) {
  const source = fs.readFileSync(p.file, "utf8");
  if (source.includes(p.mark)) continue;
  if (!p.edits.every((e) => source.split(e.from).length === 2) || !USE_STRICT.test(source)) {
    console.warn(`patch-framework: ${p.file} is not the code this edit expects; ${p.what}.`);
    continue;
  }
  let patched = source;
  for (const e of p.edits) patched = patched.replace(e.from, e.to);
  // After the "use strict" directive, which must stay first.
  patched = patched.replace(USE_STRICT, (directive) => `${directive}${p.mark}\n${p.prelude}`);
  fs.writeFileSync(p.file, patched);
}
