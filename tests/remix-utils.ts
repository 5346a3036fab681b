/**
 * Calling route loaders and actions directly, as Remix does, with real
 * Requests. Results come back as a uniform { status, headers, data }.
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

/** Runs a loader or action; thrown Responses (redirects, 403s) are outcomes too. */
export async function run<T = unknown>(fn: (args: never) => unknown, request: Request, context: Record<string, unknown> = { clientIp: "198.51.100.7" }, params: Record<string, string> = {}): Promise<Outcome<T>> {
  try {
    return (await normalise(await fn({ request, context, params } as never))) as Outcome<T>;
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return (await normalise(thrown)) as Outcome<T>;
    throw thrown;
  }
}
