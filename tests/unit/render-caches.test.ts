import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { keptElementHtml, keptMarkupForRender } from "#app/http/kept-markup.server.ts";
import { memoizeMatchRoutes } from "#app/http/route-match-cache.server.ts";

type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: (routes: Route[], location: string) => Array<{ route: Route; params: Record<string, string> }> | null };

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

describe("memoised route matching", () => {
  const original = router.matchRoutes.bind(router) as never;
  const memo = memoizeMatchRoutes(original);
  const paths = ["/", "/courses/a", "/courses/a/m/l", "/courses/a/m/quiz", "/courses/a/assets/x/y.png", "/admin", "/admin/users", "/nowhere/at/all", "/courses/caf%C3%A9/m/l"];

  it("gives the router's own answer, first time and from the cache", () => {
    for (const p of paths) {
      const expected = (original as (r: Route[], l: string) => unknown)(tree(), p);
      expect(memo(tree(), p)).toEqual(expected);
      expect(memo(tree(), p)).toEqual(expected);
    }
  });

  it("returns the caller's own route objects and a fresh params object", () => {
    const routes = tree();
    memo(tree(), "/courses/a/m/l");
    const matches = memo(routes, "/courses/a/m/l")!;
    expect(matches.at(-1)!.route).toBe(routes[0]!.children![2]);
    expect(matches[0]!.params).toEqual({ courseId: "a", moduleSlug: "m", lessonSlug: "l" });
    matches[0]!.params.courseId = "changed";
    expect(memo(routes, "/courses/a/m/l")![0]!.params.courseId).toBe("a");
  });

  it("tells apart trees of different shapes", () => {
    const other: Route[] = [{ id: "root", path: "", children: [{ id: "course", path: "c/:courseId" }] }];
    expect(memo(tree(), "/c/x")).toBeNull();
    expect(memo(other, "/c/x")!.at(-1)!.route.id).toBe("course");
  });
});

describe("route matching inside the router (scripts/patch-framework.mjs, run by npm install)", () => {
  it("is memoised in the installed router", () => {
    const file = createRequire(import.meta.url).resolve("@remix-run/router");
    expect(fs.readFileSync(file, "utf8")).toContain("/* kap-academy: memoised route matching */");
  });

  it("still answers as before, for a route list matched again and again", () => {
    const routes = tree();
    for (let round = 0; round < 3; round++) {
      expect(router.matchRoutes(routes, "/courses/a/m/l")!).toMatchObject([{ route: { id: "root" } }, { route: { id: "lesson" }, params: { lessonSlug: "l" } }]);
      expect(router.matchRoutes(routes, "/courses/a/m/quiz")!).toMatchObject([{ route: { id: "root" } }, { route: { id: "quiz" } }]);
      expect(router.matchRoutes(routes, "/courses/a/assets/x/y.png")!.at(-1)).toMatchObject({ route: { id: "asset" }, params: { "*": "x/y.png" } });
      expect(router.matchRoutes(routes, "/nowhere/at/all")).toBeNull();
    }
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

describe("the timer Remix starts for each page's data stream (scripts/patch-framework.mjs, run by npm install)", () => {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@remix-run/server-runtime/dist/single-fetch.js", { paths: [require.resolve("@remix-run/node")] });
  const singleFetch = require(file) as { encodeViaTurboStream: (data: unknown, signal: AbortSignal, timeout: number | undefined, mode: string) => ReadableStream<Uint8Array> };
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const read = async (stream: ReadableStream<Uint8Array>) => {
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    return text;
  };

  it("is cleared as soon as the stream is complete, not left for 4.95 s", async () => {
    const before = timers();
    const text = await read(singleFetch.encodeViaTurboStream({ loaderData: { root: { name: "Ada" } } }, new AbortController().signal, undefined, "production"));
    expect(text).toContain("Ada");
    expect(timers()).toBe(before);
  });

  it("still runs while deferred data is pending, and is cleared when it settles", async () => {
    const before = timers();
    let settle!: (v: string) => void;
    const pending = new Promise<string>((resolve) => (settle = resolve));
    const stream = singleFetch.encodeViaTurboStream({ loaderData: { root: { later: pending } } }, new AbortController().signal, undefined, "production");
    const text = read(stream);
    await new Promise((r) => setImmediate(r));
    expect(timers()).toBe(before + 1);
    settle("arrived");
    expect(await text).toContain("arrived");
    expect(timers()).toBe(before);
  });
});
