import type { MiddlewareFunction } from "react-router";
import { securityMiddleware } from "./security.server.ts";
import { sessionMiddleware } from "./session.server.ts";
import { timingMiddleware } from "./timing.server.ts";

/** The root route's middleware, outermost first: every request passes through all of it. */
export const rootMiddleware: MiddlewareFunction<Response>[] = [
  timingMiddleware(),
  securityMiddleware,
  sessionMiddleware,
];
