import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { clientIp, requireUser } from "#app/auth/guards.server.ts";
import { requireCourse } from "#app/content/catalog.server.ts";
import { formatDuration } from "#app/content/format.ts";
import { ATTESTATION_STATEMENT, attestAndComplete, getCompletionStatus } from "#app/progress/completion.server.ts";
import { listCertificates } from "#app/certificates/certificates.server.ts";
import { scorePercent } from "#app/certificates/score.ts";
import { readForm } from "#app/http/forms.server.ts";
import { AssignmentStep } from "#app/mentoring/components.tsx";
import type { Route } from "./+types/courses.$courseId.complete";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";
import { courseHasCases } from "#app/cases/time.server.ts";

export const meta: Route.MetaFunction = () => [{ title: "Complete the course · KAP Academy" }];

async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = await requireUser(args);
  const course = await requireCourse(args.params.courseId);
  await requirePrerequisites(args.request, user, course);
  return { user, course };
}

export async function loader(args: Route.LoaderArgs) {
  const { user, course } = await load(args);
  const status = await getCompletionStatus(user.id, course);
  const certificate = (await listCertificates(user.id)).find((c) => c.courseId === course.id && c.status === "valid");
  return {
    certificate: certificate ? { publicId: certificate.publicId } : null,
    // The hours this learner's completion credits (those offered when they enrolled, at most today's).
    course: { id: course.id, title: course.title, ceHours: status.ceHours },
    name: user.name,
    statement: ATTESTATION_STATEMENT,
    steps: {
      lessons: status.lessonsDone,
      quizzes: status.quizzesPassed,
      evaluation: Boolean(status.evaluation),
      attestation: Boolean(status.attestation),
      time: status.time.met,
      assignments: status.assignments.missing.length === 0,
      cases: status.cases.met,
    },
    assignments: status.assignments,
    cases: { required: status.cases.required, missing: status.cases.missing },
    time: { withCases: courseHasCases(course), inCases: formatDuration(status.time.caseSeconds), active: formatDuration(status.time.activeSeconds), required: formatDuration(status.time.requiredSeconds), missing: formatDuration(Math.max(0, status.time.requiredSeconds - status.time.activeSeconds)) },
    completion: status.completion
      ? { completedAt: status.completion.completedAt.toISOString(), ceHours: status.completion.ceHours, score: status.completion.postTestScore, version: status.completion.contentVersion }
      : null,
  };
}

export async function action(args: Route.ActionArgs) {
  const { user, course } = await load(args);
  const form = await readForm(args.request);
  const result = await attestAndComplete(user.id, course, {
    confirmed: form.get("confirm") === "yes",
    ip: clientIp(args),
    userAgent: args.request.headers.get("User-Agent"),
  });
  if (!result.ok) return data({ message: result.message }, { status: result.status });
  return redirect(`/courses/${course.id}/complete`);
}

export default function CompletePage() {
  const { course, name, statement, steps, completion, certificate, time, assignments, cases } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <article className="narrow" style={{ maxWidth: 760 }}>
      <h1>{completion ? "Course complete" : "Finish the course"}</h1>
      <p className="lead">{course.title}</p>
      {completion ? (
        <div className="alert alert--success" role="status">
          <p>
            <strong>Congratulations, {name}.</strong> You completed this course on {completion.completedAt.slice(0, 10)} and earned{" "}
            {completion.ceHours} CE hours, with an average post-test score of {scorePercent(completion.score)}%.
          </p>
          {certificate ? (
            <p className="actions">
              <Link to={`/certificates/${certificate.publicId}`} className="button">View your certificate</Link>
              <a href={`/certificates/${certificate.publicId}/pdf`} className="button button--secondary" download>Download PDF</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <section className="card" aria-labelledby="steps-heading">
        <h2 id="steps-heading" style={{ marginTop: 0 }}>Requirements</h2>
        <ul className="steps">
          <li className={steps.lessons ? "done" : ""}>Every lesson completed</li>
          <li className={steps.quizzes ? "done" : ""}>Every module quiz passed</li>
          <li className={steps.time ? "done" : ""} data-testid="time-requirement">
            At least {time.required} of active time on the lessons{time.withCases ? " and cases" : ""}: you have {time.active}
            {time.withCases ? ` (${time.inCases} in cases)` : ""}
            {steps.time ? "." : `; ${time.missing} still needed. Time is counted while a lesson is open and you are active on it${time.withCases ? ", and between your choices in a case, up to the time one play-through supports" : ""}.`}
          </li>
          <li className={steps.evaluation ? "done" : ""}>
            Course evaluation submitted {!steps.evaluation && steps.lessons && steps.quizzes ? <Link to={`/courses/${course.id}/evaluation`}>(open the evaluation)</Link> : null}
          </li>
          {assignments.required ? <AssignmentStep requirement={assignments} /> : null}
          {cases.required !== "none" ? (
            <li className={steps.cases ? "done" : ""} data-testid="case-requirement">
              Every case finished{cases.required === "finished-safely" ? " without an unsafe choice" : ""}
              {cases.missing.length ? (
                <>
                  ; still to do:{" "}
                  {cases.missing.map((m, i) => (
                    <span key={m.href}>{i ? ", " : ""}<Link to={m.href}>{m.title}</Link></span>
                  ))}
                </>
              ) : "."}
            </li>
          ) : null}
          <li className={steps.attestation ? "done" : ""}>Attestation signed</li>
        </ul>
      </section>
      {!completion && steps.evaluation && !steps.time ? (
        <div className="alert alert--info" role="status">
          <p>You can sign the attestation once you have {time.missing} more active time on the lessons. Revisit the lessons you went through quickly.</p>
        </div>
      ) : null}
      {!completion && steps.evaluation && steps.time && !steps.assignments ? <div className="alert alert--info" role="status"><p>{assignments.message}</p></div> : null}
      {!completion && steps.evaluation && steps.time && !steps.cases ? (
        <div className="alert alert--info" role="status">
          <p>You can sign the attestation once every case in the requirements above is finished{cases.required === "finished-safely" ? " without an unsafe choice (start a new run of a case to try again)" : ""}.</p>
        </div>
      ) : null}
      {!completion && steps.evaluation && steps.time && steps.assignments && steps.cases ? (
        <Form method="post" className="card form">
          <h2 style={{ marginTop: 0 }}>Attestation</h2>
          {actionData?.message ? <div className="alert alert--error" role="alert"><p>{actionData.message}</p></div> : null}
          <label className="quiz-option">
            <input type="checkbox" name="confirm" value="yes" required /> {statement}
          </label>
          <p className="muted">Signed as {name}. The time and your network address are recorded with your attestation.</p>
          <button type="submit" className="button" disabled={busy}>Sign and complete the course</button>
        </Form>
      ) : null}
      {!completion && !steps.evaluation && actionData?.message ? <div className="alert alert--error" role="alert"><p>{actionData.message}</p></div> : null}
      <p><Link to="/dashboard">Go to your dashboard</Link></p>
    </article>
  );
}
