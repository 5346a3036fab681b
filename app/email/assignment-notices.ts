/**
 * Notices about mentor-reviewed case work (app/mentoring/): to mentors when a
 * submission arrives, to the learner when it is reviewed. They carry no part of
 * the learner's text and no scores, only where to read them after signing in.
 */
import { escapeHtml, layout } from "./templates.ts";

export function submissionArrivedEmail(p: { mentorName: string; assignmentTitle: string; courseTitle: string; version: number; reviewUrl: string }) {
  const subject = `Case work to review: ${p.assignmentTitle}`;
  const what = p.version > 1 ? `A revised submission (version ${p.version})` : "A new submission";
  const text = `Hello ${p.mentorName},

${what} of "${p.assignmentTitle}" in "${p.courseTitle}" is waiting for review.

Open it (and claim it if you take it on):

${p.reviewUrl}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(p.mentorName)},</p>
<p>${escapeHtml(what)} of &ldquo;${escapeHtml(p.assignmentTitle)}&rdquo; in &ldquo;${escapeHtml(p.courseTitle)}&rdquo; is waiting for review.</p>
<p><a href="${escapeHtml(p.reviewUrl)}">Open it</a> (and claim it if you take it on).</p>`,
  );
  return { subject, text, html };
}

export function submissionReviewedEmail(p: { name: string; assignmentTitle: string; courseTitle: string; version: number; approved: boolean; threadUrl: string }) {
  const subject = p.approved ? `Your case work meets the standard: ${p.assignmentTitle}` : `Your case work needs a revision: ${p.assignmentTitle}`;
  const outcome = p.approved
    ? "A mentor reviewed it and judged that it meets the standard."
    : "A mentor reviewed it and asks you to revise it. Read the comments and submit a new version.";
  const text = `Hello ${p.name},

Version ${p.version} of your "${p.assignmentTitle}" in "${p.courseTitle}" has been reviewed.
${outcome}

Read the review:

${p.threadUrl}

KAP Academy`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(p.name)},</p>
<p>Version ${p.version} of your &ldquo;${escapeHtml(p.assignmentTitle)}&rdquo; in &ldquo;${escapeHtml(p.courseTitle)}&rdquo; has been reviewed. ${escapeHtml(outcome)}</p>
<p><a href="${escapeHtml(p.threadUrl)}">Read the review</a></p>`,
  );
  return { subject, text, html };
}
