import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { lessonBodyHtml } from "#app/content/lesson-body-cache.server.ts";
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

describe("route matching inside the router (scripts/patch-router.mjs, run by npm install)", () => {
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

describe("cutting the lesson body out of a document", () => {
  const page = (body: string) => `<html><body><main><div class="lesson-layout"><div class="lesson-body">${body}</div><p>after</p></div></main></body></html>`;

  it("finds the body's end past nested divs", () => {
    const body = '<div class="a"><div>x</div></div><p>1 &lt;div&gt; 2</p><div></div>';
    expect(lessonBodyHtml(page(body))).toBe(body);
  });

  it("refuses a document without exactly one body, or an unclosed one", () => {
    expect(lessonBodyHtml("<html></html>")).toBeNull();
    expect(lessonBodyHtml(page("x") + page("y"))).toBeNull();
    expect(lessonBodyHtml('<div class="lesson-body"><div>')).toBeNull();
  });
});
