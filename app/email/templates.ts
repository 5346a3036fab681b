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

export function confirmSignupEmail({ name, url, hours }: { name: string; url: string; hours: number }) {
  const subject = "Confirm your KAP Academy account";
  const text = `Hello ${name},

Someone, most likely you, asked to create a KAP Academy account with this email address.
Open this link to confirm it and sign in (it works once, for ${hours} hours):

${url}

If you did not ask for this, ignore this email: no account is created.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>Someone, most likely you, asked to create a KAP Academy account with this email address. The link below confirms it and signs you in; it works once, for ${hours} hours.</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#1d4e89;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Confirm my account</a></p>
<p style="font-size:13px;color:#486581">Or paste this address into your browser:<br>${escapeHtml(url)}</p>
<p>If you did not ask for this, ignore this email: no account is created.</p>`,
  );
  return { subject, text, html };
}

export function signupExistingEmail({ name, loginUrl, resetUrl }: { name: string; loginUrl: string; resetUrl: string }) {
  const subject = "Someone tried to create a KAP Academy account with your email";
  const text = `Hello ${name},

Someone just tried to create a new KAP Academy account with this email address, which already has an account. Nothing was changed.

If it was you, sign in: ${loginUrl}
Forgot your password? Choose a new one: ${resetUrl}

If it was not you, you can ignore this email.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>Someone just tried to create a new KAP Academy account with this email address, which already has an account. Nothing was changed.</p>
<p>If it was you, <a href="${escapeHtml(loginUrl)}">sign in</a>. Forgot your password? <a href="${escapeHtml(resetUrl)}">Choose a new one</a>.</p>
<p>If it was not you, you can ignore this email.</p>`,
  );
  return { subject, text, html };
}

export function passwordResetNoAccountEmail({ email, signupUrl }: { email: string; signupUrl: string }) {
  const subject = "KAP Academy password reset";
  const text = `Hello,

Someone asked to reset the KAP Academy password for ${email}, but no account uses this address.
If it was you, perhaps you signed up with another address. You can also create an account: ${signupUrl}

If it was not you, you can ignore this email.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello,</p>
<p>Someone asked to reset the KAP Academy password for ${escapeHtml(email)}, but no account uses this address.</p>
<p>If it was you, perhaps you signed up with another address. You can also <a href="${escapeHtml(signupUrl)}">create an account</a>.</p>
<p>If it was not you, you can ignore this email.</p>`,
  );
  return { subject, text, html };
}

export function passwordResetClosedEmail({ name }: { name: string }) {
  const subject = "KAP Academy password reset";
  const text = `Hello ${name},

Someone asked to reset the password of your KAP Academy account, but the account is closed, so no reset link was made.
To reopen it, contact your CE administrator. Your completions and certificates are kept and stay verifiable.

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>Someone asked to reset the password of your KAP Academy account, but the account is closed, so no reset link was made.</p>
<p>To reopen it, contact your CE administrator. Your completions and certificates are kept and stay verifiable.</p>`,
  );
  return { subject, text, html };
}
