import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { slowRequestLog } from "#app/http/slow-requests.server.ts";

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** A real server with the log in front: /busy blocks the event loop, /wait only waits. */
async function serve(thresholdMs: number) {
  const lines: string[] = [];
  const app = express();
  app.use(slowRequestLog(thresholdMs, (line) => lines.push(line)));
  app.get("/fast", (_req, res) => res.send("ok"));
  app.get("/busy", (_req, res) => {
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // holds the event loop, as a long synchronous render would
    }
    res.send("done");
  });
  app.get("/wait", (_req, res) => setTimeout(() => res.status(202).send("done"), 150));
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Lines are written just after the response (see slowRequestLog): wait for them.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 60));
  return { lines, get: (path: string) => fetch(base + path).then((r) => r.text()).then(settle) };
}

describe("slow request log", () => {
  it("logs only requests over the threshold, without the query string", async () => {
    const { lines, get } = await serve(100);
    await get("/fast");
    expect(lines).toEqual([]);
    await get("/wait?token=secret");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^slow request: GET \/wait 202 in \d+ ms/);
    expect(lines[0]).not.toContain("secret");
  });

  it("tells a blocked event loop from a request that waited", async () => {
    const { lines, get } = await serve(100);
    // Let the histogram see one quiet interval, so the first line has a baseline.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await get("/wait");
    await get("/busy");
    const delay = (line: string) => Number(/delayed up to (\d+) ms/.exec(line)?.[1]);
    expect(lines).toHaveLength(2);
    expect(delay(lines[0]!)).toBeLessThan(150);
    expect(delay(lines[1]!)).toBeGreaterThanOrEqual(250);
  });
});
