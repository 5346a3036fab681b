import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { expressMessages } from "#app/http/express-messages.server.ts";

/** Serves `app` on a loopback port; `before` sees each request before Express does. */
async function serve(app: express.Express, options: http.ServerOptions, before: (req: http.IncomingMessage) => void) {
  const server = http.createServer(options);
  server.on("request", before);
  server.on("request", app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("requests created with Express's prototypes (decision 011)", () => {
  it("arrive with app.request and app.response as their prototypes, so Express need not change them", async () => {
    const app = express();
    app.get("/", (req, res) => res.status(201).type("text/plain").send(`${req.get("x-test")} ${req.path}`));
    const seen: unknown[] = [];
    const { url, close } = await serve(app, expressMessages(app), (req) => seen.push(Object.getPrototypeOf(req)));
    try {
      const response = await fetch(`${url}/?q=1`, { headers: { "x-test": "hello" } });
      expect(response.status).toBe(201);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe("hello /");
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBe(app.request);
    } finally {
      await close();
    }
  });

  it("are plain Node messages without the options", async () => {
    const app = express();
    app.get("/", (_req, res) => res.send("ok"));
    const seen: unknown[] = [];
    const { url, close } = await serve(app, {}, (req) => seen.push(Object.getPrototypeOf(req)));
    try {
      expect(await (await fetch(url)).text()).toBe("ok");
      expect(seen[0]).toBe(http.IncomingMessage.prototype);
    } finally {
      await close();
    }
  });

  it("keep Node's behaviour: bodies, keep-alive and the response helpers", async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post("/echo", (req, res) => res.json({ name: (req.body as { name?: string }).name, ip: req.ip }));
    const { url, close } = await serve(app, expressMessages(app), () => {});
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${url}/echo`, { method: "POST", body: new URLSearchParams({ name: `n${i}` }) });
        expect(await response.json()).toEqual({ name: `n${i}`, ip: "127.0.0.1" });
      }
    } finally {
      await close();
    }
  });
});
