import type { MiddlewareFunction } from "react-router";
import { authContext, requestRecordContext } from "./context.ts";

/**
 * Server-Timing on every response (the app's own time, for browser dev tools and
 * the benchmarks), and what only the app knows for the request log and metrics
 * (app/http/log.server.ts): the route pattern it matched and the signed-in user's id.
 */
export function timingMiddleware(): MiddlewareFunction<Response> {
  return async ({ context, pattern }, next) => {
    const record = context.get(requestRecordContext);
    // A pattern, never the path: bounded for metrics labels, and free of ids.
    if (record) record.route = `/${pattern.replace(/^\/+/, "")}`;
    const started = performance.now();
    const response = await next();
    const ms = performance.now() - started;
    const userId = context.get(authContext)?.user.id;
    if (record && userId) record.userId = userId;
    response.headers.append("Server-Timing", `app;dur=${ms.toFixed(1)}`);
    return response;
  };
}
