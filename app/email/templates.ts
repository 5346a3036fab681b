/** Email bodies. Plain text first (many clinical inboxes strip HTML); HTML mirrors it. */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f8;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px;border:1px solid #d9e2ec">
<p style="margin:0 0 24px;font-weight:700;color:#1d4e89;font-size:18px">KAP Academy</p>
${bodyHtml}
<p style="margin:32px 0 0;font-size:12px;color:#627d98">KAP Academy · Continuing education in ketamine-assisted psychotherapy for licensed clinicians</p>
</div></body></html>`;
}

export function passwordResetEmail({ name, url, minutes }: { name: string; url: string; minutes: number }) {
  const subject = "Reset your KAP Academy password";
  const text = `Hello ${name},

We received a request to reset the password of your KAP Academy account.
Open this link to choose a new password (it works once, for ${minutes} minutes):

${url}

If you did not ask for this, you can ignore this email: your password stays as it is.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>We received a request to reset the password of your KAP Academy account. The link below works once, for ${minutes} minutes.</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#1d4e89;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p style="font-size:13px;color:#486581">Or paste this address into your browser:<br>${escapeHtml(url)}</p>
<p>If you did not ask for this, you can ignore this email: your password stays as it is.</p>`,
  );
  return { subject, text, html };
}

export function passwordChangedEmail({ name }: { name: string }) {
  const subject = "Your KAP Academy password was changed";
  const text = `Hello ${name},

The password of your KAP Academy account was just changed, and every device was signed out.
If this was not you, reset your password at once and contact your CE administrator.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>The password of your KAP Academy account was just changed, and every device was signed out.</p>
<p>If this was not you, reset your password at once and contact your CE administrator.</p>`,
  );
  return { subject, text, html };
}
