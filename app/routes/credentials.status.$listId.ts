import { createHash } from "node:crypto";
import { getStatusListCredential } from "#app/certificates/status-list.server.ts";
import type { Route } from "./+types/credentials.status.$listId";

/**
 * The signed revocation status list (BitstringStatusListCredential), public:
 * verifiers of our Open Badges fetch it from each credential's
 * `credentialStatus.statusListCredential`. It is signed again whenever a status
 * changed since it was last signed, so no answer is staler than the database;
 * caches may keep it a minute and then revalidate with its ETag.
 */
export async function loader({ params, request }: Route.LoaderArgs) {
  const list = await getStatusListCredential(params.listId);
  if (!list) return new Response("No status list has this id.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = JSON.stringify(list, null, 2);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  const headers = {
    "Content-Type": "application/vc+ld+json; charset=utf-8",
    "Cache-Control": "public, max-age=60, must-revalidate",
    ETag: etag,
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
  };
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*")) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
