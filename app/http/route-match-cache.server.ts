import { createRequire } from "node:module";

/**
 * Memoised route matching for server rendering (decision 008).
 *
 * React Router's `matchRoutes` flattens, ranks and compiles a RegExp for every
 * route on every call, and one Remix document request calls it up to seven
 * times (once per URL segment for the lazy-discovery manifest). With our ~45
 * routes that was a fifth of a page's CPU time. The answer depends only on the
 * route tree's shape and the location, so it is cached by those, and rebuilt
 * with the caller's own route objects (Remix makes fresh ones per request).
 *
 * Installed by replacing the export that Remix and React Router call through
 * (`require("@remix-run/router").matchRoutes`); calls inside the router module
 * itself are unaffected, so correctness never depends on the cache.
 */

type Route = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: Route };
type Location = string | { pathname?: string };
type MatchRoutes = (routes: Route[], location: Location, basename?: string) => Match[] | null;
type Cached = { ids: string[]; params: Match["params"]; pathnames: string[]; bases: string[] } | null;

const MAX_ENTRIES = 2000;

type Shape = { key: string; byId: Map<string, Route> } | null;
const shapes = new WeakMap<Route[], Shape>();
const shapeKeys = new Map<string, number>();
let nextShape = 0;
const results = new Map<string, Cached>();

/** What matching depends on, as a string, plus the routes by id; null if a route has no id. */
function shapeOf(routes: Route[]): Shape {
  if (shapes.has(routes)) return shapes.get(routes)!;
  const byId = new Map<string, Route>();
  let complete = true;
  const describe = (list: Route[]): string =>
    list
      .map((r) => {
        if (!r.id || byId.has(r.id)) complete = false;
        else byId.set(r.id, r);
        return `${r.id}|${r.path ?? ""}|${r.index ? 1 : 0}|${r.caseSensitive ? 1 : 0}[${r.children ? describe(r.children) : ""}]`;
      })
      .join(",");
  const text = describe(routes);
  let shape: Shape = null;
  if (complete) {
    if (!shapeKeys.has(text)) {
      // Route trees change only when development code is edited: start afresh now and then.
      if (shapeKeys.size >= 16) {
        shapeKeys.clear();
        results.clear();
      }
      shapeKeys.set(text, nextShape++);
    }
    shape = { key: String(shapeKeys.get(text)), byId };
  }
  shapes.set(routes, shape);
  return shape;
}

export function memoizeMatchRoutes(original: MatchRoutes): MatchRoutes {
  return function matchRoutes(routes, location, basename = "/") {
    const shape = Array.isArray(routes) ? shapeOf(routes) : null;
    const where = typeof location === "string" ? location : location?.pathname;
    if (!shape || typeof where !== "string") return original(routes, location, basename);
    const key = `${shape.key}\u0000${basename}\u0000${where}`;
    let cached = results.get(key);
    if (cached === undefined) {
      const matches = original(routes, location, basename);
      cached = matches
        ? { ids: matches.map((m) => m.route.id!), params: { ...matches[0]?.params }, pathnames: matches.map((m) => m.pathname), bases: matches.map((m) => m.pathnameBase) }
        : null;
      if (results.size >= MAX_ENTRIES) results.delete(results.keys().next().value!);
      results.set(key, cached);
    }
    if (!cached) return null;
    // One params object shared by every match, as matchRoutes itself returns.
    const params = { ...cached.params };
    return cached.ids.map((id, i) => ({ params, pathname: cached.pathnames[i]!, pathnameBase: cached.bases[i]!, route: shape.byId.get(id)! }));
  };
}

const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: MatchRoutes & { memoized?: true } };
if (!router.matchRoutes.memoized) {
  router.matchRoutes = Object.assign(memoizeMatchRoutes(router.matchRoutes), { memoized: true as const });
}
