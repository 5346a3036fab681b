import crypto from "node:crypto";
import type { MiddlewareFunction } from "react-router";
import { getEnv } from "#app/env.server.ts";
import { bodyLimitFor, bodyTooLargeMessage } from "./body-limit.server.ts";
import { crossSiteRefusal } from "./cross-site.ts";
import { nonceContext } from "./context.ts";
import { securityHeaders } from "./headers.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)(;|$)/i;

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * What must hold before any loader or action runs: state-changing requests come
 * from this origin, carry a form and stay small. Every response then gets the
 * security headers, with a fresh CSP nonce that the document's scripts carry.
 */
export const securityMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  context.set(nonceContext, nonce);
  const url = new URL(request.url);
  const response = guard(request, url.origin) ?? (await next());
  const https = url.protocol === "https:";
  for (const [name, value] of Object.entries(securityHeaders({ nonce, https, dev: getEnv().NODE_ENV === "development" }))) {
    response.headers.set(name, value);
  }
  return response;
};

function guard(request: Request, ownOrigin: string): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const refusal = crossSiteRefusal({
    method: request.method,
    ownOrigin,
    origin: request.headers.get("Origin"),
    secFetchSite: request.headers.get("Sec-Fetch-Site"),
  });
  if (refusal) return refuse(403, refusal);
  // Refused before reading when the size is declared; a body sent without one
  // (chunked) is cut off as it arrives (limitRequestBody, at the HTTP server).
  const limit = bodyLimitFor(new URL(request.url).pathname);
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) return refuse(413, bodyTooLargeMessage(limit));
  // Actions read forms only: any other body type is refused up front, not half-parsed.
  const type = request.headers.get("Content-Type");
  if (type && !FORM_TYPES.test(type)) return refuse(415, "Send forms as application/x-www-form-urlencoded or multipart/form-data.");
  return null;
}
