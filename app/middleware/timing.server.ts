import { monitorEventLoopDelay } from "node:perf_hooks";
import type { MiddlewareFunction } from "react-router";

/**
 * Server-Timing on every response (the server's own time, for browser dev tools
 * and the benchmarks), and a log line for every request slower than
 * `thresholdMs`, with the longest event-loop delay during it: a delay near the
 * request's time means something ran synchronously (a render, a query, a GC
 * pause) and held up every request, while a short one means this request waited
 * on its own (the database's busy timeout, a slow client). The path is logged
 * without its query string, which can carry tokens. 0 turns the log off.
 */
export function timingMiddleware(thresholdMs: number, log: (line: string) => void = console.warn): MiddlewareFunction<Response> {
  const loop = thresholdMs > 0 ? eventLoopDelay() : null;
  return async ({ request }, next) => {
    const started = performance.now();
    const response = await next();
    const ms = performance.now() - started;
    response.headers.append("Server-Timing", `app;dur=${ms.toFixed(1)}`);
    if (loop && ms >= thresholdMs) {
      const { pathname } = new URL(request.url);
      // A block that just ended is recorded on the histogram's next tick.
      setTimeout(() => {
        log(`slow request: ${request.method} ${pathname} ${response.status} in ${Math.round(ms)} ms (event loop delayed up to ${Math.round(loop.maxMs())} ms)`);
      }, 25);
    }
    return response;
  };
}

/** The longest event-loop delay in the current and the previous second (sampled every 10 ms). */
function eventLoopDelay() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let previousMaxMs = 0;
  setInterval(() => {
    previousMaxMs = histogram.max / 1e6;
    histogram.reset();
  }, 1000).unref();
  return { maxMs: () => Math.max(previousMaxMs, histogram.max / 1e6) };
}
