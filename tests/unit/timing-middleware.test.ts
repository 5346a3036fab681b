import { RouterContextProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { timingMiddleware } from "#app/middleware/timing.server.ts";

/** Runs the middleware around a handler that answers `status`, as React Router would. */
function through(thresholdMs: number) {
  const lines: string[] = [];
  const middleware = timingMiddleware(thresholdMs, (line) => lines.push(line));
  async function request(url: string, handler: () => Promise<Response>): Promise<Response> {
    const response = await middleware({ request: new Request(`http://localhost${url}`), context: new RouterContextProvider(), params: {}, unstable_pattern: "" } as never, handler as never);
    // Lines are written just after the response (see timingMiddleware): wait for them.
    await new Promise((resolve) => setTimeout(resolve, 60));
    return response as Response;
  }
  return { lines, request };
}

const wait = (ms: number, status = 200) => () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("done", { status })), ms));
function busy(): Promise<Response> {
  const until = performance.now() + 300;
  while (performance.now() < until) {
    // holds the event loop, as a long synchronous render would
  }
  return Promise.resolve(new Response("done"));
}

describe("timing middleware", () => {
  it("adds the server's own time as Server-Timing", async () => {
    const { request } = through(0);
    const response = await request("/fast", wait(20));
    expect(response.headers.get("Server-Timing")).toMatch(/^app;dur=\d+\.\d$/);
    expect(Number(/dur=([\d.]+)/.exec(response.headers.get("Server-Timing")!)![1])).toBeGreaterThanOrEqual(15);
  });

  it("logs only requests over the threshold, without the query string", async () => {
    const { lines, request } = through(100);
    await request("/fast", wait(0));
    expect(lines).toEqual([]);
    await request("/wait?token=secret", wait(150, 202));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^slow request: GET \/wait 202 in \d+ ms/);
    expect(lines[0]).not.toContain("secret");
  });

  it("tells a blocked event loop from a request that waited", async () => {
    const { lines, request } = through(100);
    // Let the histogram see one quiet interval, so the first line has a baseline.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await request("/wait", wait(150));
    await request("/busy", busy);
    const delay = (line: string) => Number(/delayed up to (\d+) ms/.exec(line)?.[1]);
    expect(lines).toHaveLength(2);
    expect(delay(lines[0]!)).toBeLessThan(150);
    expect(delay(lines[1]!)).toBeGreaterThanOrEqual(250);
  });
});
