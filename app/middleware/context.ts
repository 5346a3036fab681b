import { createContext } from "react-router";
import type { SessionValidation } from "#app/auth/session.server.ts";
import type { RequestRecord } from "#app/http/log.server.ts";

/**
 * What middleware hands to loaders and actions (read with `context.get(...)`).
 * Only types come from server modules, so this file is safe in the browser graph.
 */

/** The signed-in session and its user; null for visitors (and when no middleware ran). */
export const authContext = createContext<SessionValidation | null>(null);

/** The client's address, as the HTTP server saw it (X-Forwarded-For only behind TRUST_PROXY). */
export const clientIpContext = createContext<string>("unknown");

/** The nonce that allows this response's inline scripts under the Content-Security-Policy. */
export const nonceContext = createContext<string>("");

/** What the request log learns from the app (route, user); null outside the HTTP server (tests). */
export const requestRecordContext = createContext<RequestRecord | null>(null);
