import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import { OUTCOME_LABELS, Thread, threadForPage } from "#app/mentoring/components.tsx";
import { claimSubmission, getSubmissionForMentor, releaseSubmission, reviewSubmission } from "#app/mentoring/mentoring.server.ts";
import type { Route } from "./+types/mentor.$submissionId";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Review: ${data?.assignment.title ?? "case work"} · KAP Academy` }];

/** A submission claimed by another mentor is "not found" here, as an unknown id is: mentors see only what is open or theirs. */
export async function loader(args: Route.LoaderArgs) {
  const mentor = await requireRole(args, ["mentor", "admin"]);
  const view = await getSubmissionForMentor(mentor.id, args.params.submissionId ?? "");
  if (!view) throw new Response("Submission not found", { status: 404 });
  const { submission, learner, place, thread, claimedByName } = view;
  return {
    id: submission.id,
    learnerName: learner.name,
    course: { title: place.course.title },
    lesson: { title: place.lesson.title },
    assignment: { title: place.assignment.title, prompt: place.assignment.prompt, rubric: place.assignment.rubric },
    version: submission.version,
    status: submission.status,
    claimedByMe: submission.claimedBy === mentor.id,
    claimedByName,
    thread: threadForPage(thread.filter((t) => t.version <= submission.version)),
    flash: new URL(args.request.url).searchParams.get("done"),
  };
}

export async function action(args: Route.ActionArgs) {
  const mentor = await requireRole(args, ["mentor", "admin"]);
  const id = args.params.submissionId ?? "";
  const form = await readForm(args.request);
  const intent = form.get("intent");
  const result = intent === "claim" ? claimSubmission(mentor.id, id) : intent === "release" ? releaseSubmission(mentor.id, id) : await reviewSubmission(mentor.id, id, form);
  if (!result.ok) {
    // What the mentor entered goes back to the form, so a refused review is corrected rather than retyped.
    const values = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && (k === "comment" || k === "outcome" || /^(score|comment):/.test(k))).map(([k, v]) => [k, String(v)]));
    return data({ message: result.message, fieldErrors: "fieldErrors" in result ? (result.fieldErrors ?? {}) : {}, values }, { status: result.status });
  }
  if (intent === "release") return redirect("/mentor", { status: 303 });
  return redirect(`/mentor/${id}?done=${intent === "claim" ? "claimed" : "reviewed"}`, { status: 303 });
}

export default function ReviewPage({ loaderData }: Route.ComponentProps) {
  const { learnerName, course, lesson, assignment, version, status, claimedByMe, claimedByName, thread, flash } = loaderData;
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const fieldError = (name: string) => (errors[name] ? <p className="field__error" id={`error-${name.replace(":", "-")}`}>{errors[name]}</p> : null);
  const current = thread.find((t) => t.version === version);
  return (
    <article style={{ maxWidth: 900 }}>
      <p className="muted"><Link to="/mentor">Mentoring queue</Link></p>
      <h1>Review: {assignment.title}</h1>
      <p className="muted">{learnerName} · {course.title} · lesson &ldquo;{lesson.title}&rdquo; · version {version} · {status === "submitted" ? (claimedByMe ? "claimed by you" : claimedByName ? `claimed by ${claimedByName}` : "open") : OUTCOME_LABELS[status]}</p>
      {flash === "claimed" ? <div className="alert alert--success" role="status"><p>Claimed: this submission is now assigned to you.</p></div> : null}
      {flash === "reviewed" ? <div className="alert alert--success" role="status"><p>Review saved. The learner has been told by email.</p></div> : null}
      {actionData?.message ? <div className="alert alert--error" role="alert"><p>{actionData.message}</p></div> : null}
      <section className="card" aria-labelledby="prompt-heading">
        <h2 id="prompt-heading" style={{ marginTop: 0 }}>The assignment</h2>
        <p>{assignment.prompt}</p>
      </section>
      <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">Submission and earlier versions</h2>
        <Thread items={thread} rubric={assignment.rubric} />
      </section>
      {status === "submitted" ? (
        <>
          {!claimedByMe ? (
            <Form method="post" className="actions">
              <button type="submit" name="intent" value="claim" className="button button--secondary" disabled={busy}>Claim this submission</button>
              <span className="muted">Claiming assigns it to you; other mentors no longer see it.</span>
            </Form>
          ) : (
            <Form method="post" className="actions">
              <button type="submit" name="intent" value="release" className="button button--secondary button--small" disabled={busy}>Release to the open queue</button>
            </Form>
          )}
          <Form method="post" className="card form" aria-labelledby="review-heading">
            <h2 id="review-heading" style={{ marginTop: 0 }}>Your review of version {version}</h2>
            <input type="hidden" name="intent" value="review" />
            {assignment.rubric.map((c) => {
              const previous = current?.review?.scores.find((s) => s.criterionId === c.id);
              return (
                <fieldset key={c.id} className="field">
                  <legend><strong>{c.title}</strong></legend>
                  <p className="field__hint" id={`hint-${c.id}`}>{c.description}</p>
                  <label htmlFor={`score-${c.id}`}>Score for {c.title} ({c.score.min} to {c.score.max})</label>
                  {fieldError(`score:${c.id}`)}
                  <select id={`score-${c.id}`} name={`score:${c.id}`} defaultValue={values[`score:${c.id}`] ?? (previous ? String(previous.score) : "")} required aria-invalid={errors[`score:${c.id}`] ? true : undefined} aria-describedby={errors[`score:${c.id}`] ? `error-score-${c.id}` : undefined} style={{ width: "auto" }}>
                    <option value="">Choose a score</option>
                    {Array.from({ length: c.score.max - c.score.min + 1 }, (_, i) => c.score.min + i).map((n) => (
                      <option key={n} value={n}>{n}{c.levels?.[n - c.score.min] ? `: ${c.levels[n - c.score.min]}` : ""}</option>
                    ))}
                  </select>
                  <label htmlFor={`comment-${c.id}`}>Comment on {c.title}</label>
                  {fieldError(`comment:${c.id}`)}
                  <textarea id={`comment-${c.id}`} name={`comment:${c.id}`} rows={3} maxLength={5000} defaultValue={values[`comment:${c.id}`] ?? ""} aria-invalid={errors[`comment:${c.id}`] ? true : undefined} />
                </fieldset>
              );
            })}
            <div className="field">
              <label htmlFor="review-comment">Overall comment for the learner</label>
              {fieldError("comment")}
              <textarea id="review-comment" name="comment" rows={5} required maxLength={5000} defaultValue={values.comment ?? ""} aria-invalid={errors.comment ? true : undefined} aria-describedby={errors.comment ? "error-comment" : undefined} />
            </div>
            <fieldset className="field">
              <legend>Outcome</legend>
              {fieldError("outcome")}
              <label className="quiz-option"><input type="radio" name="outcome" value="approved" required defaultChecked={values.outcome === "approved"} /> Meets the standard</label>
              <label className="quiz-option"><input type="radio" name="outcome" value="revise" defaultChecked={values.outcome === "revise"} /> Revise: ask the learner for a new version</label>
            </fieldset>
            <button type="submit" className="button" disabled={busy}>Save the review</button>
          </Form>
        </>
      ) : null}
    </article>
  );
}
