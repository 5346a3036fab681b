import fs from "node:fs/promises";
import path from "node:path";
import { findCourse } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/courses.$courseId.assets.$";

const TYPES: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
};

/** Images from a course's assets/ folder; nothing outside it is ever served. */
export async function loader({ params }: Route.LoaderArgs) {
  const course = await findCourse(params.courseId ?? "");
  const rest = params["*"] ?? "";
  const type = TYPES[path.extname(rest).toLowerCase()];
  if (!course || !type) throw new Response("Not found", { status: 404 });
  const base = path.resolve(course.dir, "assets");
  const file = path.resolve(base, rest);
  if (!file.startsWith(base + path.sep)) throw new Response("Not found", { status: 404 });
  try {
    const body = await fs.readFile(file);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": type,
        "Cache-Control": "public, max-age=3600",
        // SVGs are shown as images only, never as documents that run scripts.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      },
    });
  } catch {
    throw new Response("Not found", { status: 404 });
  }
}
