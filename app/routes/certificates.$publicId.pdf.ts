import { requireUser } from "#app/auth/guards.server.ts";
import { findCertificate, unavailableDownload, verifyUrl } from "#app/certificates/certificates.server.ts";
import { renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import type { Route } from "./+types/certificates.$publicId.pdf";

/** The certificate PDF, for its learner and for admins; generated on each request from the snapshot. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const certificate = await findCertificate(args.params.publicId ?? "");
  if (!certificate || (certificate.userId !== user.id && user.role !== "admin")) throw new Response("Certificate not found", { status: 404 });
  // A revoked or replaced certificate is gone as a document: 410 says so and why.
  if (certificate.status !== "valid") return unavailableDownload(certificate);
  const bytes = await renderCertificatePdf(certificate.snapshot, { publicId: certificate.publicId, verifyUrl: verifyUrl(certificate.publicId), status: certificate.status });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="kap-academy-certificate-${certificate.publicId}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
