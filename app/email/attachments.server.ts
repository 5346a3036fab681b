import { findCertificateById, verifyUrl } from "#app/certificates/certificates.server.ts";
import { renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import type { AttachmentRef, MailAttachment } from "./mailer.server.ts";

export type RenderedAttachments = { attachments: MailAttachment[]; notes: string[] };

/**
 * Makes the files a queued message refers to, at delivery: the row holds only a
 * reference, and the document is made from the current record.
 *
 * A certificate revoked or replaced between completion and delivery is not
 * attached: a PDF of a certificate that no longer stands must not go out as if
 * it did. The message is still sent (the completion itself happened, and the
 * learner gets the revocation or reissue notice separately), with a note saying
 * why nothing is attached; its verify link shows the current status.
 */
export async function renderAttachments(refs: AttachmentRef[]): Promise<RenderedAttachments> {
  const attachments: MailAttachment[] = [];
  const notes: string[] = [];
  for (const ref of refs) {
    const certificate = await findCertificateById(ref.certificateId);
    if (!certificate || certificate.status !== "valid") {
      const why = certificate ? `was ${certificate.status} after this email was written` : "no longer exists";
      notes.push(`This certificate ${why}, so its PDF is not attached. Its verification link shows its current status.`);
      continue;
    }
    const bytes = await renderCertificatePdf(certificate.snapshot, { publicId: certificate.publicId, verifyUrl: verifyUrl(certificate.publicId), status: certificate.status });
    attachments.push({ filename: `kap-academy-certificate-${certificate.publicId}.pdf`, contentType: "application/pdf", content: Buffer.from(bytes) });
  }
  return { attachments, notes };
}
