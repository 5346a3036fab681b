/**
 * Run by `npm install` (postinstall): small edits to Remix's server code that
 * remove work every request repeated (decisions 009, 010 and 011).
 *
 * 1. React Router's `matchRoutes`, which Remix and React Router call several
 *    times for every request (once per URL segment for the lazy-discovery
 *    manifest), flattened and ranked all ~45 routes, compiled a RegExp for every
 *    route it tried and built the matches anew: a tenth of the CPU time of a
 *    heartbeat or a page. Its answer depends only on the route list, which the
 *    server never changes once built, and the pathname, so answers are kept per
 *    route list and pathname and handed out as fresh objects.
 * 2. Remix's server-runtime builds a new Request twice for every loader and
 *    action it calls, to strip its own `index` and `_routes` search parameters:
 *    each copy parses the URL and makes an AbortSignal that follows the
 *    original's, about 10 µs. A URL with no search string has nothing to strip,
 *    so the request is passed on as it is; any other URL takes the original path.
 * 3. `<RemixServer>` built the whole route tree from the manifest on every render,
 *    and React Router's static router converted it again into data routes: about
 *    0.1 ms and 50 KB of garbage per page. Both depend only on the build (the
 *    manifest and the route modules), so they are built once per build; this is
 *    also what lets (1) recognise a route list it has seen.
 *
 * Each edit is idempotent and checked: if the code is not exactly what it
 * expects (another version), nothing is changed and a warning is printed; the
 * app stays correct, only slower, and tests/unit/render-caches.test.ts fails so
 * that the edit is looked at again.
 */
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

const patches = [
  {
    what: "route matching is left unmemoised",
    file: require.resolve("@remix-run/router"),
    mark: "/* kap-academy: memoised route matching (2) */",
    prelude: "const __kapBranches = new WeakMap();\nconst __kapPaths = new Map();\nconst __kapMatches = new WeakMap();\n",
    edits: [
      {
        from: "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {\n",
        to:
          "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {\n" +
          '  let location = typeof locationArg === "string" ? parsePath(locationArg) : locationArg;\n' +
          '  let key = basename + "\\u0000" + (location.pathname || "/") + "\\u0000" + (allowPartial ? 1 : 0);\n' +
          "  let known = __kapMatches.get(routes);\n" +
          "  if (!known) __kapMatches.set(routes, (known = new Map()));\n" +
          "  let matches = known.get(key);\n" +
          "  if (matches === undefined) {\n" +
          "    matches = matchRoutesImplUncached(routes, location, basename, allowPartial);\n" +
          "    if (known.size >= 2000) known.clear();\n" +
          "    known.set(key, matches);\n" +
          "  }\n" +
          "  if (!matches) return null;\n" +
          "  // Fresh objects for every caller, sharing one params object as the router's own matches do.\n" +
          "  let params = { ...matches[0].params };\n" +
          "  return matches.map((m) => ({ params, pathname: m.pathname, pathnameBase: m.pathnameBase, route: m.route }));\n" +
          "}\n" +
          "function matchRoutesImplUncached(routes, locationArg, basename, allowPartial) {\n",
      },
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
    // The CommonJS build, which @remix-run/node loads.
    file: require.resolve("@remix-run/server-runtime/dist/data.js", { paths: [require.resolve("@remix-run/node")] }),
    mark: "/* kap-academy: requests without a search string are not copied */",
    prelude: "",
    edits: ["stripIndexParam", "stripRoutesParam"].map((fn) => ({
      from: `function ${fn}(request) {\n`,
      to: `function ${fn}(request) {\n  if (!request.url.includes("?")) return request;\n`,
    })),
  },
  {
    what: "every render builds the route tree again",
    file: require.resolve("@remix-run/react/dist/server.js"),
    mark: "/* kap-academy: one route tree per build */",
    prelude:
      "const __kapRouteTrees = new WeakMap();\n" +
      "function __kapServerRoutes(manifestRoutes, routeModules, future, isSpaMode) {\n" +
      "  let kept = __kapRouteTrees.get(manifestRoutes);\n" +
      "  let same = kept !== undefined && kept.future === future && kept.isSpaMode === isSpaMode;\n" +
      "  for (let id in manifestRoutes) if (same && kept.modules[id] !== routeModules[id]) same = false;\n" +
      "  if (same) return kept.routes;\n" +
      "  let built = routes.createServerRoutes(manifestRoutes, routeModules, future, isSpaMode);\n" +
      "  __kapRouteTrees.set(manifestRoutes, { routes: built, modules: { ...routeModules }, future, isSpaMode });\n" +
      "  return built;\n" +
      "}\n",
    edits: [
      {
        from: "  let routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
        to: "  let routes$1 = __kapServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
      },
    ],
  },
  {
    what: "every render converts the route tree again",
    file: require.resolve("react-router-dom/server.js"),
    mark: "/* kap-academy: data routes converted once per route tree */",
    prelude:
      "const __kapDataRoutes = new WeakMap();\n" +
      "function __kapConvertRoutes(routes) {\n" +
      "  let kept = __kapDataRoutes.get(routes);\n" +
      "  if (!kept) {\n" +
      "    let manifest = {};\n" +
      "    let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n" +
      "    __kapDataRoutes.set(routes, (kept = { manifest, dataRoutes }));\n" +
      "  }\n" +
      "  return kept;\n" +
      "}\n",
    edits: [
      {
        from:
          "  let manifest = {};\n" +
          "  let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n",
        to: "  let { manifest, dataRoutes } = __kapConvertRoutes(routes);\n",
      },
    ],
  },
];

for (const p of patches) {
  const source = fs.readFileSync(p.file, "utf8");
  if (source.includes(p.mark)) continue;
  if (!p.edits.every((e) => source.split(e.from).length === 2) || !source.includes("'use strict';\n")) {
    console.warn(`patch-framework: ${p.file} is not the code this edit expects; ${p.what} (an edit from an older version? reinstall it: delete node_modules and run npm install).`);
    continue;
  }
  let patched = source;
  for (const e of p.edits) patched = patched.replace(e.from, e.to);
  // After the "use strict" directive, which must stay first.
  patched = patched.replace("'use strict';\n", `'use strict';\n${p.mark}\n${p.prelude}`);
  fs.writeFileSync(p.file, patched);
}
