import { Link, useLoaderData } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { getCatalog } from "#app/content/catalog.server.ts";
import { formatProblem, type Problem } from "#app/content/problems.ts";
import { isoToday, REVIEW_WARNING_DAYS, reviewSchedule, type ReviewItem } from "#app/content/review.ts";
import type { Route } from "./+types/author._index";

export const meta: Route.MetaFunction = () => [{ title: "Authoring · KAP Academy" }];

type Status = "ok" | "warnings" | "errors";

function statusOf(problems: Problem[], file: string): { status: Status; messages: string[] } {
  const mine = problems.filter((p) => p.file === file);
  const status: Status = mine.some((p) => p.severity === "error") ? "errors" : mine.length ? "warnings" : "ok";
  return { status, messages: mine.map(formatProblem) };
}

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, ["author", "admin"]);
  const catalog = await getCatalog();
  // Judged today, not when the catalog was built: a server running for weeks still shows what fell due.
  const today = isoToday();
  return {
    today,
    builtAt: catalog.builtAt,
    errors: catalog.problems.filter((p) => p.severity === "error").length,
    warnings: catalog.problems.filter((p) => p.severity === "warning").length,
    problems: catalog.problems.map(formatProblem),
    courses: catalog.courses.map((c) => ({
      id: c.id,
      title: c.title,
      version: c.version,
      ceHours: c.ceHours,
      estimate: c.estimate,
      review: reviewSchedule(c, `${c.dir}/course.yaml`, today),
      modules: c.modules.map((m) => ({
        slug: m.slug,
        title: m.title,
        lessons: m.lessons.map((l) => ({
          slug: l.slug,
          file: l.file,
          title: l.title,
          draft: l.draft,
          words: l.wordCount,
          minutes: l.minutes,
          estimatedMinutes: l.estimatedMinutes,
          hash: l.hash.slice(0, 12),
          ...statusOf(catalog.problems, l.file),
        })),
        quiz: m.quiz ? { ...m.quiz, hash: m.quiz.hash.slice(0, 12), ...statusOf(catalog.problems, m.quiz.file) } : null,
        cases: m.cases.map((k) => ({ slug: k.slug, title: k.title })),
      })),
    })),
  };
}

function dueText(item: ReviewItem): string {
  if (item.state === "overdue") return `Overdue by ${-item.daysLeft} day${item.daysLeft === -1 ? "" : "s"}`;
  if (item.daysLeft === 0) return "Due today";
  return `Due in ${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"}`;
}

/** What falls due within the warning window (or has passed) first; the full schedule folded below. */
function ReviewSchedule({ courseId, items }: { courseId: string; items: ReviewItem[] }) {
  const due = items.filter((i) => i.state !== "scheduled");
  const row = (i: ReviewItem) => (
    <tr key={`${i.kind}-${i.file}-${i.label}`} data-testid={i.state === "scheduled" ? undefined : "review-due"}>
      <td>{i.date}</td>
      <td>{i.label}<br /><code className="muted">{i.file}</code></td>
      <td>{i.recheck ?? <span className="muted">–</span>}</td>
      <td>{i.state === "scheduled" ? "Scheduled" : <span className={`badge badge--${i.state === "overdue" ? "errors" : "warnings"}`}>{dueText(i)}</span>}</td>
    </tr>
  );
  const head = (
    <thead><tr><th scope="col">Review by</th><th scope="col">What</th><th scope="col">What to re-check</th><th scope="col">Status</th></tr></thead>
  );
  return (
    <section aria-labelledby={`review-${courseId}`}>
      <h3 id={`review-${courseId}`}>Due for review</h3>
      {due.length ? (
        <div className="table-wrap"><table>{head}<tbody>{due.map(row)}</tbody></table></div>
      ) : (
        <p className="muted">Nothing is due within {REVIEW_WARNING_DAYS} days.</p>
      )}
      <details>
        <summary>Full review schedule ({items.length} dates)</summary>
        <div className="table-wrap"><table>{head}<tbody>{items.map(row)}</tbody></table></div>
      </details>
    </section>
  );
}

function StatusBadge({ status }: { status: Status }) {
  const label = { ok: "OK", warnings: "Warnings", errors: "Errors" }[status];
  return <span className={`badge badge--${status}`}>{label}</span>;
}

export default function AuthorPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Authoring</h1>
      <p className="lead">
        Every lesson and quiz with its status, and what falls due for review (judged today, {data.today}). Run <code>npm run content:check</code> for the same report in a terminal;
        in <code>npm run dev</code>, saved changes appear here and in open lessons at once.
      </p>
      <p className={`alert ${data.errors ? "alert--error" : data.warnings ? "alert--warning" : "alert--success"}`} role="status">
        {data.errors} error{data.errors === 1 ? "" : "s"}, {data.warnings} warning{data.warnings === 1 ? "" : "s"} · compiled {data.builtAt.replace("T", " ").slice(0, 19)} UTC
      </p>
      {data.courses.map((c) => (
        <section key={c.id} className="card" aria-labelledby={`course-${c.id}`}>
          <h2 id={`course-${c.id}`} style={{ marginTop: 0 }}>
            <Link to={`/courses/${c.id}`}>{c.title}</Link>
          </h2>
          <p>
            <Link to={`/author/items/${c.id}`}>Item analysis (question statistics)</Link>
            {c.modules.some((m) => m.cases.length) ? <> · <Link to={`/author/cases/${c.id}`}>Case analytics (choices per scene)</Link></> : null}
          </p>
          <p className="muted">
            Version <code>{c.version}</code> · declared {c.ceHours} CE hours; the content supports {c.estimate.supportedHours} ({c.estimate.readingMinutes} min
            reading, {c.estimate.activityMinutes} min activities, {c.estimate.quizMinutes} min quizzes, {c.estimate.caseMinutes ? `${c.estimate.caseMinutes} min cases, ` : ""}{c.estimate.evaluationMinutes} min evaluation)
          </p>
          <ReviewSchedule courseId={c.id} items={c.review} />
          <h3>Lessons and quizzes</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Lesson or quiz</th>
                  <th scope="col">Status</th>
                  <th scope="col">Words</th>
                  <th scope="col">Minutes (declared / content)</th>
                  <th scope="col">Content hash</th>
                </tr>
              </thead>
              {c.modules.map((m) => (
                <tbody key={m.slug}>
                  <tr><th scope="rowgroup" colSpan={5}>{m.title}</th></tr>
                  {m.lessons.map((l) => (
                    <tr key={l.slug} data-testid="author-lesson">
                      <td>
                        <Link to={`/courses/${c.id}/${m.slug}/${l.slug}`}>{l.title}</Link>
                        {l.draft ? <span className="badge badge--draft">Draft</span> : null}
                        <br /><code className="muted">{l.file}</code>
                        {l.messages.length ? <ul className="problem-list">{l.messages.map((msg) => <li key={msg}><code>{msg}</code></li>)}</ul> : null}
                      </td>
                      <td><StatusBadge status={l.status} /></td>
                      <td>{l.words}</td>
                      <td>{l.minutes} / {Math.round(l.estimatedMinutes)}</td>
                      <td><code>{l.hash}</code></td>
                    </tr>
                  ))}
                  {m.quiz ? (
                    <tr data-testid="author-quiz">
                      <td>
                        Quiz: {m.quiz.questionCount} questions, {m.quiz.draw} per attempt{m.quiz.trueFalseCount ? `, ${m.quiz.trueFalseCount} true/false` : ""}
                        <br /><code className="muted">{m.quiz.file}</code>
                        {m.quiz.messages.length ? <ul className="problem-list">{m.quiz.messages.map((msg) => <li key={msg}><code>{msg}</code></li>)}</ul> : null}
                      </td>
                      <td><StatusBadge status={m.quiz.status} /></td>
                      <td>–</td>
                      <td>{m.quiz.draw * 1.5}</td>
                      <td><code>{m.quiz.hash}</code></td>
                    </tr>
                  ) : null}
                </tbody>
              ))}
            </table>
          </div>
        </section>
      ))}
      {data.problems.length ? (
        <section className="card">
          <h2 style={{ marginTop: 0 }}>All problems</h2>
          <ul className="problem-list">{data.problems.map((p) => <li key={p}><code>{p}</code></li>)}</ul>
        </section>
      ) : null}
    </div>
  );
}
