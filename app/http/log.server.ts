import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getEnv, type Env } from "#app/env.server.ts";
import { observeRequestDuration } from "./metrics.server.ts";
import { eventLoopDelay, SLOW_LINE_DELAY_MS } from "./slow-requests.server.ts";

/**
 * The request log: one line per request on stdout, written when the response
 * has been sent. It holds what an operator needs and nothing a request carries
 * in confidence: the path without its query string (which can hold tokens),
 * never headers, cookies or bodies, and the user only as their opaque id.
 */
export type RequestLogEntry = {
  time: string;
  /** Also sent as X-Request-Id. */
  id: string;
  method: string;
  path: string;
  /** The route pattern React Router matched, e.g. /courses/:courseId; absent for static files. */
  route?: string;
  status: number;
  ms: number;
  /** The response's Content-Length, when it had one. */
  bytes?: number;
  user?: string;
  ip: string;
  /** Slower than SLOW_REQUEST_MS: with the longest event-loop delay around it. */
  slow?: true;
  eventLoopDelayMs?: number;
};

export type LogFormat = "json" | "pretty";

/** JSON lines in production, where a collector reads them; a short line to read by eye in development. */
export function logFormat(env: Pick<Env, "LOG_FORMAT" | "NODE_ENV"> = getEnv()): LogFormat {
  return env.LOG_FORMAT ?? (env.NODE_ENV === "production" ? "json" : "pretty");
}

export function formatRequestLog(entry: RequestLogEntry, format: LogFormat): string {
  if (format === "json") return JSON.stringify(entry);
  const parts = [entry.time.slice(11, 23), entry.method, entry.path, String(entry.status), `${entry.ms} ms`];
  if (entry.route) parts.push(`route=${entry.route}`);
  if (entry.bytes !== undefined) parts.push(`bytes=${entry.bytes}`);
  if (entry.user) parts.push(`user=${entry.user}`);
  parts.push(`ip=${entry.ip}`, `id=${entry.id}`);
  if (entry.slow) parts.push(`SLOW (event loop delayed up to ${entry.eventLoopDelayMs} ms)`);
  return parts.join(" ");
}

/** An incoming X-Request-Id is kept (a proxy's id ties its log to ours) only when it is a short, plain token. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestId(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** What the app learns about a request while handling it (the timing middleware fills it in). */
export type RequestRecord = { id: string; route?: string; userId?: string };

export type RequestLogOptions = {
  format?: LogFormat;
  /** 0: no request is marked slow. */
  slowMs?: number;
  /** Requests the app did not handle (Vite's modules in development) are left out when false. */
  logUnrouted?: boolean;
  write?: (line: string) => void;
};

/**
 * Returns what the HTTP server calls first for every request: it gives the
 * request its id (and the X-Request-Id header), then, when the response has
 * been sent, writes the log line and records the duration metric. It returns
 * the request's record, which the server hands to the app's load context for
 * the middleware to fill in.
 */
export function requestObserver(options: RequestLogOptions = {}) {
  const env = getEnv();
  const format = options.format ?? logFormat(env);
  const slowMs = options.slowMs ?? env.SLOW_REQUEST_MS;
  const logUnrouted = options.logUnrouted ?? env.NODE_ENV !== "development";
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const loop = slowMs > 0 ? eventLoopDelay() : null;

  return function observe(req: IncomingMessage, res: ServerResponse, clientIp: string): RequestRecord {
    const started = performance.now();
    // Taken now: routers rewrite req.url on the way. Never the query string.
    const path = (req.url ?? "/").split("?")[0]!;
    const record: RequestRecord = { id: requestId(req.headers["x-request-id"]) };
    res.setHeader("X-Request-Id", record.id);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const ms = performance.now() - started;
      const route = record.route;
      observeRequestDuration(route ?? "other", req.method ?? "GET", res.statusCode, ms / 1000);
      if (!route && !logUnrouted) return;
      const length = Number(res.getHeader("Content-Length"));
      const entry: RequestLogEntry = {
        time: new Date().toISOString(),
        id: record.id,
        method: req.method ?? "GET",
        path,
        ...(route ? { route } : {}),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(Number.isFinite(length) && res.hasHeader("Content-Length") ? { bytes: length } : {}),
        ...(record.userId ? { user: record.userId } : {}),
        ip: clientIp,
      };
      if (loop && ms >= slowMs) {
        // A block that just ended reaches the histogram on its next tick.
        setTimeout(() => write(formatRequestLog({ ...entry, slow: true, eventLoopDelayMs: Math.round(loop.maxMs()) }, format)), SLOW_LINE_DELAY_MS);
      } else {
        write(formatRequestLog(entry, format));
      }
    };
    // 'finish': the response was sent; 'close' alone: the client went away first.
    res.once("finish", finish);
    res.once("close", finish);
    return record;
  };
}
