/** Email bodies. Plain text first (many clinical inboxes strip HTML); HTML mirrors it. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The shared frame of every email's HTML part. */
export function layout(title: string, bodyHtml: string): string {
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

const button = (url: string, label: string) =>
  `<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#1d4e89;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>`;

export type SupportContact = { name: string; url: string; address: string };

function supportText(support: SupportContact[], origin: string): string {
  if (!support.length) return `Questions about your account or a course: contact your CE administrator (${origin}).`;
  return `Questions about your account or a course: contact ${support.map((s) => `${s.name}, ${s.url} (${s.address})`).join("; or ")}. Replies to this email are not read.`;
}

function supportHtml(support: SupportContact[], origin: string): string {
  if (!support.length) return `<p>Questions about your account or a course: contact your CE administrator (<a href="${escapeHtml(origin)}">${escapeHtml(origin)}</a>).</p>`;
  const who = support.map((s) => `${escapeHtml(s.name)}, <a href="${escapeHtml(s.url)}">${escapeHtml(s.url)}</a> (${escapeHtml(s.address)})`).join("; or ");
  return `<p>Questions about your account or a course: contact ${who}. Replies to this email are not read.</p>`;
}

/**
 * Sent once, when a learner confirms their sign-up: what the platform is, where
 * to start, and the CE rules that decide whether a course earns credit, so no
 * one learns them at the attestation page.
 */
export function welcomeEmail({ name, origin, support }: { name: string; origin: string; support: SupportContact[] }) {
  const subject = "Welcome to KAP Academy";
  const catalog = `${origin}/courses`;
  const dashboard = `${origin}/dashboard`;
  const text = `Hello ${name},

Your KAP Academy account is ready. KAP Academy offers continuing-education (CE) courses in ketamine-assisted psychotherapy for licensed clinicians.

How to start:
- Browse the course catalog and enroll: ${catalog}
- Your dashboard shows your courses, progress and certificates: ${dashboard}

How a course earns CE credit:
- Time on task: each course needs a minimum of active time on its lessons. Time counts while a lesson is open and you are active on it.
- Quizzes: pass the quiz at the end of each module.
- Evaluation: complete the course evaluation.
- Attestation: confirm that you did all of the work yourself. Your certificate is issued then, with a link anyone can use to verify it.
- Reporting: unless a course says it reports to CE Broker for you, you report your credits to your licensing board yourself.

${supportText(support, origin)}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(name)},</p>
<p>Your KAP Academy account is ready. KAP Academy offers continuing-education (CE) courses in ketamine-assisted psychotherapy for licensed clinicians.</p>
<h2 style="font-size:16px;margin:24px 0 8px">How to start</h2>
${button(catalog, "Browse the course catalog")}
<p>Your <a href="${escapeHtml(dashboard)}">dashboard</a> shows your courses, progress and certificates.</p>
<h2 style="font-size:16px;margin:24px 0 8px">How a course earns CE credit</h2>
<ul>
<li><strong>Time on task:</strong> each course needs a minimum of active time on its lessons. Time counts while a lesson is open and you are active on it.</li>
<li><strong>Quizzes:</strong> pass the quiz at the end of each module.</li>
<li><strong>Evaluation:</strong> complete the course evaluation.</li>
<li><strong>Attestation:</strong> confirm that you did all of the work yourself. Your certificate is issued then, with a link anyone can use to verify it.</li>
<li><strong>Reporting:</strong> unless a course says it reports to CE Broker for you, you report your credits to your licensing board yourself.</li>
</ul>
${supportHtml(support, origin)}`,
  );
  return { subject, text, html };
}

export type CompletionEmailInput = {
  name: string;
  courseTitle: string;
  ceHours: number;
  /** YYYY-MM-DD (UTC), as on the certificate. */
  completedOn: string;
  publicId: string;
  verifyUrl: string;
  certificatesUrl: string;
  /** Licenses the provider reports to CE Broker for this course ("LPC 123 (FL)"), or null when the course is not reported there. */
  ceBroker: string[] | null;
};

/** Sent when a course is completed; the certificate PDF is attached at delivery (queue.server.ts). */
export function courseCompletionEmail(c: CompletionEmailInput) {
  const subject = `Your KAP Academy certificate: ${c.courseTitle}`;
  const hours = `${c.ceHours} CE ${c.ceHours === 1 ? "hour" : "hours"}`;
  const reportText = c.ceBroker?.length
    ? `Reporting: KAP Academy reports this completion to CE Broker for ${c.ceBroker.join(", ")}; check your CE Broker account within 30 days. For any other license or board, report the credits yourself.`
    : "Reporting: KAP Academy does not report this completion to your board. Report the credits to your licensing board yourself, as it requires, and keep this certificate.";
  const text = `Hello ${c.name},

Congratulations: you completed "${c.courseTitle}" on ${c.completedOn} and earned ${hours}.

Certificate ID: ${c.publicId}
Verify it (anyone you give this link to can check it): ${c.verifyUrl}
Your certificate is attached as a PDF; it can also be downloaded at any time: ${c.certificatesUrl}

${reportText}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(c.name)},</p>
<p>Congratulations: you completed <strong>${escapeHtml(c.courseTitle)}</strong> on ${escapeHtml(c.completedOn)} and earned <strong>${escapeHtml(hours)}</strong>.</p>
<table style="border-collapse:collapse;margin:0 0 16px">
<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">Certificate ID</th><td style="font-family:monospace">${escapeHtml(c.publicId)}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">CE hours</th><td>${escapeHtml(String(c.ceHours))}</td></tr>
<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0">Completed</th><td>${escapeHtml(c.completedOn)}</td></tr>
</table>
${button(c.verifyUrl, "Verify this certificate")}
<p style="font-size:13px;color:#486581">Verification link (anyone you give it to can check the certificate):<br>${escapeHtml(c.verifyUrl)}</p>
<p>Your certificate is attached as a PDF; you can also <a href="${escapeHtml(c.certificatesUrl)}">download it at any time</a>.</p>
<p>${escapeHtml(reportText)}</p>`,
  );
  return { subject, text, html };
}
