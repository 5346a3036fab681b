import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type express from "express";
import { documentBody } from "./document-body.server.ts";

/**
 * Express to Remix, as `@remix-run/express` does it, except that a document
 * rendered into one buffer is written in one call instead of being copied into
 * a web stream and read back out of it (document-body.server.ts, decision 009).
 */
export function remixHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: express.Request, res: express.Response) => Promise<AppLoadContext>;
}): express.RequestHandler {
  const handle = createRequestHandler(options.build, options.mode);
  return async (req, res, next) => {
    const started = performance.now();
    try {
      const request = remixRequest(req, res);
      const context = await options.getLoadContext(req, res);
      // Set on the request's own context object: `{ ...context, more }` costs V8 ~1 µs.
      context.sendsDocumentBuffers = true;
      const response = await handle(request, context);
      // The server's own time for the request, for browser dev tools and the benchmarks.
      res.setHeader("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
      await send(res, response);
    } catch (error) {
      next(error);
    }
  };
}

function remixRequest(req: express.Request, res: express.Response): Request {
  // req.hostname honours "trust proxy" but drops the port; take it from the header it came from.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find(Number.isSafeInteger);
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;

  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value) headers.set(key, value);
  }
  // Loaders and actions are aborted when the client goes away before the response is sent.
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

async function send(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers) res.append(key, value);
  const buffered = documentBody(response);
  if (buffered) {
    res.end(buffered);
  } else if (response.body) {
    if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
    await writeReadableStreamToWritable(response.body, res);
  } else {
    res.end();
  }
}
