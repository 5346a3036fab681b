import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { formatRequestLog, logFormat, requestObserver, type RequestLogEntry, type RequestRecord } from "#app/http/log.server.ts";

/** A real HTTP server with the request observer in front, as server/index.ts has it. */
async function withServer(options: { slowMs: number }, handle: (req: http.IncomingMessage, res: http.ServerResponse, record: RequestRecord) => void) {
  const lines: string[] = [];
  const observe = requestObserver({ format: "json", slowMs: options.slowMs, logUnrouted: true, write: (line) => lines.push(line) });
  const server = http.createServer((req, res) => {
    handle(req, res, observe(req, res, "203.0.113.5"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    lines: () => lines.map((l) => JSON.parse(l) as RequestLogEntry),
    get: (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("request log", () => {
  test("one JSON line per request: id (also X-Request-Id), method, path without query, route, status, duration, bytes, user, ip", async () => {
    const s = await withServer({ slowMs: 0 }, (_req, res, record) => {
      record.route = "/reset-password";
      record.userId = "usr_1";
      res.writeHead(201, { "Content-Length": "2" }).end("ok");
    });
    const res = await s.get("/reset-password?token=secret-token-value");
    await expect.poll(() => s.lines().length).toBe(1);
    const [line] = s.lines();
    expect(line).toMatchObject({ method: "GET", path: "/reset-password", route: "/reset-password", status: 201, bytes: 2, user: "usr_1", ip: "203.0.113.5" });
    expect(line!.id).toBe(res.headers.get("X-Request-Id"));
    expect(line!.ms).toBeGreaterThanOrEqual(0);
    expect(new Date(line!.time).getTime()).toBeGreaterThan(0);
    expect(JSON.stringify(s.lines())).not.toContain("secret-token-value");
    expect(line).not.toHaveProperty("slow");
    await s.close();
  });

  test("an incoming X-Request-Id is kept only when it is a short plain token", async () => {
    const s = await withServer({ slowMs: 0 }, (_req, res) => void res.end("ok"));
    expect((await s.get("/", { "X-Request-Id": "proxy-1234abcd" })).headers.get("X-Request-Id")).toBe("proxy-1234abcd");
    for (const bad of ["short", "x".repeat(65), "a b c d e f g h", "id\u202Eevil-value", "<script>alert(1)</script>"]) {
      const id = (await s.get("/", { "X-Request-Id": encodeURI(bad) === bad ? bad : encodeURIComponent(bad) })).headers.get("X-Request-Id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    await s.close();
  });

  test("a slow request is the same line with slow: true and the event-loop delay (blocked loop vs waiting)", async () => {
    const s = await withServer({ slowMs: 100 }, (req, res) => {
      if (req.url === "/busy") {
        const until = performance.now() + 300;
        while (performance.now() < until) {
          // holds the event loop, as a long synchronous render would
        }
        res.end("done");
      } else if (req.url === "/wait") setTimeout(() => res.end("done"), 150);
      else res.end("fast");
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await s.get("/fast");
    await s.get("/wait");
    // Its line is written just after the response (the histogram catches up): let it be.
    await new Promise((resolve) => setTimeout(resolve, 60));
    await s.get("/busy");
    await expect.poll(() => s.lines().length).toBe(3);
    const byPath = Object.fromEntries(s.lines().map((l) => [l.path, l]));
    expect(byPath["/fast"]).not.toHaveProperty("slow");
    expect(byPath["/wait"]).toMatchObject({ slow: true });
    expect(byPath["/wait"]!.eventLoopDelayMs).toBeLessThan(150);
    expect(byPath["/busy"]).toMatchObject({ slow: true });
    expect(byPath["/busy"]!.eventLoopDelayMs).toBeGreaterThanOrEqual(250);
    await s.close();
  });

  test("LOG_FORMAT: json by default in production, pretty in development; pretty is one readable line", () => {
    expect(logFormat({ NODE_ENV: "production", LOG_FORMAT: undefined })).toBe("json");
    expect(logFormat({ NODE_ENV: "development", LOG_FORMAT: undefined })).toBe("pretty");
    expect(logFormat({ NODE_ENV: "production", LOG_FORMAT: "pretty" })).toBe("pretty");
    const line = formatRequestLog({ time: "2026-12-02T10:00:00.000Z", id: "abc12345", method: "POST", path: "/login", route: "/login", status: 302, ms: 12.3, ip: "::1", slow: true, eventLoopDelayMs: 40 }, "pretty");
    expect(line).toBe("10:00:00.000 POST /login 302 12.3 ms route=/login ip=::1 id=abc12345 SLOW (event loop delayed up to 40 ms)");
  });
});
