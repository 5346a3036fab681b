import { Link, useLoaderData } from "react-router";
import { courseReport } from "#app/admin/reports.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/admin.reports.$courseId";

export const meta: Route.MetaFunction = () => [{ title: "Course report · Administration · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const course = await findCourse(args.params.courseId ?? "");
  if (!course) throw new Response("Course not found", { status: 404 });
  return { course: { id: course.id, title: course.title }, report: await courseReport(course) };
}

function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  const width = max ? Math.round((value / max) * 100) : 0;
  return (
    <div className="bar" role="img" aria-label={`${label}: ${value}`}>
      <div className="bar__fill" style={{ width: `${width}%` }} />
      <span className="bar__value">{value}</span>
    </div>
  );
}

export default function CourseReport() {
  const { course, report } = useLoaderData<typeof loader>();
  return (
    <article>
      <h2>{course.title}</h2>
      <p><Link to={`/author/items/${course.id}`}>Item analysis for this course&apos;s quizzes</Link></p>
      <section className="grid" aria-label="Learners">
        <div className="card"><p className="muted">Enrolled</p><p className="stat" data-testid="report-enrolled">{report.enrolled}</p></div>
        <div className="card"><p className="muted">In progress</p><p className="stat">{report.inProgress}</p></div>
        <div className="card"><p className="muted">Completed</p><p className="stat" data-testid="report-completed">{report.completed}</p></div>
      </section>
      <section className="card" style={{ marginTop: "1rem" }}>
        <h3 style={{ marginTop: 0 }}>Completion funnel by module</h3>
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Module</th><th scope="col">Finished lessons</th><th scope="col">Passed quiz</th><th scope="col">Quiz pass rate</th></tr></thead>
            <tbody>
              {report.funnel.map((m) => (
                <tr key={m.slug}>
                  <td>{m.title}</td>
                  <td><Bar value={m.lessonsDone} max={report.enrolled} label={`${m.title} lessons finished`} /></td>
                  <td><Bar value={m.quizPassed} max={report.enrolled} label={`${m.title} quiz passed`} /></td>
                  <td>{m.passRate === null ? "–" : `${Math.round(m.passRate * 100)}% of ${m.attempts} attempts`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" style={{ marginTop: "1rem" }}>
        <h3 style={{ marginTop: 0 }}>Median active time per lesson</h3>
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Lesson</th><th scope="col">Completed by</th><th scope="col">Median active minutes</th></tr></thead>
            <tbody>
              {report.funnel.flatMap((m) => m.lessons.map((l) => (
                <tr key={`${m.slug}/${l.slug}`}><td>{m.title}: {l.title}</td><td>{l.completed}</td><td>{l.medianActiveMinutes === null ? "–" : l.medianActiveMinutes.toFixed(1)}</td></tr>
              )))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" style={{ marginTop: "1rem" }}>
        <h3 style={{ marginTop: 0 }}>Evaluation summary ({report.evaluations} responses)</h3>
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Question</th><th scope="col">Mean (1–5)</th><th scope="col">Distribution (1 → 5)</th></tr></thead>
            <tbody>
              {report.ratings.map((r) => (
                <tr key={r.id}>
                  <td>{r.kind === "objective" ? "Objective met: " : r.kind.startsWith("apa") ? "APA: " : ""}{r.prompt}</td>
                  <td>{r.mean === null ? "–" : r.mean.toFixed(2)}</td>
                  <td>{r.counts.map((c, i) => <Bar key={i} value={c} max={Math.max(1, ...r.counts)} label={`${i + 1}`} />)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {report.comments.map((c) => (
          <div key={c.id}>
            <h4>{c.prompt}</h4>
            {c.answers.length ? <ul>{c.answers.map((a, i) => <li key={i}>{a}</li>)}</ul> : <p className="muted">No answers yet.</p>}
          </div>
        ))}
      </section>
    </article>
  );
}
