import type { MiddlewareFunction } from "react-router";
import { isHttps, readSessionToken, sessionCookie, validateSessionToken } from "#app/auth/session.server.ts";
import { authContext } from "./context.ts";

/**
 * Resolves the session once per request: cookie -> token hash -> session row.
 * A session used after half its lifetime slides forward; the cookie then gets
 * the new expiry on whatever response the request ends with.
 */
export const sessionMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = readSessionToken(request.headers.get("Cookie"));
  const auth = token ? await validateSessionToken(token) : null;
  context.set(authContext, auth);
  const response = await next();
  if (auth?.renewed && token && !response.headers.has("Set-Cookie")) {
    response.headers.append("Set-Cookie", sessionCookie(token, auth.session.expiresAt, isHttps(request)));
  }
  return response;
};
