import { monitorEventLoopDelay } from "node:perf_hooks";
import type express from "express";

/**
 * Logs every request that took longer than `thresholdMs`, with the longest
 * event-loop delay during it: a delay near the request's time means something
 * ran synchronously (a render, a query, a GC pause) and held up every request,
 * while a short one means this request waited on its own (the database's busy
 * timeout, a slow client). The path is logged without its query string, which
 * can carry tokens.
 */
export function slowRequestLog(thresholdMs: number, log: (line: string) => void = console.warn): express.RequestHandler {
  // The histogram samples every 10 ms. It is read and restarted once a second, so the
  // delay reported is the longest in the current and the previous second.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let previousMaxMs = 0;
  setInterval(() => {
    previousMaxMs = loop.max / 1e6;
    loop.reset();
  }, 1000).unref();

  return (req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      const ms = performance.now() - started;
      if (ms < thresholdMs) return;
      // A block that just ended is recorded on the histogram's next tick.
      setTimeout(() => {
        const loopMs = Math.max(previousMaxMs, loop.max / 1e6);
        log(`slow request: ${req.method} ${req.path} ${res.statusCode} in ${Math.round(ms)} ms (event loop delayed up to ${Math.round(loopMs)} ms)`);
      }, 25);
    });
    next();
  };
}
