import { redirect } from "react-router";
import { Link, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { getAttempt, getQuizState } from "#app/quiz/attempts.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.quiz.$attemptId";

export const meta: Route.MetaFunction = () => [{ title: "Quiz result · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const course = await findCourse(args.params.courseId ?? "");
  const module = course?.modules.find((m) => m.slug === args.params.moduleSlug);
  const attempt = await getAttempt(user.id, args.params.attemptId ?? "");
  if (!course || !module || !attempt || attempt.courseId !== course.id || attempt.moduleSlug !== module.slug) {
    throw new Response("Attempt not found", { status: 404 });
  }
  const quizUrl = `/courses/${course.id}/${module.slug}/quiz`;
  // An open attempt is never shown with its key: back to the quiz to finish it.
  if (attempt.status !== "submitted") throw redirect(quizUrl);
  const state = await getQuizState(user.id, course, module.slug);
  // Keys and explanations only once the learner has passed this quiz (policy "after-pass"), or
  // never: before that, a result shows which questions were missed and the lesson to re-study.
  const showKey = course.quizPolicy.showKeys === "after-pass" && state.passed;
  // `lesson` names a lesson of this module, or module/lesson for a post-test's items.
  const lessonLink = (ref: string | undefined) => {
    const [moduleSlug, slug] = ref?.includes("/") ? ref.split("/") : [module.slug, ref];
    const home = course.modules.find((m) => m.slug === moduleSlug);
    const lesson = home?.lessons.find((l) => l.slug === slug && !l.draft);
    return home && lesson ? { href: `/courses/${course.id}/${home.slug}/${lesson.slug}`, title: lesson.title } : null;
  };
  const citation = (source: string) => course.references.find((r) => r.id === source)?.citation ?? source;
  const nextModule = course.modules[course.modules.indexOf(module) + 1];
  return {
    course: { id: course.id, title: course.title },
    module: { slug: module.slug, title: module.title, number: course.modules.indexOf(module) + 1 },
    quizUrl,
    next: attempt.passed ? (nextModule ? { href: `/courses/${course.id}/${nextModule.slug}`, label: `Continue to module ${course.modules.indexOf(nextModule) + 1}` } : { href: `/courses/${course.id}/evaluation`, label: "Continue to the course evaluation" }) : null,
    showKey,
    canRetake: state.canStart,
    retakeBlocked: state.canStart ? null : state.blockedReason,
    attempt: {
      score: attempt.score ?? 0,
      passed: Boolean(attempt.passed),
      passMark: attempt.passMark,
      submittedAt: attempt.submittedAt!.toISOString(),
      questions: attempt.questions.map((q) => {
        const result = attempt.results?.find((r) => r.questionId === q.id);
        return {
          id: q.id,
          type: q.type,
          prompt: q.prompt,
          options: q.options.map((o) => ({
            id: o.id,
            text: o.text,
            chosen: result?.chosen.includes(o.id) ?? false,
            key: showKey ? q.answer.includes(o.id) : false,
          })),
          correct: result?.correct ?? false,
          points: result?.points ?? 0,
          explanation: showKey ? q.explanation : null,
          source: showKey ? citation(q.source) : null,
          restudy: result?.correct ? null : lessonLink(q.lesson),
        };
      }),
    },
  };
}

export default function AttemptResult() {
  const { course, module, attempt, quizUrl, next, canRetake, retakeBlocked, showKey } = useLoaderData<typeof loader>();
  const missed = attempt.questions.filter((q) => !q.correct).length;
  return (
    <article className="narrow" style={{ maxWidth: 820 }}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/courses/${course.id}`}>{course.title}</Link> <span aria-hidden="true">›</span> <Link to={quizUrl}>Module {module.number} quiz</Link>
      </nav>
      <h1>Quiz result: {module.title}</h1>
      <div className={`alert ${attempt.passed ? "alert--success" : "alert--warning"}`} role="status">
        <p className="score">{Math.round(attempt.score * 100)}%</p>
        <p>
          {attempt.passed
            ? `Passed (pass mark ${Math.round(attempt.passMark * 100)}%).`
            : `Not passed: the pass mark is ${Math.round(attempt.passMark * 100)}%. You missed ${missed} of ${attempt.questions.length} questions. Re-study the lessons named below, then retake the quiz: a retake draws questions you have not seen first.`}
        </p>
        {!showKey ? <p className="muted">The correct answers are shown once you have passed this quiz.</p> : null}
      </div>
      <p className="actions">
        {next ? <Link to={next.href} className="button">{next.label}</Link> : null}
        {!attempt.passed && canRetake ? <Link to={quizUrl} className="button">Retake the quiz</Link> : null}
        {!attempt.passed && !canRetake && retakeBlocked ? <span className="muted">{retakeBlocked}</span> : null}
      </p>
      {attempt.questions.map((q, i) => (
        <section key={q.id} className="quiz-question" aria-labelledby={`q-${q.id}`} data-testid="result-question">
          <h2 id={`q-${q.id}`} style={{ fontSize: "1.05rem", marginTop: 0 }}>
            {i + 1}. {q.prompt}
          </h2>
          <ul className="steps">
            {q.options.map((o) => (
              <li key={o.id} className={`${o.key ? "quiz-option--key" : ""} ${o.chosen && !q.correct ? "quiz-option--wrong" : ""}`}>
                {o.text}
                {o.chosen ? <strong> (your answer)</strong> : null}
                {o.key ? <span> (correct answer)</span> : null}
              </li>
            ))}
          </ul>
          <p><strong>{q.correct ? "Correct." : q.points > 0 ? `Partly correct (${q.points} point).` : "Incorrect."}</strong> {q.explanation}</p>
          {q.restudy ? <p>Re-study: <Link to={q.restudy.href}>{q.restudy.title}</Link></p> : null}
          {q.source ? <p className="muted">Source: {q.source}</p> : null}
        </section>
      ))}
    </article>
  );
}
