import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@react-router/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bodyLimitFor, bodyTooLargeMessage, limitRequestBody, MAX_BODY_BYTES, UPLOAD_BODY_BYTES } from "#app/middleware/body-limit.server.ts";

/**
 * The one larger body limit: the transcript's entry form, which carries a
 * certificate file. A real HTTP server with the limit chosen by the request's
 * path, as server/index.ts calls it; everywhere else the limit stays 1 MiB.
 */
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    limitRequestBody(req, res);
    const request = new Request(`http://localhost${req.url}`, { method: "POST", body: createReadableStreamFromReadable(req), duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
    request.formData().then(
      (form) => {
        if (!res.headersSent) res.end(`ok ${String(form.get("pad")).length}`);
      },
      () => {},
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A chunked POST of `bytes` of padding to `path`. */
function post(path: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ port, host: "127.0.0.1", method: "POST", path, headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" } });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ status: 0, body: error.code ?? error.message }));
    req.end(`pad=${"a".repeat(bytes)}`);
  });
}

describe("the upload path's body limit", () => {
  test("bodyLimitFor: 5 MiB for the entry form's paths only", () => {
    expect(UPLOAD_BODY_BYTES).toBe(5 * 1024 * 1024);
    for (const p of ["/transcript/entries/new", "/transcript/entries/abc123", "/transcript/entries/abc123?x=1"]) expect(bodyLimitFor(p), p).toBe(UPLOAD_BODY_BYTES);
    for (const p of ["/transcript", "/transcript/entries/abc/delete", "/login", "/transcript/entries/new/x", "/x/transcript/entries/new", undefined]) expect(bodyLimitFor(p), String(p)).toBe(MAX_BODY_BYTES);
  });

  test("a 3 MiB entry form is read whole; the same body elsewhere is refused at 1 MiB", async () => {
    expect(await post("/transcript/entries/new", 3 * 1024 * 1024)).toEqual({ status: 200, body: `ok ${3 * 1024 * 1024}` });
    const elsewhere = await post("/transcript", 3 * 1024 * 1024);
    if (elsewhere.status !== 413) expect(["ECONNRESET", "EPIPE"]).toContain(elsewhere.body);
    else expect(elsewhere.body).toBe(bodyTooLargeMessage(MAX_BODY_BYTES));
  });

  test("past 5 MiB the entry form is refused too, with the message naming its limit", async () => {
    const answer = await post("/transcript/entries/abc", 6 * 1024 * 1024);
    if (answer.status !== 413) expect(["ECONNRESET", "EPIPE"]).toContain(answer.body);
    else expect(answer.body).toBe("Request too large: a request body may be at most 5 MiB.");
  });
});
