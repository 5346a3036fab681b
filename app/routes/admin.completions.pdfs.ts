import { Zip, ZipPassThrough } from "fflate";
import { recordAccess } from "#app/audit/audit.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { iterateCompletions, parseCompletionFilter } from "#app/admin/completions.server.ts";
import { findCertificate, verifyUrl } from "#app/certificates/certificates.server.ts";
import { renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import type { Route } from "./+types/admin.completions.pdfs";

/** Every certificate PDF matching the filter, as one zip, streamed. */
export async function loader(args: Route.LoaderArgs) {
  const admin = await requireRole(args, "admin");
  const params = new URL(args.request.url).searchParams;
  const parsed = parseCompletionFilter(params);
  if (!parsed.success) throw new Response(parsed.error.issues[0]!.message, { status: 400 });
  const ids = [...new Set(Array.from(iterateCompletions(parsed.data), (r) => r.certificateId))];
  recordAccess(admin.id, "certificates.downloaded", { count: ids.length, filter: Object.fromEntries(params) });
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        controller.enqueue(chunk);
        if (final) controller.close();
      });
      for (const id of ids) {
        const cert = await findCertificate(id);
        if (!cert) continue;
        const pdf = await renderCertificatePdf(cert.snapshot, { publicId: cert.publicId, verifyUrl: verifyUrl(cert.publicId), status: cert.status });
        // PDFs are already compressed: store them as they are.
        const entry = new ZipPassThrough(`${cert.publicId}.pdf`);
        zip.add(entry);
        entry.push(pdf, true);
      }
      zip.end();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="certificates-${new Date().toISOString().slice(0, 10)}.zip"`, "Cache-Control": "no-store" },
  });
}
