import { Link, useLoaderData } from "react-router";
import { getLearnerRecord } from "#app/admin/learner-record.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { STATUS_TEXT } from "#app/transcript/columns.ts";
import { formatHours } from "#app/transcript/period.ts";
import type { Route } from "./+types/admin.learners.$userId";

export const meta: Route.MetaFunction = () => [{ title: "Learner record · Administration · KAP Academy" }];

const OUTCOME_TEXT = { best: "Best (every choice best)", safe: "Safe (no unsafe choice)", unsafe: "Unsafe" } as const;
const REVIEW_TEXT = { approved: "Meets the standard", revise: "Revise" } as const;

const when = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 16) : "–");

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const record = await getLearnerRecord(args.params.userId ?? "");
  if (!record) throw new Response("Learner not found", { status: 404 });
  return record;
}

export default function LearnerRecord() {
  const { user, licenses, courses, certificates, transcript } = useLoaderData<typeof loader>();
  return (
    <article>
      <h2>{user.name}</h2>
      <dl className="details card">
        <dt>Email</dt><dd>{user.email}</dd>
        <dt>Role</dt><dd>{user.role}{user.deactivatedAt ? ` (deactivated ${when(user.deactivatedAt)})` : ""}</dd>
        <dt>Account created</dt><dd>{when(user.createdAt)}</dd>
        <dt>Licenses</dt><dd>{licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ") || "none"}</dd>
      </dl>
      {courses.map((c) => (
        <section key={c.courseId} className="card" aria-labelledby={`course-${c.courseId}`} style={{ marginTop: "1rem" }}>
          <h3 id={`course-${c.courseId}`} style={{ marginTop: 0 }}>{c.title}</h3>
          <p className="muted">
            Enrolled {when(c.enrolledAt)} (content version {c.contentVersion}) · progress {c.percent ?? "?"}% · active time {c.activeMinutes ?? "?"} min
            {c.requiredMinutes !== null ? ` of ${c.requiredMinutes} min required` : ""}
            {c.completion ? ` · completed ${when(c.completion.completedAt)}, ${c.completion.ceHours} CE hours` : ""}
          </p>
          {c.completion && c.timeShortfall ? (
            <p className="alert alert--warning" data-testid="time-flag">
              Completed with {c.timeShortfall.activeMinutes} min of active time, below the {c.timeShortfall.minimumMinutes} min minimum for {c.completion.ceHours} CE hours.
            </p>
          ) : null}
          <h4>Quiz attempts</h4>
          {c.attempts.length === 0 ? <p className="muted">None.</p> : null}
          {c.attempts.map((a) => (
            <details key={a.id} className="attempt" data-testid="learner-attempt">
              <summary>
                {a.moduleSlug}: {a.status === "submitted" ? `${Math.round((a.score ?? 0) * 100)}% ${a.passed ? "passed" : "not passed"}` : "open"} · started {when(a.startedAt)} · quiz version {a.quizVersion.slice(0, 10)} · seed {a.seed}
              </summary>
              <ol>
                {a.questions.map((q) => {
                  const chosen = a.answers?.[q.id] ?? [];
                  return (
                    <li key={q.id}>
                      {q.prompt}
                      <ul>
                        {q.options.map((o) => (
                          <li key={o.id}>
                            {o.text}
                            {chosen.includes(o.id) ? <strong> (chosen)</strong> : null}
                            {q.answer.includes(o.id) ? <span className="muted"> (key)</span> : null}
                          </li>
                        ))}
                      </ul>
                    </li>
                  );
                })}
              </ol>
            </details>
          ))}
          <h4>Evaluation</h4>
          {c.evaluation ? (
            <p>Submitted {when(c.evaluation.submittedAt)}: <code>{JSON.stringify(c.evaluation.responses)}</code></p>
          ) : <p className="muted">Not submitted.</p>}
          <h4>Attestation</h4>
          {c.attestation ? <p>Signed {when(c.attestation.signedAt)} from {c.attestation.ip}: “{c.attestation.statement}”</p> : <p className="muted">Not signed.</p>}
          <h4>Branching cases</h4>
          {c.caseRuns.length === 0 ? <p className="muted">No case runs.</p> : (
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">Case</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Status</th><th scope="col">Outcome</th><th scope="col">Case version</th></tr></thead>
                <tbody>
                  {c.caseRuns.map((r) => (
                    <tr key={r.id} data-testid="learner-case-run">
                      <td>{r.title}</td><td>{when(r.startedAt)}</td><td>{when(r.finishedAt)}</td><td>{r.status}</td>
                      <td>{r.outcome ? OUTCOME_TEXT[r.outcome] : "–"}</td><td><code>{r.caseVersion.slice(0, 10)}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h4>Mentor-reviewed assignments</h4>
          {c.assignments.length === 0 ? <p className="muted">No submissions.</p> : (
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">Assignment</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Submitted</th><th scope="col">Reviewed</th><th scope="col">Outcome</th><th scope="col">Reviewer</th></tr></thead>
                <tbody>
                  {c.assignments.map((a) => (
                    <tr key={a.id} data-testid="learner-assignment">
                      <td>{a.title}</td><td>{a.version}</td><td>{a.status}</td><td>{when(a.submittedAt)}</td><td>{when(a.reviewedAt)}</td>
                      <td>{a.outcome ? REVIEW_TEXT[a.outcome] : "–"}</td><td>{a.reviewerName ?? "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      <section className="card" style={{ marginTop: "1rem" }}>
        <h3 style={{ marginTop: 0 }}>Certificates</h3>
        {certificates.length === 0 ? <p className="muted">None.</p> : (
          <ul>
            {certificates.map((c) => (
              <li key={c.id}>
                <Link to={`/verify/${c.publicId}`}>{c.publicId}</Link> · {c.snapshot.course.title} · {c.status} · issued {when(c.issuedAt)} ·{" "}
                <a href={`/certificates/${c.publicId}/pdf`}>PDF</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" style={{ marginTop: "1rem" }} aria-labelledby="transcript-heading" data-testid="admin-transcript">
        <h3 id="transcript-heading" style={{ marginTop: 0 }}>CE transcript: platform-issued</h3>
        <p className="muted">
          Certificates issued by KAP Academy, all time; revoked and replaced ones are listed and not counted. CE the learner
          recorded from other providers (self-reported) is private to the learner and not shown here.
        </p>
        {transcript.rows.length === 0 ? <p className="muted">No certificates.</p> : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Completed</th><th scope="col">Course</th><th scope="col">Certificate</th><th scope="col">Status</th><th scope="col">Licenses at issue</th><th scope="col">CE hours</th></tr></thead>
              <tbody>
                {transcript.rows.map((r) => (
                  <tr key={r.id} data-testid="admin-transcript-row">
                    <td>{r.date}</td><td>{r.title}</td><td>{r.reference}</td><td>{STATUS_TEXT[r.status]}</td>
                    <td>{r.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ")}</td><td>{formatHours(r.hundredths)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p data-testid="admin-transcript-total"><strong>{formatHours(transcript.totals.platform)} CE hours</strong> on valid certificates.</p>
        {transcript.perLicense.length ? (
          <ul>
            {transcript.perLicense.map((l) => <li key={l.label}>{l.label}: {formatHours(l.platform)} CE hours</li>)}
          </ul>
        ) : null}
      </section>
    </article>
  );
}
