import { getUser } from "#app/auth/guards.server.ts";
import { isLoopback, metricsText } from "#app/http/metrics.server.ts";
import { clientIpContext } from "#app/middleware/context.ts";
import type { Route } from "./+types/metrics";

/**
 * Prometheus metrics, for a scraper on this machine (loopback) or a signed-in
 * admin. Anyone else gets the same 404 as for a page that does not exist, so
 * the endpoint is not advertised.
 */
export async function loader(args: Route.LoaderArgs) {
  const ip = args.context.get(clientIpContext);
  if (!isLoopback(ip) && (await getUser(args))?.role !== "admin") throw new Response("Not found", { status: 404 });
  const { contentType, body } = await metricsText();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
