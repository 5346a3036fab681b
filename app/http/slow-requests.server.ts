import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * The longest event-loop delay in the current and the previous second (sampled
 * every 10 ms), for the request log's slow lines: a delay near the request's
 * time means something ran synchronously (a render, a query, a GC pause) and
 * held up every request, while a short one means this request waited on its own
 * (the database's busy timeout, a slow client).
 */
export function eventLoopDelay(): { maxMs(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let previousMaxMs = 0;
  setInterval(() => {
    previousMaxMs = histogram.max / 1e6;
    histogram.reset();
  }, 1000).unref();
  return { maxMs: () => Math.max(previousMaxMs, histogram.max / 1e6) };
}

/** A block that just ended is recorded on the histogram's next tick: a slow request's line waits this long. */
export const SLOW_LINE_DELAY_MS = 25;
