import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@react-router/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BODY_TOO_LARGE_MESSAGE, limitRequestBody, MAX_BODY_BYTES } from "#app/middleware/body-limit.server.ts";

/**
 * The streaming body limit on a real HTTP server, read the way React Router
 * reads a body (@react-router/node's stream, then request.formData()).
 */
const seen: Array<{ bytes: number; parsed: boolean; error?: string }> = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    limitRequestBody(req, res);
    const body = createReadableStreamFromReadable(req);
    let bytes = 0;
    const counted = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, c) { bytes += chunk.byteLength; c.enqueue(chunk); } }));
    const request = new Request("http://localhost/forgot-password", { method: "POST", body: counted, duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
    request.formData().then(
      () => {
        // Stands for an action that writes: it must never run on a cut-off body.
        seen.push({ bytes, parsed: true });
        if (!res.headersSent) res.end("ok");
      },
      (error: Error) => seen.push({ bytes, parsed: false, error: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs `total` bytes of form body with the given framing; resolves with the answer (or how the connection ended). */
function post(total: number, framing: "chunked" | "length"): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const prefix = "email=learner%40kap-academy.test&pad=";
    const chunk = Buffer.alloc(64 * 1024, "a");
    const chunks = Math.ceil(total / chunk.length);
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
    if (framing === "chunked") headers["Transfer-Encoding"] = "chunked";
    // Declared honestly; the app's early refusal by Content-Length is not in front here.
    else headers["Content-Length"] = String(prefix.length + chunks * chunk.length);
    const req = http.request({ port, host: "127.0.0.1", method: "POST", path: "/forgot-password", headers });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, body: error.code ?? error.message });
    });
    let sent = 0;
    req.write(prefix);
    const write = () => {
      while (sent < chunks && !req.destroyed) {
        sent += 1;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

describe("streaming body limit", () => {
  test("finding 2: chunked body over 1 MiB: 413 with a clear message, reading stops at the limit, memory stays flat, the form is never parsed", async () => {
    seen.length = 0;
    global.gc?.();
    // Buffers (the body's chunks) count in arrayBuffers; RSS also moves with the allocator and other test files' work.
    const before = process.memoryUsage().arrayBuffers;
    const answer = await post(16 * 1024 * 1024, "chunked");
    // The connection is closed once the 413 is out; a client still writing may see the reset first.
    if (answer.status !== 413) expect(["ECONNRESET", "EPIPE"]).toContain(answer.body);
    else expect(answer.body).toBe(BODY_TOO_LARGE_MESSAGE);
    await expect.poll(() => seen.length).toBe(1);
    // The reader saw at most the limit (plus the piece in flight), and got an error, not a cut-off form.
    expect(seen[0]!.parsed).toBe(false);
    expect(seen[0]!.error).toBe(BODY_TOO_LARGE_MESSAGE);
    expect(seen[0]!.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // 16 MiB were offered; the process grew by far less (nothing buffered past the limit).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  });

  test("finding 2: the same limit holds for a body framed by Content-Length", async () => {
    seen.length = 0;
    const answer = await post(3 * 1024 * 1024, "length");
    if (answer.status !== 413) expect(["ECONNRESET", "EPIPE"]).toContain(answer.body);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ parsed: false, error: BODY_TOO_LARGE_MESSAGE });
  });

  /** A chunked POST of `body` to /forgot-password; `end: false` leaves the body open, so only the server can end the exchange. */
  function chunkedPost(body: string, { end }: { end: boolean }) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ port, host: "127.0.0.1", method: "POST", path: "/forgot-password", headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" } });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      if (end) req.end(body);
      else req.write(body);
    });
  }

  test("finding 2: a client that passes the limit and then waits reads the 413 and its message", async () => {
    seen.length = 0;
    // One byte over the limit, and the body never ends: only the limit can answer.
    const answer = await chunkedPost(`email=x&pad=${"a".repeat(MAX_BODY_BYTES - 11)}`, { end: false });
    expect(answer).toEqual({ status: 413, body: BODY_TOO_LARGE_MESSAGE });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ parsed: false, error: BODY_TOO_LARGE_MESSAGE });
  });

  test("a chunked body of exactly 1 MiB is read whole", async () => {
    seen.length = 0;
    const answer = await chunkedPost(`email=x&pad=${"a".repeat(MAX_BODY_BYTES - 12)}`, { end: true });
    expect(answer).toEqual({ status: 200, body: "ok" });
    expect(seen[0]).toMatchObject({ parsed: true, bytes: MAX_BODY_BYTES });
  });

  test("a chunked form under the limit is read whole", async () => {
    seen.length = 0;
    const answer = await post(512 * 1024, "chunked");
    expect(answer).toEqual({ status: 200, body: "ok" });
    expect(seen[0]).toMatchObject({ parsed: true });
    expect(seen[0]!.bytes).toBeGreaterThan(512 * 1024);
  });
});
