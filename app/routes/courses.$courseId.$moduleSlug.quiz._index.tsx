import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { publicQuestions } from "#app/quiz/draw.server.ts";
import { answersFromForm, getAttempt, getQuizState, startAttempt, submitAttempt } from "#app/quiz/attempts.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.quiz._index";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Quiz: ${data?.module.title ?? "Module"} · KAP Academy` }];

async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = await requireUser(args);
  const course = await findCourse(args.params.courseId ?? "");
  const module = course?.modules.find((m) => m.slug === args.params.moduleSlug);
  if (!course || !module?.quiz) throw new Response("Quiz not found", { status: 404 });
  await requirePrerequisites(args.request, user, course);
  return { user, course, module, quiz: module.quiz };
}

export async function loader(args: Route.LoaderArgs) {
  const { user, course, module, quiz } = await load(args);
  const state = await getQuizState(user.id, course, module.slug);
  return {
    course: { id: course.id, title: course.title },
    module: { slug: module.slug, title: module.title, number: course.modules.indexOf(module) + 1, covers: Boolean(quiz.covers?.length) },
    passMark: course.passMark,
    questionCount: quiz.draw,
    policy: { showKeys: course.quizPolicy.showKeys, cooldownMinutes: course.quizPolicy.cooldownMinutes, maxAttemptsPer24h: course.quizPolicy.maxAttemptsPer24h },
    state: {
      unlocked: state.unlocked,
      passed: state.passed,
      bestScore: state.bestScore,
      attemptsUsed: state.attemptsUsed,
      maxAttempts: state.maxAttempts,
      canStart: state.canStart,
      blockedReason: state.blockedReason,
    },
    history: state.history.map((a) => ({ id: a.id, score: a.score ?? 0, passed: Boolean(a.passed), submittedAt: a.submittedAt!.toISOString() })),
    // Only prompts and options: the answer key stays on the server until grading.
    open: state.open ? { id: state.open.id, questions: publicQuestions(state.open.questions) } : null,
  };
}

export async function action(args: Route.ActionArgs) {
  const { user, course, module } = await load(args);
  const form = await readForm(args.request);
  const intent = form.get("intent");
  const here = `/courses/${course.id}/${module.slug}/quiz`;
  if (intent === "start") {
    const started = await startAttempt(user.id, course, module.slug);
    if (!started.ok) return data({ message: started.message }, { status: 409 });
    return redirect(here);
  }
  if (intent === "submit") {
    const attemptId = form.get("attemptId");
    if (typeof attemptId !== "string" || !attemptId) return data({ message: "The form is missing its attempt. Reload the page and try again." }, { status: 400 });
    // An attempt is submitted only through its own quiz's address, past that quiz's checks.
    const attempt = await getAttempt(user.id, attemptId);
    if (attempt && (attempt.courseId !== course.id || attempt.moduleSlug !== module.slug)) return data({ message: "That quiz attempt was not found." }, { status: 404 });
    const result = await submitAttempt(user.id, attemptId, answersFromForm(form));
    if (!result.ok) return data({ message: result.message }, { status: result.status });
    return redirect(`${here}/${result.attempt.id}`);
  }
  return data({ message: "Unknown quiz action." }, { status: 400 });
}

export default function QuizPage() {
  const { course, module, passMark, questionCount, state, history, open, policy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <article className="narrow" style={{ maxWidth: 820 }}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/courses/${course.id}`}>{course.title}</Link> <span aria-hidden="true">›</span>{" "}
        <Link to={`/courses/${course.id}/${module.slug}`}>Module {module.number}</Link>
      </nav>
      <h1>Module {module.number} quiz: {module.title}</h1>
      <div className="card">
        <dl className="details">
          <dt>Questions</dt><dd>{questionCount}, drawn from a larger bank; each retake draws again</dd>
          <dt>Pass mark</dt><dd>{Math.round(passMark * 100)}%</dd>
          <dt>Attempts</dt>
          <dd>
            {state.attemptsUsed} used{state.maxAttempts ? ` of ${state.maxAttempts}` : ", retakes allowed"}
            {policy.maxAttemptsPer24h ? `; at most ${policy.maxAttemptsPer24h} in 24 hours` : ""}
            {policy.cooldownMinutes ? `; a retake waits ${policy.cooldownMinutes} minutes` : ""}
          </dd>
          <dt>Feedback</dt>
          <dd>{policy.showKeys === "never" ? "Which questions you missed and the lesson to re-study; the answers are not shown" : "Which questions you missed and the lesson to re-study; the answers once you pass"}</dd>
          {state.bestScore !== null ? <><dt>Best score</dt><dd>{Math.round(state.bestScore * 100)}%{state.passed ? " (passed)" : ""}</dd></> : null}
        </dl>
      </div>
      {actionData?.message ? <div className="alert alert--error" role="alert"><p>{actionData.message}</p></div> : null}

      {open ? (
        <Form method="post" className="quiz-form">
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="attemptId" value={open.id} />
          {open.questions.map((q, i) => (
            <fieldset key={q.id} className="quiz-question">
              <legend>
                {i + 1}. {q.prompt}
                {q.type === "multiple" ? <span className="muted"> (choose all that apply)</span> : null}
              </legend>
              {q.options.map((o) => (
                <label key={o.id} className="quiz-option">
                  <input type={q.type === "multiple" ? "checkbox" : "radio"} name={`q-${q.id}`} value={o.id} /> {o.text}
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit" className="button" disabled={busy}>{busy ? "Submitting…" : "Submit answers"}</button>
        </Form>
      ) : state.canStart ? (
        <Form method="post">
          <input type="hidden" name="intent" value="start" />
          <p>Answer every question, then submit. You can leave and come back: an unfinished attempt is kept.</p>
          <button type="submit" className="button" disabled={busy}>{state.attemptsUsed ? "Retake the quiz" : "Start the quiz"}</button>
        </Form>
      ) : (
        <div className={`alert ${state.passed ? "alert--success" : "alert--info"}`} role="status">
          <p>{state.blockedReason}</p>
          {!state.unlocked ? <p>{module.covers ? <Link to={`/courses/${course.id}`}>Go to the course&apos;s lessons</Link> : <Link to={`/courses/${course.id}/${module.slug}`}>Go to the module&apos;s lessons</Link>}</p> : null}
          {state.passed ? <p><Link to={`/courses/${course.id}`}>Back to the course</Link></p> : null}
        </div>
      )}

      {history.length ? (
        <section className="card" aria-labelledby="history-heading" style={{ marginTop: "1.5rem" }}>
          <h2 id="history-heading" style={{ marginTop: 0 }}>Your attempts</h2>
          <ol>
            {history.map((a) => (
              <li key={a.id}>
                <Link to={a.id}>{Math.round(a.score * 100)}%, {a.passed ? "passed" : "not passed"}</Link>{" "}
                <span className="muted">({a.submittedAt.replace("T", " ").slice(0, 16)} UTC)</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}
