import { Link, useLoaderData } from "react-router";
import { itemAnalysis } from "#app/admin/reports.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/author.items.$courseId";

export const meta: Route.MetaFunction = () => [{ title: "Item analysis · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, ["author", "admin"]);
  const course = await findCourse(args.params.courseId ?? "");
  if (!course) throw new Response("Course not found", { status: 404 });
  const modules = await Promise.all(course.modules.filter((m) => m.quiz).map(async (m) => ({ slug: m.slug, title: m.title, items: await itemAnalysis(course.id, m.slug) })));
  return { course: { id: course.id, title: course.title }, modules };
}

const fmt = (n: number | null, digits = 2) => (n === null ? "–" : n.toFixed(digits));

export default function ItemAnalysis() {
  const { course, modules } = useLoaderData<typeof loader>();
  return (
    <article>
      <h1>Item analysis: {course.title}</h1>
      <p className="lead">
        Per question and quiz version: facility <em>p</em> (share answering correctly), discrimination (point-biserial correlation of the
        item with the rest of the score) and how often each option was chosen. Flagged: <em>p</em> &gt; 0.95, <em>p</em> &lt; 0.3, or negative discrimination.
      </p>
      <p><Link to="/author">Back to authoring</Link></p>
      {modules.map((m) => (
        <section key={m.slug} className="card" style={{ marginTop: "1rem" }}>
          <h2 style={{ marginTop: 0 }}>{m.title}</h2>
          {m.items.length === 0 ? <p className="muted">No submitted attempts yet.</p> : (
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">Question</th><th scope="col">Version</th><th scope="col">n</th><th scope="col">p</th><th scope="col">Discrimination</th><th scope="col">Options chosen</th><th scope="col">Flags</th></tr></thead>
                <tbody>
                  {m.items.map((i) => (
                    <tr key={`${i.questionId}@${i.quizVersion}`} data-testid="item-row">
                      <td><code>{i.questionId}</code><br /><span className="muted">{i.prompt}</span></td>
                      <td><code>{i.quizVersion.slice(0, 8)}</code></td>
                      <td>{i.responses}</td>
                      <td>{fmt(i.p)}</td>
                      <td>{fmt(i.discrimination)}</td>
                      <td><ul className="problem-list">{i.options.map((o) => <li key={o.id}>{o.key ? <strong>{o.text} (key)</strong> : o.text}: {o.chosen}</li>)}</ul></td>
                      <td>{i.flags.length ? <span className="badge badge--warnings">{i.flags.join("; ")}</span> : "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </article>
  );
}
