import { Link, useLoaderData } from "react-router";
import { getUser } from "#app/auth/guards.server.ts";
import { listCourses } from "#app/content/catalog.server.ts";
import { prerequisitesFor } from "#app/progress/prerequisites.server.ts";
import { formatHours } from "#app/content/format.ts";
import type { Route } from "./+types/courses._index";

export const meta: Route.MetaFunction = () => [{ title: "Courses · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const courses = await listCourses();
  const user = await getUser(args);
  return {
    signedIn: Boolean(user),
    courses: await Promise.all(courses.map(async (c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      level: c.level,
      ceHours: c.ceHours,
      modules: c.modules.length,
      lessons: c.modules.reduce((n, m) => n + m.lessons.filter((l) => !l.draft).length, 0),
      prerequisites: await prerequisitesFor(user?.id ?? null, c),
    }))),
  };
}

export default function Catalog() {
  const { courses, signedIn } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Courses</h1>
      <p className="lead">Self-paced continuing education for licensed clinicians.</p>
      {courses.length === 0 ? <p className="muted">No courses are published yet.</p> : null}
      <ul className="course-list">
        {courses.map((c) => (
          <li key={c.id} className="card">
            <h2 style={{ marginTop: 0 }}>
              <Link to={`/courses/${c.id}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            <p className="muted">
              {formatHours(c.ceHours)} CE · {c.level} level · {c.modules} modules, {c.lessons} lessons · self-paced home study
            </p>
            {c.prerequisites.length ? (
              <p className="prerequisites">
                <strong>Prerequisite:</strong>{" "}
                {c.prerequisites.map((p, i) => (
                  <span key={p.id}>
                    {i ? ", " : null}
                    <Link to={`/courses/${p.id}`}>{p.title}</Link>
                    {signedIn ? ` (${p.met ? "completed" : "not yet completed"})` : null}
                  </span>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
