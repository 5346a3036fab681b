import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { requireRole } from "#app/auth/guards.server.ts";
import { certificateStanding, findCertificate, reissueCertificate, revokeCertificate } from "#app/certificates/certificates.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { users } from "#app/db/schema.ts";
import { readForm } from "#app/http/forms.server.ts";
import { eq } from "drizzle-orm";
import type { Route } from "./+types/admin.certificates_.$publicId";

/**
 * One certificate, for an administrator: revoke it or reissue it. Each has its
 * own form, and neither changes anything until a second step (a page of its
 * own, no JavaScript needed) has named the learner, course and id and said what
 * will happen, and the administrator has confirmed it.
 */

export const meta: Route.MetaFunction = ({ params }) => [{ title: `Certificate ${params.publicId ?? ""} · Administration · KAP Academy` }];

async function load(publicId: string) {
  const certificate = await findCertificate(publicId);
  if (!certificate) throw new Response("No certificate has this id.", { status: 404, statusText: "Certificate not found" });
  const learner = getDb().select({ email: users.email }).from(users).where(eq(users.id, certificate.userId)).get()!;
  return { certificate, email: learner.email };
}

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const { certificate: c, email } = await load(args.params.publicId);
  const done = new URL(args.request.url).searchParams.get("done");
  return {
    publicId: c.publicId,
    learnerName: c.snapshot.learnerName,
    email,
    course: c.snapshot.course.title,
    ceHours: c.snapshot.ceHours,
    issuedAt: c.issuedAt.toISOString().slice(0, 10),
    standing: await certificateStanding(c),
    done: done === "revoked" || done === "reissued" ? done : null,
  };
}

const publicReason = z
  .string({ error: "Give the public reason." })
  .trim()
  .min(5, "Give the public reason in a few words; it is shown on the public verification page.")
  .max(300, "Keep the public reason under 300 characters.");
const internalNote = z.string().trim().max(1000, "Keep the internal note under 1,000 characters.").default("");
const reissueReason = z
  .string({ error: "Give the reason for the reissue." })
  .trim()
  .min(5, "Give the reason for the reissue in a few words (for the audit log).")
  .max(500, "Keep the reason under 500 characters.");
const learnerMessage = z
  .string({ error: "Write what the learner is told." })
  .trim()
  .min(5, "Write what the learner is told, in a sentence or two.")
  .max(1000, "Keep the message to the learner under 1,000 characters.");

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("review-revoke"), publicReason, internalNote }),
    z.object({ intent: z.literal("revoke"), publicReason, internalNote, confirmId: z.string().default("") }),
    z.object({ intent: z.literal("review-reissue"), reason: reissueReason, learnerMessage }),
    z.object({ intent: z.literal("reissue"), reason: reissueReason, learnerMessage, confirmId: z.string().default("") }),
  ],
  { error: "Choose revoke or reissue." },
);

type Values = Partial<Record<"publicReason" | "internalNote" | "reason" | "learnerMessage", string>>;
type ActionData = { step: "revoke" | "reissue" | null; confirm: boolean; error: string | null; values: Values };

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const { certificate } = await load(args.params.publicId);
  const form = Object.fromEntries(await readForm(args.request));
  const values: Values = {};
  for (const key of ["publicReason", "internalNote", "reason", "learnerMessage"] as const) if (typeof form[key] === "string") values[key] = form[key];
  const step = String(form.intent ?? "").endsWith("reissue") ? "reissue" : String(form.intent ?? "").endsWith("revoke") ? "revoke" : null;
  const refuse = (error: string) => data<ActionData>({ step, confirm: false, error, values }, { status: 400 });
  const parsed = schema.safeParse(form);
  if (!parsed.success) return refuse(parsed.error.issues[0]!.message);
  if (certificate.status !== "valid") return refuse(`This certificate is already ${certificate.status}; nothing was changed.`);
  const p = parsed.data;
  if (p.intent === "review-revoke" || p.intent === "review-reissue") return data<ActionData>({ step, confirm: true, error: null, values });
  // The final post must come from the confirmation step, which names this certificate.
  if (p.confirmId !== certificate.publicId) return refuse("Confirm on the confirmation step first; nothing was changed.");
  if (p.intent === "revoke") {
    const result = await revokeCertificate(admin.id, certificate.id, { publicReason: p.publicReason, internalNote: p.internalNote });
    if (!result.ok) return refuse(result.message);
    return redirect(`/admin/certificates/${certificate.publicId}?done=revoked`);
  }
  const result = await reissueCertificate(admin.id, certificate.id, { reason: p.reason, learnerMessage: p.learnerMessage });
  if (!result.ok) return refuse(result.message);
  return redirect(`/admin/certificates/${result.certificate.publicId}?done=reissued`);
}

export default function AdminCertificate() {
  const c = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionData | undefined;
  const v = a?.values ?? {};
  const s = c.standing;
  const errorFor = (step: "revoke" | "reissue") => (a?.error && a.step === step ? <p className="field__error" role="alert">{a.error}</p> : null);
  return (
    <section aria-labelledby="certificate-heading">
      <p><Link to="/admin/certificates">← All certificates</Link></p>
      <h2 id="certificate-heading">Certificate {c.publicId}</h2>
      {c.done === "revoked" ? <div className="alert alert--success" role="status"><p>Certificate {c.publicId} revoked. The learner has been emailed.</p></div> : null}
      {c.done === "reissued" ? <div className="alert alert--success" role="status"><p>Reissued as {c.publicId}. The learner has been emailed.</p></div> : null}
      {a?.error && !a.step ? <div className="alert alert--error" role="alert"><p>{a.error}</p></div> : null}
      <div className="card">
        <dl className="details">
          <dt>Learner</dt><dd><bdi>{c.learnerName}</bdi> ({c.email})</dd>
          <dt>Course</dt><dd>{c.course} ({c.ceHours} CE hours)</dd>
          <dt>Issued</dt><dd>{c.issuedAt}</dd>
          <dt>Status</dt>
          <dd data-testid="admin-certificate-status">
            {s.status === "valid" ? "Valid" : s.status === "revoked" ? `Revoked on ${s.revokedAt}` : `Replaced on ${s.replacedAt} by ${s.replacedBy}`}
            {s.replacedBy ? <> · <Link to={`/admin/certificates/${s.replacedBy}`}>{s.replacedBy}</Link></> : null}
          </dd>
          {s.revokedReason ? <><dt>Public reason</dt><dd>{s.revokedReason}</dd></> : null}
          <dt>Public verification page</dt><dd><Link to={`/verify/${c.publicId}`}>/verify/{c.publicId}</Link></dd>
        </dl>
      </div>

      {s.status !== "valid" ? (
        <p className="muted">Only a valid certificate can be revoked or reissued. The audit log holds what was recorded, including any internal note.</p>
      ) : a?.confirm && a.step === "revoke" ? (
        <section className="card" aria-labelledby="confirm-heading" data-testid="confirm-revoke">
          <h3 id="confirm-heading">Confirm: revoke certificate {c.publicId}?</h3>
          <p>
            You are about to revoke the certificate of <strong><bdi>{c.learnerName}</bdi></strong> for <strong>{c.course}</strong> (id <code>{c.publicId}</code>). What happens:
          </p>
          <ul>
            <li>The certificate becomes invalid at once: its verification page says &ldquo;Revoked&rdquo;, and its Open Badge fails verification (the status list marks it).</li>
            <li>Its PDF and Open Badge can no longer be downloaded.</li>
            <li>The learner is emailed with the public reason.</li>
            <li>This cannot be undone; a new certificate would need a new completion.</li>
          </ul>
          <dl className="details">
            <dt>Public reason (shown on the public verification page)</dt><dd>{v.publicReason}</dd>
            <dt>Internal note (audit log only)</dt><dd>{v.internalNote || <span className="muted">none</span>}</dd>
          </dl>
          <Form method="post" className="actions">
            <input type="hidden" name="publicReason" value={v.publicReason ?? ""} />
            <input type="hidden" name="internalNote" value={v.internalNote ?? ""} />
            <input type="hidden" name="confirmId" value={c.publicId} />
            <button type="submit" name="intent" value="revoke" className="button button--danger">Revoke certificate {c.publicId}</button>
            <Link to={`/admin/certificates/${c.publicId}`}>Cancel</Link>
          </Form>
        </section>
      ) : a?.confirm && a.step === "reissue" ? (
        <section className="card" aria-labelledby="confirm-heading" data-testid="confirm-reissue">
          <h3 id="confirm-heading">Confirm: reissue certificate {c.publicId}?</h3>
          <p>
            You are about to reissue the certificate of <strong><bdi>{c.learnerName}</bdi></strong> for <strong>{c.course}</strong> (id <code>{c.publicId}</code>). What happens:
          </p>
          <ul>
            <li>A new certificate with a new id is issued from the learner&apos;s current profile (name and licenses); course, hours and dates stay.</li>
            <li>This certificate shows as replaced by the new one, and its Open Badge no longer verifies as current.</li>
            <li>The learner is emailed the message below with the new certificate&apos;s verification link.</li>
          </ul>
          <dl className="details">
            <dt>Reason (audit log only)</dt><dd>{v.reason}</dd>
            <dt>What the learner is told</dt><dd>{v.learnerMessage}</dd>
          </dl>
          <Form method="post" className="actions">
            <input type="hidden" name="reason" value={v.reason ?? ""} />
            <input type="hidden" name="learnerMessage" value={v.learnerMessage ?? ""} />
            <input type="hidden" name="confirmId" value={c.publicId} />
            <button type="submit" name="intent" value="reissue" className="button">Reissue certificate {c.publicId}</button>
            <Link to={`/admin/certificates/${c.publicId}`}>Cancel</Link>
          </Form>
        </section>
      ) : (
        <div className="grid">
          <section className="card" aria-labelledby="revoke-heading">
            <h3 id="revoke-heading">Revoke</h3>
            <p className="muted">For a certificate that should never have been issued. The next step asks you to confirm.</p>
            <Form method="post" className="form">
              {errorFor("revoke")}
              <div className="field">
                <label htmlFor="publicReason">Public reason (shown on the public verification page)</label>
                <textarea id="publicReason" name="publicReason" required minLength={5} maxLength={300} rows={2} defaultValue={v.publicReason} aria-describedby="publicReason-hint" />
                <p id="publicReason-hint" className="field__hint">Anyone who checks this certificate reads this, and the learner is emailed it.</p>
              </div>
              <div className="field">
                <label htmlFor="internalNote">Internal note (audit log only)</label>
                <textarea id="internalNote" name="internalNote" maxLength={1000} rows={2} defaultValue={v.internalNote} aria-describedby="internalNote-hint" />
                <p id="internalNote-hint" className="field__hint">Never shown publicly and never emailed.</p>
              </div>
              <button type="submit" name="intent" value="review-revoke" className="button button--danger">Review the revocation</button>
            </Form>
          </section>
          <section className="card" aria-labelledby="reissue-heading">
            <h3 id="reissue-heading">Reissue</h3>
            <p className="muted">To correct the learner&apos;s name or licenses: a new certificate from the current profile replaces this one. The next step asks you to confirm.</p>
            <Form method="post" className="form">
              {errorFor("reissue")}
              <div className="field">
                <label htmlFor="reason">Reason (audit log only)</label>
                <textarea id="reason" name="reason" required minLength={5} maxLength={500} rows={2} defaultValue={v.reason} />
              </div>
              <div className="field">
                <label htmlFor="learnerMessage">What the learner is told (emailed)</label>
                <textarea id="learnerMessage" name="learnerMessage" required minLength={5} maxLength={1000} rows={2} defaultValue={v.learnerMessage} />
              </div>
              <button type="submit" name="intent" value="review-reissue" className="button">Review the reissue</button>
            </Form>
          </section>
        </div>
      )}
    </section>
  );
}
