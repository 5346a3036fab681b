import { RouterContextProvider } from "react-router";
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "#app/http/log.server.ts";
import { authContext, requestRecordContext } from "#app/middleware/context.ts";
import { timingMiddleware } from "#app/middleware/timing.server.ts";

const wait = (ms: number) => () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("done")), ms));

describe("timing middleware", () => {
  it("adds the server's own time as Server-Timing", async () => {
    const response = (await timingMiddleware()({ request: new Request("http://localhost/fast"), context: new RouterContextProvider(), params: {}, pattern: "/fast" } as never, wait(20) as never)) as Response;
    expect(response.headers.get("Server-Timing")).toMatch(/^app;dur=\d+\.\d$/);
    expect(Number(/dur=([\d.]+)/.exec(response.headers.get("Server-Timing")!)![1])).toBeGreaterThanOrEqual(15);
  });

  it("tells the request log the route pattern (never the path) and the signed-in user's id", async () => {
    const context = new RouterContextProvider();
    const record: RequestRecord = { id: "test-request-1" };
    context.set(requestRecordContext, record);
    const handler = async () => {
      // The session middleware, further in, resolves the user.
      context.set(authContext, { user: { id: "usr_opaque", email: "someone@example.org", name: "Some One", role: "learner" } } as never);
      return new Response("ok");
    };
    await timingMiddleware()({ request: new Request("http://localhost/courses/c1/m1/l1?x=1"), context, params: {}, pattern: "/courses/:courseId/:moduleSlug/:lessonSlug" } as never, handler as never);
    expect(record).toEqual({ id: "test-request-1", route: "/courses/:courseId/:moduleSlug/:lessonSlug", userId: "usr_opaque" });
  });
});
