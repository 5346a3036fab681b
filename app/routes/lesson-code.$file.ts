import { requireUser } from "#app/auth/guards.server.ts";
import { findLessonByHash } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/lesson-code.$file";

/**
 * A compiled lesson as a script that registers its component factory, and its
 * references and table of contents (lessonScriptUrl). Served from our origin
 * (allowed by script-src 'self'), so lessons need no eval in the browser.
 * Content-addressed by hash and course version: cached for good.
 */
export async function loader(args: Route.LoaderArgs) {
  await requireUser(args);
  const match = /^([0-9a-f]{64})\.js$/.exec(args.params.file ?? "");
  const params = new URL(args.request.url).searchParams;
  const courseId = params.get("course") ?? "";
  const lesson = match ? await findLessonByHash(match[1]!, courseId) : null;
  if (!lesson?.code) throw new Response("Not found", { status: 404 });
  const hash = JSON.stringify(lesson.hash);
  const info = JSON.stringify({ references: lesson.references, toc: lesson.toc });
  const body =
    `(window.__kapLessons=window.__kapLessons||{})[${hash}]=function(React,ReactDOM,_jsx_runtime){${lesson.code}\n};\n` +
    `(window.__kapLessonInfo=window.__kapLessonInfo||{})[${JSON.stringify(`${courseId}@${params.get("v") ?? ""}:${lesson.hash}`)}]=${info};`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=31536000, immutable",
    },
  });
}
