/**
 * What a learner is told when an administrator revokes or reissues one of their
 * certificates. Plain text first, HTML mirrors it (the style of templates.ts).
 * Only what may be public goes in: the public reason or the message meant for
 * the learner, never the administrator's internal note.
 */

import { escapeHtml, layout } from "./templates.ts";

/** Who answers questions about a certificate: its provider, as the certificate names it. */
export type CertificateContact = { name: string; url: string };

const contactText = (c: CertificateContact) => `If you have questions, contact ${c.name}, the provider of this course: ${c.url}`;
const contactHtml = (c: CertificateContact) => `<p>If you have questions, contact ${escapeHtml(c.name)}, the provider of this course: <a href="${escapeHtml(c.url)}">${escapeHtml(c.url)}</a></p>`;

export function certificateRevokedEmail(p: { name: string; courseTitle: string; publicId: string; verifyUrl: string; revokedOn: string; publicReason: string; contact: CertificateContact }) {
  const subject = `Your certificate for ${p.courseTitle} was revoked`;
  const text = `Hello ${p.name},

Your KAP Academy certificate ${p.publicId} for "${p.courseTitle}" was revoked on ${p.revokedOn}.
It is no longer valid, and its verification page now says so:

${p.verifyUrl}

Reason: ${p.publicReason}

This reason is shown on the public verification page.
${contactText(p.contact)}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(p.name)},</p>
<p>Your KAP Academy certificate <strong>${escapeHtml(p.publicId)}</strong> for &ldquo;${escapeHtml(p.courseTitle)}&rdquo; was revoked on ${escapeHtml(p.revokedOn)}. It is no longer valid, and its verification page now says so.</p>
<p><strong>Reason:</strong> ${escapeHtml(p.publicReason)}</p>
<p style="font-size:13px;color:#486581">This reason is shown on the public verification page:<br><a href="${escapeHtml(p.verifyUrl)}">${escapeHtml(p.verifyUrl)}</a></p>
${contactHtml(p.contact)}`,
  );
  return { subject, text, html };
}

export function certificateReissuedEmail(p: {
  name: string;
  courseTitle: string;
  oldPublicId: string;
  newPublicId: string;
  verifyUrl: string;
  message: string;
  contact: CertificateContact;
}) {
  const subject = `Your certificate for ${p.courseTitle} was reissued`;
  const text = `Hello ${p.name},

Your KAP Academy certificate for "${p.courseTitle}" was reissued. The new certificate is ${p.newPublicId};
it replaces ${p.oldPublicId}, which no longer verifies as current.

${p.message}

Download the new certificate from your account. Its verification page:

${p.verifyUrl}

${contactText(p.contact)}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(p.name)},</p>
<p>Your KAP Academy certificate for &ldquo;${escapeHtml(p.courseTitle)}&rdquo; was reissued. The new certificate is <strong>${escapeHtml(p.newPublicId)}</strong>; it replaces ${escapeHtml(p.oldPublicId)}, which no longer verifies as current.</p>
<p>${escapeHtml(p.message)}</p>
<p>Download the new certificate from your account. Its verification page: <a href="${escapeHtml(p.verifyUrl)}">${escapeHtml(p.verifyUrl)}</a></p>
${contactHtml(p.contact)}`,
  );
  return { subject, text, html };
}
