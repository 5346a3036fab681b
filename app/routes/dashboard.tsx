import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAccount } from "#app/auth/accounts.server.ts";
import { requireUser } from "#app/auth/guards.server.ts";
import { listCourses } from "#app/content/catalog.server.ts";

export const meta: MetaFunction = () => [{ title: "Dashboard · KAP Academy" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const account = await getAccount(user.id);
  if (!account) throw new Response("Account not found", { status: 404 });
  const courses = await listCourses();
  return {
    courses: courses.map((c) => ({ id: c.id, title: c.title, ceHours: c.ceHours })),
    name: account.name,
    role: account.role,
    licenses: account.licenses.map((l) => ({ id: l.id, type: l.type, number: l.number, state: l.state })),
  };
}

export default function Dashboard() {
  const { name, role, licenses, courses } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Welcome, {name}</h1>
      <p className="lead">Your courses, progress and CE certificates are collected here.</p>
      <div className="grid">
        <section className="card" aria-labelledby="courses-heading">
          <h2 id="courses-heading" style={{ marginTop: 0 }}>Your courses</h2>
          {courses.length ? (
            <ul>
              {courses.map((c) => (
                <li key={c.id}>
                  <Link to={`/courses/${c.id}`}>{c.title}</Link> <span className="muted">({c.ceHours} CE hours)</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No courses are published yet.</p>
          )}
        </section>
        <section className="card" aria-labelledby="licenses-heading">
          <h2 id="licenses-heading" style={{ marginTop: 0 }}>Licenses on your certificates</h2>
          {licenses.length ? (
            <ul>
              {licenses.map((l) => (
                <li key={l.id}>{l.type} {l.number}, {l.state}</li>
              ))}
            </ul>
          ) : (
            <p className="alert alert--warning">Add your license before you complete a course, so your certificate can show it.</p>
          )}
          <p><Link to="/account">Edit your profile and licenses</Link></p>
        </section>
        {role === "admin" ? (
          <section className="card" aria-labelledby="admin-heading">
            <h2 id="admin-heading" style={{ marginTop: 0 }}>Administration</h2>
            <p>Manage users and roles, and review administrative actions.</p>
            <p><Link to="/admin" className="button">Open administration</Link></p>
          </section>
        ) : null}
      </div>
    </div>
  );
}
