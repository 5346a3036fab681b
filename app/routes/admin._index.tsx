import { Link, useLoaderData } from "react-router";
import { countUsersByRole, recentAudit } from "#app/admin/users.server.ts";
import { listCourses } from "#app/content/catalog.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { mailFailedCount } from "#app/email/queue.server.ts";
import type { Route } from "./+types/admin._index";

export const meta: Route.MetaFunction = () => [{ title: "Administration · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const [roles, audit] = await Promise.all([countUsersByRole(), recentAudit(10)]);
  const courses = (await listCourses()).map((c) => ({ id: c.id, title: c.title }));
  return {
    courses,
    roles,
    failedEmails: mailFailedCount(),
    audit: audit.map((a) => ({ ...a, at: a.at.toISOString() })),
  };
}

export default function AdminOverview() {
  const { roles, audit, courses, failedEmails } = useLoaderData<typeof loader>();
  return (
    <>
      {failedEmails > 0 ? (
        <div className="alert alert--error" role="alert" style={{ marginBottom: "1.25rem" }}>
          <p>
            {failedEmails === 1 ? "1 email" : `${failedEmails} emails`} could not be delivered after every attempt.{" "}
            <Link to="/admin/emails">Review and retry failed emails</Link>
          </p>
        </div>
      ) : null}
      <section className="grid" aria-label="Accounts">
        <div className="card"><p className="muted">Learners</p><p className="stat">{roles.learner}</p></div>
        <div className="card"><p className="muted">Authors</p><p className="stat">{roles.author}</p></div>
        <div className="card"><p className="muted">Administrators</p><p className="stat">{roles.admin}</p></div>
      </section>
      <section className="card" style={{ marginTop: "1.25rem" }}>
        <h2 style={{ marginTop: 0 }}>Course reports</h2>
        <ul>{courses.map((c) => <li key={c.id}><Link to={`/admin/reports/${c.id}`}>{c.title}</Link> · <Link to={`/author/items/${c.id}`}>item analysis</Link></li>)}</ul>
      </section>
      <section className="card" style={{ marginTop: "1.25rem" }}>
        <h2 style={{ marginTop: 0 }}>Recent administrative actions</h2>
        {audit.length === 0 ? (
          <p className="muted">No administrative actions yet. Role changes and certificate actions appear here.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Change</th></tr></thead>
              <tbody>
                {audit.map((a) => (
                  <tr key={a.id}>
                    <td>{a.at.replace("T", " ").slice(0, 19)}</td>
                    <td>{a.actorName ?? "system"}</td>
                    <td>{a.action}</td>
                    <td><code>{a.before ?? "–"}</code> → <code>{a.after ?? "–"}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p><Link to="/admin/users">Manage users and roles</Link></p>
      </section>
    </>
  );
}
