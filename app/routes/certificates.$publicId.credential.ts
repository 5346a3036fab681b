import { requireUser } from "#app/auth/guards.server.ts";
import { ensureCredential, findCertificate, unavailableDownload } from "#app/certificates/certificates.server.ts";
import type { Route } from "./+types/certificates.$publicId.credential";

/** The signed Open Badges 3.0 credential (JSON), for wallets and verifiers. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const certificate = await findCertificate(args.params.publicId ?? "");
  if (!certificate || (certificate.userId !== user.id && user.role !== "admin")) throw new Response("Certificate not found", { status: 404 });
  if (certificate.status !== "valid") return unavailableDownload(certificate);
  const credential = await ensureCredential(certificate);
  return new Response(JSON.stringify(credential, null, 2), {
    headers: {
      "Content-Type": "application/vc+ld+json; charset=utf-8",
      "Content-Disposition": `attachment; filename="kap-academy-credential-${certificate.publicId}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
