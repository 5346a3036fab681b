import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { createId } from "#app/db/ids.ts";
import { readForm } from "#app/http/forms.server.ts";
import { Thread, threadForPage } from "#app/mentoring/components.tsx";
import { assignmentPath, findAssignment, getThread, submitAssignment } from "#app/mentoring/mentoring.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.$lessonSlug_.assignment";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.assignment.title ?? "Case work"} · KAP Academy` }];

async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = await requireUser(args);
  const { courseId = "", moduleSlug = "", lessonSlug = "" } = args.params;
  const place = await findAssignment(courseId, moduleSlug, lessonSlug, canSeeDrafts(user));
  if (!place) throw new Response("Assignment not found", { status: 404 });
  await requirePrerequisites(args.request, user, place.course);
  return { user, place };
}

/** A learner's own thread only: it is looked up by the signed-in user, never by an id from the address. */
export async function loader(args: Route.LoaderArgs) {
  const { user, place } = await load(args);
  const { course, module, lesson, assignment } = place;
  const thread = getThread(user.id, course.id, module.slug, lesson.slug);
  const last = thread.at(-1);
  return {
    course: { id: course.id, title: course.title },
    lesson: { href: `/courses/${course.id}/${module.slug}/${lesson.slug}`, title: lesson.title },
    assignment: { title: assignment.title, prompt: assignment.prompt, guidance: assignment.guidance ?? null, minWords: assignment.minWords, maxWords: assignment.maxWords, required: assignment.required, rubric: assignment.rubric },
    thread: threadForPage(thread),
    canSubmit: !last || last.status === "revise",
    // One token per rendering of the form: posting the same form twice stores one version.
    token: createId(),
    submitted: Number(new URL(args.request.url).searchParams.get("submitted")) || null,
  };
}

export async function action(args: Route.ActionArgs) {
  const { user, place } = await load(args);
  const form = await readForm(args.request);
  const body = String(form.get("body") ?? "");
  const result = submitAssignment(user.id, place, { body, token: String(form.get("token") ?? "") });
  if (!result.ok) return data({ message: result.message, body }, { status: result.status });
  const { submission } = result;
  return redirect(`${assignmentPath(submission)}?submitted=${submission.version}`, { status: 303 });
}

export default function AssignmentPage({ loaderData }: Route.ComponentProps) {
  const { course, lesson, assignment, thread, canSubmit, token, submitted } = loaderData;
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const last = thread.at(-1);
  return (
    <article className="narrow" style={{ maxWidth: 820 }}>
      <p className="muted"><Link to={`/courses/${course.id}`}>{course.title}</Link> · <Link to={lesson.href}>{lesson.title}</Link></p>
      <h1>{assignment.title}</h1>
      <p className="muted">Case work reviewed by a mentor{assignment.required ? " · required to complete the course" : " · optional"}</p>
      {submitted ? <div className="alert alert--success" role="status"><p>Version {submitted} was submitted. A mentor will review it; you will get an email when they have.</p></div> : null}
      <section className="card" aria-labelledby="prompt-heading">
        <h2 id="prompt-heading" style={{ marginTop: 0 }}>The assignment</h2>
        <p>{assignment.prompt}</p>
        {assignment.guidance ? <p className="muted">{assignment.guidance}</p> : null}
        <h3>How it is judged</h3>
        <ul>
          {assignment.rubric.map((c) => (
            <li key={c.id}><strong>{c.title}</strong> ({c.score.min} to {c.score.max}): {c.description}</li>
          ))}
        </ul>
      </section>
      {thread.length ? (
        <section aria-labelledby="thread-heading">
          <h2 id="thread-heading">Your versions and reviews</h2>
          <Thread items={thread} rubric={assignment.rubric} />
        </section>
      ) : null}
      {last?.status === "approved" ? <div className="alert alert--success" role="status"><p>A mentor judged version {last.version} as meeting the standard.</p></div> : null}
      {last?.status === "submitted" ? <div className="alert alert--info" role="status"><p>Version {last.version} is waiting for a mentor's review.</p></div> : null}
      {canSubmit ? (
        <Form method="post" className="card form" aria-labelledby="write-heading">
          <h2 id="write-heading" style={{ marginTop: 0 }}>{last ? `Write version ${last.version + 1}` : "Write your case formulation"}</h2>
          <div className="alert alert--warning" role="note" id="identifier-warning">
            <p><strong>Do not include identifying client data.</strong> No names, dates of birth or other full dates, phone numbers, email addresses, street addresses or record numbers. Describe the client in general terms (&ldquo;a woman in her 40s&rdquo;, &ldquo;early spring&rdquo;). Text that looks like an identifier is refused and not saved.</p>
          </div>
          {actionData?.message ? <div className="alert alert--error" role="alert" data-testid="submit-error"><p>{actionData.message}</p></div> : null}
          <input type="hidden" name="token" value={token} />
          <div className="field">
            <label htmlFor="assignment-body">Your text ({assignment.minWords} to {assignment.maxWords} words)</label>
            <textarea id="assignment-body" name="body" rows={14} required aria-describedby="identifier-warning" defaultValue={actionData?.body ?? (last?.status === "revise" ? last.body : "")} />
          </div>
          <button type="submit" className="button" disabled={busy}>{last ? "Submit the revision" : "Submit for review"}</button>
        </Form>
      ) : null}
      <p><Link to={lesson.href}>Back to the lesson</Link></p>
    </article>
  );
}
