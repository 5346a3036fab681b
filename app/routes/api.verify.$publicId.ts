import { publicVerification, verifyUrl } from "#app/certificates/certificates.server.ts";
import type { Route } from "./+types/api.verify.$publicId";

/** Verification by id as JSON (public; no email or license number). */
export async function loader({ params }: Route.LoaderArgs) {
  const result = await publicVerification(params.publicId ?? "");
  const body = result.status === "not-found" ? { status: "not-found", id: params.publicId ?? "" } : { ...result, verifyUrl: verifyUrl(result.publicId) };
  return new Response(JSON.stringify(body, null, 2), {
    status: result.status === "not-found" ? 404 : 200,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" },
  });
}
