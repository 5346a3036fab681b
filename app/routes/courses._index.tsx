import { Link, useLoaderData } from "react-router";
import { listCourses } from "#app/content/catalog.server.ts";
import { formatHours } from "#app/content/format.ts";
import type { Route } from "./+types/courses._index";

export const meta: Route.MetaFunction = () => [{ title: "Courses · KAP Academy" }];

export async function loader() {
  const courses = await listCourses();
  return {
    courses: courses.map((c) => ({
      id: c.id,
      title: c.title,
      summary: c.summary,
      level: c.level,
      ceHours: c.ceHours,
      modules: c.modules.length,
      lessons: c.modules.reduce((n, m) => n + m.lessons.filter((l) => !l.draft).length, 0),
    })),
  };
}

export default function Catalog() {
  const { courses } = useLoaderData<typeof loader>();
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
          </li>
        ))}
      </ul>
    </div>
  );
}
