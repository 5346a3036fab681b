import { describe, expect, test } from "vitest";
import { getReflections } from "#app/progress/reflections.server.ts";
import { loader as lessonLoader } from "#app/routes/courses.$courseId.$moduleSlug.$lessonSlug.tsx";
import { action as reflectionAction } from "#app/routes/reflections.ts";
import { countRows, createSignedInUser } from "#tests/db-utils.ts";
import { formRequest, getRequest, run, signedInContext } from "#tests/route-utils.ts";

const fields = { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "welcome", promptId: "first-thoughts" };

describe("reflections", () => {
  test("a learner's answer is saved, replaced on resubmission, and private", async () => {
    const me = await createSignedInUser();
    const other = await createSignedInUser();
    const first = await run<{ ok: boolean }>(reflectionAction, formRequest("/reflections", { ...fields, text: "First thoughts." }, { cookie: me.cookie }));
    expect(first.data?.ok).toBe(true);
    await run(reflectionAction, formRequest("/reflections", { ...fields, text: "Second thoughts." }, { cookie: me.cookie }));
    expect(await getReflections(me.user.id, "fixture-course", "basics/welcome")).toEqual({ "first-thoughts": "Second thoughts." });
    expect(await getReflections(other.user.id, "fixture-course", "basics/welcome")).toEqual({});
    const page = await run<{ reflections: Record<string, string> }>(lessonLoader, getRequest("/courses/fixture-course/basics/welcome", me.cookie), undefined, { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "welcome" });
    expect(page.data?.reflections).toEqual({ "first-thoughts": "Second thoughts." });
  });

  test("without JavaScript the form posts itself: back to the lesson when saved, a plain message when not", async () => {
    const me = await createSignedInUser();
    const navigate = { cookie: me.cookie, headers: { "Sec-Fetch-Mode": "navigate" } };
    const saved = await run(reflectionAction, formRequest("/reflections", { ...fields, text: "Typed without scripts." }, navigate));
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe("/courses/fixture-course/basics/welcome#reflection-first-thoughts");
    expect(await getReflections(me.user.id, "fixture-course", "basics/welcome")).toEqual({ "first-thoughts": "Typed without scripts." });
    const tooLong = formRequest("/reflections", { ...fields, text: "x".repeat(10_001) }, navigate);
    const refused = await reflectionAction({ request: tooLong, context: await signedInContext(tooLong), params: {} } as never);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("Content-Type")).toContain("text/plain");
    expect(await refused.text()).toBe("Keep a reflection under 10,000 characters.");
  });

  test("an unknown prompt, an oversized answer or an anonymous visitor changes nothing", async () => {
    const me = await createSignedInUser();
    const before = countRows("reflections");
    const unknown = await run<{ ok: boolean; message: string }>(reflectionAction, formRequest("/reflections", { ...fields, promptId: "nope", text: "x" }, { cookie: me.cookie }));
    expect(unknown.status).toBe(404);
    const huge = await run<{ ok: boolean; message: string }>(reflectionAction, formRequest("/reflections", { ...fields, text: "x".repeat(10_001) }, { cookie: me.cookie }));
    expect(huge.status).toBe(400);
    expect(huge.data?.message).toBe("Keep a reflection under 10,000 characters.");
    const anonymous = await run(reflectionAction, formRequest("/reflections", { ...fields, text: "x" }));
    expect(anonymous.status).toBe(302);
    expect(countRows("reflections")).toBe(before);
  });

  test("a draft lesson is not found for a learner", async () => {
    const me = await createSignedInUser();
    const res = await run(lessonLoader, getRequest("/courses/fixture-course/basics/work-in-progress", me.cookie), undefined, { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "work-in-progress" });
    expect(res.status).toBe(404);
    const author = await createSignedInUser({ role: "author" });
    const preview = await run<{ lesson: { draft: boolean } }>(lessonLoader, getRequest("/courses/fixture-course/basics/work-in-progress", author.cookie), undefined, { courseId: "fixture-course", moduleSlug: "basics", lessonSlug: "work-in-progress" });
    expect(preview.data?.lesson.draft).toBe(true);
  });
});
