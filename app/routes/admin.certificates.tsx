import { Form, Link, useLoaderData } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { searchCertificates } from "#app/certificates/certificates.server.ts";
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

/** The list no longer takes posts: revoke and reissue live on each certificate's page, behind a confirmation. */
export async function action(args: Route.ActionArgs) {
  await requireRole(args, "admin");
  return new Response("Revoke or reissue a certificate from its own page (/admin/certificates/<id>); nothing was changed.", { status: 405, headers: { Allow: "GET", "Content-Type": "text/plain; charset=utf-8" } });
}

export default function AdminCertificates() {
  const { q, rows } = useLoaderData<typeof loader>();
  return (
    <section>
      <Form method="get" className="actions" role="search" style={{ marginBottom: "1rem" }}>
        <label htmlFor="cert-search" className="visually-hidden">Search by name, email or certificate id</label>
        <input id="cert-search" type="search" name="q" defaultValue={q} placeholder="Name, email or certificate id" style={{ maxWidth: 320 }} />
        <button type="submit" className="button button--secondary">Search</button>
      </Form>
      <div className="table-wrap card" style={{ padding: 0 }}>
        <table>
          <thead><tr><th scope="col">Certificate</th><th scope="col">Learner</th><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Revoke or reissue</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="certificate-row">
                <td><Link to={`/verify/${r.publicId}`}>{r.publicId}</Link><br /><span className="muted">{r.issuedAt}</span></td>
                <td>{r.name}<br /><span className="muted">{r.email}</span></td>
                <td>{r.course} ({r.ceHours} h)</td>
                <td>{r.status}</td>
                <td>
                  {/* Revoke and reissue each have their own form and a confirmation step, on the certificate's page. */}
                  <Link to={`/admin/certificates/${r.publicId}`} aria-label={`Manage certificate ${r.publicId}`}>Manage</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
