import { data } from "react-router";
import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { requireRole } from "#app/auth/guards.server.ts";
import { reissueCertificate, revokeCertificate, searchCertificates } from "#app/certificates/certificates.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/admin.certificates";

export const meta: Route.MetaFunction = () => [{ title: "Certificates · Administration · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const q = new URL(args.request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  const rows = await searchCertificates(q);
  return {
    q,
    rows: rows.map(({ certificate: c, email }) => ({
      id: c.id,
      publicId: c.publicId,
      name: c.snapshot.learnerName,
      email,
      course: c.snapshot.course.title,
      ceHours: c.snapshot.ceHours,
      issuedAt: c.issuedAt.toISOString().slice(0, 10),
      status: c.status,
    })),
  };
}

const schema = z.object({
  intent: z.enum(["revoke", "reissue"], { error: "Choose revoke or reissue." }),
  certificateId: z.string().min(1, "Choose a certificate.").max(64),
  reason: z.string({ error: "Give a reason." }).trim().min(5, "Give a reason of at least a few words; it is kept in the audit log.").max(500, "Keep the reason under 500 characters."),
});

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const parsed = schema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ ok: false as const, message: parsed.error.issues[0]!.message }, { status: 400 });
  const { intent, certificateId, reason } = parsed.data;
  const result = intent === "revoke" ? await revokeCertificate(admin.id, certificateId, reason) : await reissueCertificate(admin.id, certificateId, reason);
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: 400 });
  return { ok: true as const, message: intent === "revoke" ? `Certificate ${result.certificate.publicId} revoked.` : `Reissued as ${result.certificate.publicId}.` };
}

export default function AdminCertificates() {
  const { q, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section>
      {actionData ? <div className={`alert ${actionData.ok ? "alert--success" : "alert--error"}`} role={actionData.ok ? "status" : "alert"}><p>{actionData.message}</p></div> : null}
      <Form method="get" className="actions" role="search" style={{ marginBottom: "1rem" }}>
        <label htmlFor="cert-search" className="visually-hidden">Search by name, email or certificate id</label>
        <input id="cert-search" type="search" name="q" defaultValue={q} placeholder="Name, email or certificate id" style={{ maxWidth: 320 }} />
        <button type="submit" className="button button--secondary">Search</button>
      </Form>
      <div className="table-wrap card" style={{ padding: 0 }}>
        <table>
          <thead><tr><th scope="col">Certificate</th><th scope="col">Learner</th><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Correct a record</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="certificate-row">
                <td><Link to={`/verify/${r.publicId}`}>{r.publicId}</Link><br /><span className="muted">{r.issuedAt}</span></td>
                <td>{r.name}<br /><span className="muted">{r.email}</span></td>
                <td>{r.course} ({r.ceHours} h)</td>
                <td>{r.status}</td>
                <td>
                  {r.status === "valid" ? (
                    <Form method="post" className="form">
                      <input type="hidden" name="certificateId" value={r.id} />
                      <label htmlFor={`reason-${r.id}`} className="visually-hidden">Reason for {r.publicId}</label>
                      <input id={`reason-${r.id}`} name="reason" type="text" placeholder="Reason (kept in the audit log)" required minLength={5} />
                      <div className="actions">
                        <button type="submit" name="intent" value="reissue" className="button button--small button--secondary">Reissue</button>
                        <button type="submit" name="intent" value="revoke" className="button button--small button--danger">Revoke</button>
                      </div>
                    </Form>
                  ) : <span className="muted">–</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
