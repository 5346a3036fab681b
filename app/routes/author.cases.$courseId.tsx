import { Link, useLoaderData } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { caseAnalytics } from "#app/cases/analytics.server.ts";
import { RATING_LABELS } from "#app/cases/schema.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/author.cases.$courseId";

export const meta: Route.MetaFunction = () => [{ title: "Case analytics · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, ["author", "admin"]);
  const course = await findCourse(args.params.courseId ?? "");
  if (!course) throw new Response("Course not found", { status: 404 });
  return { course: { id: course.id, title: course.title }, cases: caseAnalytics(course.id) };
}

export default function CaseAnalytics() {
  const { course, cases } = useLoaderData<typeof loader>();
  return (
    <article>
      <h1>Case analytics: {course.title}</h1>
      <p className="lead">
        Per case and case version, from learners&apos; runs: how often each choice was made in each scene (and taken back), where unfinished runs
        stopped, and how often each unsafe choice was taken.
      </p>
      <p><Link to="/author">Back to authoring</Link></p>
      {cases.length === 0 ? <p className="muted">No learner has played a case of this course yet.</p> : null}
      {cases.map((c) => (
        <section key={`${c.moduleSlug}/${c.caseSlug}@${c.version}`} className="card" style={{ marginTop: "1rem" }} aria-labelledby={`case-${c.caseSlug}-${c.version}`} data-testid="case-analytics">
          <h2 id={`case-${c.caseSlug}-${c.version}`} style={{ marginTop: 0 }}>{c.title} <span className="muted">(version <code>{c.version}</code>)</span></h2>
          <p data-testid="case-analytics-summary">
            {c.runs} run{c.runs === 1 ? "" : "s"}, {c.finished} finished: {c.outcomes.best} on the best path, {c.outcomes.safe} safely, {c.outcomes.unsafe} with an unsafe choice.
          </p>
          <h3>Unsafe choices taken</h3>
          {c.unsafe.length ? (
            <ul>{c.unsafe.map((u) => <li key={`${u.sceneId}/${u.choiceId}`} data-testid="case-unsafe-count">{u.text} <span className="muted">({u.sceneId})</span>: {u.count}</li>)}</ul>
          ) : <p className="muted">This case has no unsafe choice.</p>}
          <h3>Choices per scene</h3>
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Scene</th><th scope="col">Choice</th><th scope="col">Rating</th><th scope="col">Chosen</th><th scope="col">Taken back</th></tr></thead>
              {c.scenes.map((s) => (
                <tbody key={s.sceneId}>
                  <tr>
                    <th scope="rowgroup" colSpan={5}>
                      <code>{s.sceneId}</code> · unfinished runs stopped here: <span data-testid={`case-left-${s.sceneId}`}>{s.leftHere}</span>
                    </th>
                  </tr>
                  {s.choices.map((ch) => (
                    <tr key={ch.choiceId} data-testid="case-choice-row" data-choice={`${s.sceneId}/${ch.choiceId}`}>
                      <td><code>{s.sceneId}</code></td>
                      <td>{ch.text}</td>
                      <td>{RATING_LABELS[ch.rating]}</td>
                      <td>{ch.count}</td>
                      <td>{ch.retracted}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </section>
      ))}
    </article>
  );
}
