import { data, Form, Link } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import { mentoringOverview, returnToQueue } from "#app/mentoring/mentoring.server.ts";
import type { Route } from "./+types/admin.mentoring";

export const meta: Route.MetaFunction = () => [{ title: "Mentoring · Administration · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const { turnaround, mentors, waiting } = await mentoringOverview();
  const now = Date.now();
  return {
    turnaround,
    mentors,
    waiting: waiting.map((w) => ({ ...w, submittedAt: w.submittedAt.toISOString(), waitingHours: Math.floor((now - w.submittedAt.getTime()) / 3_600_000) })),
  };
}

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const form = await readForm(args.request);
  const submissionId = form.get("submissionId");
  if (form.get("intent") !== "return" || typeof submissionId !== "string" || !submissionId) return data({ ok: false, message: "Unknown action." }, { status: 400 });
  const result = returnToQueue(admin.id, submissionId);
  return result.ok ? { ok: true, message: result.message } : data({ ok: false, message: result.message }, { status: result.status });
}

export default function AdminMentoring({ loaderData, actionData }: Route.ComponentProps) {
  const { turnaround, mentors, waiting } = loaderData;
  return (
    <section>
      {actionData ? <div className={`alert ${actionData.ok ? "alert--success" : "alert--error"}`} role={actionData.ok ? "status" : "alert"}><p>{actionData.message}</p></div> : null}
      <h2>Turnaround</h2>
      <p className="muted">Time from a submission to its review, per course, over every reviewed submission.</p>
      {turnaround.length ? (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table data-testid="turnaround">
            <thead><tr><th scope="col">Course</th><th scope="col">Reviewed</th><th scope="col">Median (hours)</th><th scope="col">90th percentile (hours)</th></tr></thead>
            <tbody>
              {turnaround.map((t) => (
                <tr key={t.courseId}><th scope="row">{t.courseTitle}</th><td>{t.reviewed}</td><td>{t.medianHours}</td><td>{t.p90Hours}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p className="muted">No submission has been reviewed yet.</p>}
      <h2>Mentors&rsquo; load</h2>
      {mentors.length ? (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table data-testid="mentor-load">
            <thead><tr><th scope="col">Mentor</th><th scope="col">Claimed, waiting</th><th scope="col">Reviewed in the last 30 days</th></tr></thead>
            <tbody>
              {mentors.map((m) => (
                <tr key={m.id}><th scope="row">{m.name}{m.role === "admin" ? <span className="muted"> (admin)</span> : null}</th><td>{m.claimed}</td><td>{m.reviewed30d}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p className="muted">No one has the mentor role. Grant it on <Link to="/admin/users">Users and roles</Link>.</p>}
      <h2>Waiting for review</h2>
      {waiting.length ? (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table data-testid="waiting">
            <thead><tr><th scope="col">Submitted</th><th scope="col">Learner</th><th scope="col">Course</th><th scope="col">Version</th><th scope="col">Claimed by</th></tr></thead>
            <tbody>
              {waiting.map((w) => (
                <tr key={w.id}>
                  <td>{w.submittedAt.slice(0, 16).replace("T", " ")} UTC <span className="muted">({w.waitingHours} h)</span></td>
                  <td>{w.learnerName}</td>
                  <td>{w.courseTitle}</td>
                  <td>{w.version}</td>
                  <td>
                    {w.claimedByName ? (
                      <>
                        {w.claimedByName}{" "}
                        <Form method="post" style={{ display: "inline" }}>
                          <input type="hidden" name="submissionId" value={w.id} />
                          <button type="submit" name="intent" value="return" className="button button--small button--secondary" aria-label={`Return ${w.learnerName}'s version ${w.version} to the open queue`}>Return to the open queue</button>
                        </Form>
                      </>
                    ) : <span className="muted">open</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p className="muted">Nothing is waiting.</p>}
    </section>
  );
}
