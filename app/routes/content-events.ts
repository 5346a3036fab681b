import { contentEvents } from "#app/content/catalog.server.ts";
import { getEnv } from "#app/env.server.ts";
import type { Route } from "./+types/content-events";

/** Server-sent events for live reload while authoring (development only). */
export async function loader({ request }: Route.LoaderArgs) {
  if (getEnv().NODE_ENV !== "development") throw new Response("Not found", { status: 404 });
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream({
    start(controller) {
      const send = (event: { version: number; files: string[] }) => {
        controller.enqueue(encoder.encode(`event: change\ndata: ${JSON.stringify(event)}\n\n`));
      };
      const ping = setInterval(() => controller.enqueue(encoder.encode(": ping\n\n")), 25_000);
      contentEvents.on("change", send);
      controller.enqueue(encoder.encode(": connected\n\n"));
      cleanup = () => {
        clearInterval(ping);
        contentEvents.off("change", send);
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" },
  });
}
