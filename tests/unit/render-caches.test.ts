import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { keptElementHtml, keptMarkupForRender } from "#app/http/kept-markup.server.ts";

type Route = { id: string; path?: string; index?: boolean; children?: Route[] };

/** A route tree shaped like the app's: a root with pages, params, an index and a splat. */
function tree(): Route[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "course", path: "courses/:courseId" },
        { id: "lesson", path: "courses/:courseId/:moduleSlug/:lessonSlug" },
        { id: "quiz", path: "courses/:courseId/:moduleSlug/quiz" },
        { id: "asset", path: "courses/:courseId/assets/*" },
        { id: "admin", path: "admin", children: [{ id: "admin-home", index: true }, { id: "users", path: "users" }] },
      ],
    },
  ];
}

type Match = { route: Route; params: Record<string, string>; pathname: string; pathnameBase: string };
type Router = {
  matchRoutes: (routes: Route[], location: string) => Match[] | null;
};
const requireHere = createRequire(import.meta.url);
const router = requireHere("@remix-run/router") as Router;

describe("route matching inside the router (scripts/patch-framework.mjs, run by npm install)", () => {
  const paths = ["/", "/courses/a", "/courses/a/m/l", "/courses/a/m/quiz", "/courses/a/assets/x/y.png", "/admin", "/admin/users", "/nowhere/at/all", "/courses/caf%C3%A9/m/l"];

  it("is memoised in the installed router", () => {
    expect(fs.readFileSync(requireHere.resolve("@remix-run/router"), "utf8")).toContain("/* kap-academy: memoised route matching (2) */");
  });

  it("gives a kept route list the answer a route list never seen before gets", () => {
    const routes = tree();
    for (let round = 0; round < 3; round++) {
      for (const p of paths) expect(router.matchRoutes(routes, p)).toEqual(router.matchRoutes(tree(), p));
    }
    expect(router.matchRoutes(routes, "/courses/a/m/l")!).toMatchObject([{ route: { id: "root" } }, { route: { id: "lesson" }, params: { lessonSlug: "l" } }]);
    expect(router.matchRoutes(routes, "/courses/a/assets/x/y.png")!.at(-1)).toMatchObject({ route: { id: "asset" }, params: { "*": "x/y.png" } });
    expect(router.matchRoutes(routes, "/courses/caf%C3%A9/m/l")![0]!.params.courseId).toBe("café");
    expect(router.matchRoutes(routes, "/nowhere/at/all")).toBeNull();
  });

  it("returns the list's own route objects, in fresh matches the caller may change", () => {
    const routes = tree();
    const first = router.matchRoutes(routes, "/courses/a/m/l")!;
    expect(first.at(-1)!.route).toBe(routes[0]!.children![2]);
    // One params object shared by the matches, as the router's own answer has.
    expect(first[0]!.params).toBe(first[1]!.params);
    first[0]!.params.courseId = "changed";
    first.pop();
    const again = router.matchRoutes(routes, "/courses/a/m/l")!;
    expect(again).toHaveLength(2);
    expect(again[0]!.params).toEqual({ courseId: "a", moduleSlug: "m", lessonSlug: "l" });
  });

  it("answers each route list for itself", () => {
    const other: Route[] = [{ id: "root", path: "", children: [{ id: "course", path: "c/:courseId" }] }];
    expect(router.matchRoutes(tree(), "/c/x")).toBeNull();
    expect(router.matchRoutes(other, "/c/x")!.at(-1)!.route.id).toBe("course");
  });
});

describe("route trees built once per build (scripts/patch-framework.mjs, run by npm install)", () => {
  const remixServer = requireHere.resolve("@remix-run/react/dist/server.js");
  const staticRouterFile = requireHere.resolve("react-router-dom/server.js");
  const { createStaticRouter } = requireHere(staticRouterFile) as {
    createStaticRouter: (routes: Route[], context: { matches: Match[] }) => { routes: Route[]; state: { matches: Match[] } };
  };

  it("is edited into the installed <RemixServer> and static router", () => {
    expect(fs.readFileSync(remixServer, "utf8")).toContain("/* kap-academy: one route tree per build */");
    expect(fs.readFileSync(staticRouterFile, "utf8")).toContain("/* kap-academy: data routes converted once per route tree */");
  });

  it("converts a route tree into data routes once, and each request's matches onto them", () => {
    const routes = tree();
    const a = createStaticRouter(routes, { matches: router.matchRoutes(routes, "/courses/a/m/l")! });
    const b = createStaticRouter(routes, { matches: router.matchRoutes(routes, "/admin/users")! });
    expect(b.routes).toBe(a.routes);
    expect(a.state.matches.at(-1)!.route).toBe(a.routes[0]!.children![2]);
    expect(b.state.matches.map((m) => m.route.id)).toEqual(["root", "admin", "users"]);
    expect(b.state.matches[1]!.route).toBe(b.routes[0]!.children![5]);
    // Another tree (a new build in development) gets its own.
    expect(createStaticRouter(tree(), { matches: [] }).routes).not.toBe(a.routes);
  });
});

describe("requests passed to loaders and actions (scripts/patch-framework.mjs, run by npm install)", () => {
  type Loader = (args: { request: Request }) => Promise<null>;
  const require = createRequire(import.meta.url);
  // The CommonJS build that @remix-run/node loads.
  const file = require.resolve("@remix-run/server-runtime/dist/data.js", { paths: [require.resolve("@remix-run/node")] });
  const data = require(file) as { callRouteLoader: (args: { loader: Loader; params: object; request: Request; routeId: string; singleFetch: boolean; loadContext: object }) => Promise<unknown> };
  const seen = async (request: Request) => {
    let got: Request | null = null;
    await data.callRouteLoader({ loader: async (args) => ((got = args.request), null), params: {}, request, routeId: "r", singleFetch: true, loadContext: {} });
    return got! as Request;
  };

  it("is edited in the installed server runtime", () => {
    expect(fs.readFileSync(file, "utf8")).toContain("/* kap-academy: requests without a search string are not copied */");
  });

  it("passes a request with no search string on as it is", async () => {
    const request = new Request("http://localhost/courses/a/m/l", { headers: { cookie: "kap_session=x" } });
    expect(await seen(request)).toBe(request);
  });

  it("still strips Remix's own parameters from any other request", async () => {
    const request = new Request("http://localhost/verify?index&_routes=root&q=1");
    const got = await seen(request);
    expect(got).not.toBe(request);
    expect(new URL(got.url).search).toBe("?q=1");
  });
});

describe("kept markup (decisions 008 and 010)", () => {
  const page = (body: string) =>
    `<html><body><main><div class="lesson-layout"><div class="lesson-body" data-kept="lesson-body">${body}</div><p>after</p></div></main></body></html>`;

  it("finds a kept element's end past nested tags of its own kind", () => {
    const body = '<div class="a"><div>x</div></div><p>1 &lt;div&gt; 2</p><div></div>';
    expect(keptElementHtml(page(body), "lesson-body")).toBe(body);
    const nav = '<nav aria-label="On this page" class="toc" data-kept="lesson-toc"><ul><li><nav>inner</nav></li></ul></nav><nav>other</nav>';
    expect(keptElementHtml(nav, "lesson-toc")).toBe("<ul><li><nav>inner</nav></li></ul>");
  });

  it("refuses a document without exactly one such element, or an unclosed one", () => {
    expect(keptElementHtml("<html></html>", "lesson-body")).toBeNull();
    expect(keptElementHtml(page("x") + page("y"), "lesson-body")).toBeNull();
    expect(keptElementHtml('<div class="lesson-body" data-kept="lesson-body"><div>', "lesson-body")).toBeNull();
    expect(keptElementHtml(page("x"), "lesson-toc")).toBeNull();
  });

  it("keeps a part from a successful render and puts it in place of a later render's placeholder", () => {
    const key = `test-part\u0000${Math.random()}`;
    const first = keptMarkupForRender("nonce-1", true);
    expect(first.context.reuse(key)).toBeNull();
    first.context.keep(key, "test-part");
    const html = '<main><nav class="n" data-kept="test-part"><a href="/x">X &amp; Y</a></nav><p>é</p></main>';
    expect(first.finish(Buffer.from(html), true).toString()).toBe(html);

    const second = keptMarkupForRender("nonce-2", true);
    const placeholder = second.context.reuse(key)!;
    expect(placeholder).toContain("nonce-2");
    const rendered = Buffer.from(`<main><nav class="n" data-kept="test-part">${placeholder}</nav><p>é</p></main>`);
    expect(second.finish(rendered, true).toString()).toBe(html);
  });

  it("keeps nothing from a failed render, nor when turned off (development)", () => {
    const key = `test-failed\u0000${Math.random()}`;
    const html = Buffer.from('<nav data-kept="test-failed">500</nav>');
    const failed = keptMarkupForRender("n", true);
    failed.context.keep(key, "test-failed");
    failed.finish(html, false);
    expect(keptMarkupForRender("n", true).context.reuse(key)).toBeNull();

    const off = keptMarkupForRender("n", false);
    off.context.keep(key, "test-failed");
    off.finish(html, true);
    expect(keptMarkupForRender("n", false).context.reuse(key)).toBeNull();
    expect(keptMarkupForRender("n", true).context.reuse(key)).toBeNull();
  });
});
