import { RouterContextProvider } from "react-router";
import { clientIpContext } from "#app/middleware/context.ts";
import { sessionMiddleware } from "#app/middleware/session.server.ts";

/**
 * Calling route loaders and actions directly, as React Router does, with real
 * Requests and the real session middleware in front. Results come back as a
 * uniform { status, headers, data }.
 */
export function formRequest(pathname: string, fields: Record<string, string | string[]>, init: { cookie?: string; method?: string; headers?: Record<string, string> } = {}): Request {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...init.headers };
  if (init.cookie) headers.Cookie = init.cookie;
  return new Request(`http://localhost:3000${pathname}`, { method: init.method ?? "POST", body, headers });
}

export function getRequest(pathname: string, cookie?: string): Request {
  return new Request(`http://localhost:3000${pathname}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export type Outcome<T = unknown> = { status: number; headers: Headers; data: T | undefined };

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataWithInit(v: unknown): v is DataWithInit {
  return typeof v === "object" && v !== null && (v as { type?: string }).type === "DataWithResponseInit";
}

async function normalise(result: unknown): Promise<Outcome> {
  if (result instanceof Response) {
    const json = result.headers.get("Content-Type")?.startsWith("application/json");
    return { status: result.status, headers: result.headers, data: json ? await result.json() : undefined };
  }
  if (isDataWithInit(result)) {
    return { status: result.init?.status ?? 200, headers: new Headers(result.init?.headers), data: result.data };
  }
  return { status: 200, headers: new Headers(), data: result };
}

/** The context a request starts with (the client's address, as the HTTP server saw it). */
export function requestContext(clientIp = "198.51.100.7"): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(clientIpContext, clientIp);
  return context;
}

/** The context a loader or action sees after the session middleware has read the request's cookie. */
export async function signedInContext(request: Request, clientIp?: string): Promise<RouterContextProvider> {
  const context = requestContext(clientIp);
  await sessionMiddleware({ request, context, params: {}, unstable_pattern: "" } as never, async () => new Response(null));
  return context;
}

/** Runs a loader or action after the session middleware; thrown Responses (redirects, 403s) are outcomes too. */
export async function run<T = unknown>(fn: (args: never) => unknown, request: Request, options: { clientIp?: string } = {}, params: Record<string, string> = {}): Promise<Outcome<T>> {
  const context = await signedInContext(request, options.clientIp);
  try {
    const result = await fn({ request, context, params, url: new URL(request.url), pattern: "" } as never);
    return (await normalise(result)) as Outcome<T>;
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return (await normalise(thrown)) as Outcome<T>;
    throw thrown;
  }
}
