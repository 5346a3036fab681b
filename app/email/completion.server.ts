import { eq } from "drizzle-orm";
import { verifyUrl } from "#app/certificates/certificates.server.ts";
import type { CourseEntry } from "#app/content/load.server.ts";
import type { DB } from "#app/db/client.server.ts";
import { users, type Certificate } from "#app/db/schema.ts";
import { publicOrigin } from "#app/env.server.ts";
import { enqueueEmail } from "./queue.server.ts";
import { courseCompletionEmail } from "./templates.ts";

/**
 * Queues the course-completion email in the transaction that issued the
 * certificate. The row refers to the certificate; its PDF is made when the
 * message is delivered (attachments.server.ts), never stored in the queue.
 */
export function enqueueCompletionEmail(tx: Pick<DB, "select" | "insert">, course: Pick<CourseEntry, "ceBroker">, certificate: Certificate, now: Date): string {
  const s = certificate.snapshot;
  const user = tx.select({ email: users.email }).from(users).where(eq(users.id, certificate.userId)).get()!;
  // The CE Broker roster carries every license on the certificate (admin/completions.server.ts), once the course has a CE Broker number.
  const ceBroker = course.ceBroker && s.licenses.length ? s.licenses.map((l) => `${l.type} ${l.number} (${l.state})`) : null;
  const message = courseCompletionEmail({
    name: s.learnerName,
    courseTitle: s.course.title,
    ceHours: s.ceHours,
    completedOn: s.completedAt.slice(0, 10),
    publicId: certificate.publicId,
    verifyUrl: verifyUrl(certificate.publicId),
    certificatesUrl: `${publicOrigin()}/certificates`,
    ceBroker,
  });
  return enqueueEmail({ to: user.email, template: "course-completed", ...message, attachments: [{ kind: "certificate-pdf", certificateId: certificate.id }] }, tx, now);
}
