import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { requireCourse } from "#app/content/catalog.server.ts";
import { evaluationFields, getCompletionStatus, submitEvaluation } from "#app/progress/completion.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/courses.$courseId.evaluation";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = () => [{ title: "Course evaluation · KAP Academy" }];

const SCALE = ["1 (not at all)", "2", "3", "4", "5 (very much)"];

async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = await requireUser(args);
  const course = await requireCourse(args.params.courseId);
  await requirePrerequisites(args.request, user, course);
  return { user, course };
}

export async function loader(args: Route.LoaderArgs) {
  const { user, course } = await load(args);
  const status = await getCompletionStatus(user.id, course);
  if (status.evaluation) throw redirect(`/courses/${course.id}/complete`);
  return {
    course: { id: course.id, title: course.title },
    ready: status.lessonsDone && status.quizzesPassed,
    fields: evaluationFields(course),
    scale: course.evaluation?.objectiveScale ?? SCALE,
  };
}

export async function action(args: Route.ActionArgs) {
  const { user, course } = await load(args);
  const result = await submitEvaluation(user.id, course, await readForm(args.request));
  if (!result.ok) return data({ errors: result.fieldErrors }, { status: result.status });
  return redirect(`/courses/${course.id}/complete`);
}

export default function EvaluationPage() {
  const { course, ready, fields, scale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const busy = useNavigation().state === "submitting";
  if (!ready) {
    return (
      <div className="narrow">
        <h1>Course evaluation</h1>
        <p className="alert alert--info">The evaluation opens once you have completed every lesson and passed every module quiz.</p>
        <p><Link to={`/courses/${course.id}`}>Back to the course</Link></p>
      </div>
    );
  }
  return (
    <article className="narrow" style={{ maxWidth: 820 }}>
      <h1>Course evaluation</h1>
      <p className="lead">Your answers help us improve {course.title}. They are reported to accreditors only in summary.</p>
      {errors ? (
        <div className="alert alert--error" role="alert">
          <p><strong>Please complete the evaluation:</strong> {Object.values(errors).flat()[0]}</p>
        </div>
      ) : null}
      <Form method="post" className="form card">
        {fields.map((f) =>
          f.kind === "rating" ? (
            <fieldset key={f.name} className="field">
              <legend>{f.prompt}{f.required ? "" : " (optional)"}</legend>
              <div className="rating-scale">
                {scale.map((label, i) => (
                  <label key={label}>
                    <input type="radio" name={f.name} value={i + 1} aria-invalid={errors?.[f.name] ? true : undefined} /> {label}
                  </label>
                ))}
              </div>
              {errors?.[f.name] ? <p className="field__error">{errors[f.name]!.join(" ")}</p> : null}
            </fieldset>
          ) : (
            <div key={f.name} className="field">
              <label htmlFor={`eval-${f.name}`}>{f.prompt}{f.required ? "" : " (optional)"}</label>
              <textarea id={`eval-${f.name}`} name={f.name} rows={3} maxLength={5000} />
              {errors?.[f.name] ? <p className="field__error">{errors[f.name]!.join(" ")}</p> : null}
            </div>
          ),
        )}
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>Submit evaluation</button>
        </div>
      </Form>
    </article>
  );
}
