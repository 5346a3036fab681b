import type { CriterionScore } from "#app/db/schema.ts";
import type { ThreadEntry } from "./mentoring.server.ts";
import { Link } from "react-router";

/** The attestation page's line for required case work, with links to what is missing. */
export function AssignmentStep({ requirement }: { requirement: { required: number; missing: Array<{ title: string; href: string }> } }) {
  const done = requirement.missing.length === 0;
  return (
    <li className={done ? "done" : ""} data-testid="assignment-requirement">
      Case work judged by a mentor as meeting the standard
      {done ? "." : (
        <>
          : still needed for{" "}
          {requirement.missing.map((a, i) => (
            <span key={a.href}>{i ? ", " : ""}<Link to={a.href}>{a.title}</Link></span>
          ))}
        </>
      )}
    </li>
  );
}

export type RubricCriterion = { id: string; title: string; description: string; score: { min: number; max: number }; levels?: string[] };

export type ThreadItem = {
  id: string;
  version: number;
  body: string;
  wordCount: number;
  status: "submitted" | "approved" | "revise";
  submittedAt: string;
  review: null | { outcome: "approved" | "revise"; comment: string; reviewedAt: string; scores: CriterionScore[] };
};

export const OUTCOME_LABELS = { approved: "Meets the standard", revise: "Revise" } as const;

function levelOf(c: RubricCriterion | undefined, score: number): string {
  const label = c?.levels?.[score - c.score.min];
  return label ? ` (${label})` : "";
}

/** The versions of a submission, each with its review: what learners and mentors read. */
export function Thread({ items, rubric, headingLevel = 3 }: { items: ThreadItem[]; rubric: RubricCriterion[]; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <ol className="mentoring-thread" aria-label="Versions and reviews">
      {items.map((item) => (
        <li key={item.id} className="card" data-testid="thread-version" data-version={item.version} data-status={item.status}>
          <H style={{ marginTop: 0 }}>Version {item.version}</H>
          <p className="muted">Submitted {item.submittedAt.slice(0, 16).replace("T", " ")} UTC · {item.wordCount} words · {item.status === "submitted" ? "waiting for review" : OUTCOME_LABELS[item.status]}</p>
          <div className="mentoring-body">{item.body}</div>
          {item.review ? (
            <section className="mentoring-review" aria-label={`Review of version ${item.version}`} data-testid="thread-review">
              <p><strong>Outcome: {OUTCOME_LABELS[item.review.outcome]}</strong> <span className="muted">(reviewed {item.review.reviewedAt.slice(0, 16).replace("T", " ")} UTC)</span></p>
              <table>
                <thead><tr><th scope="col">Criterion</th><th scope="col">Score</th><th scope="col">Comment</th></tr></thead>
                <tbody>
                  {item.review.scores.map((s) => {
                    const c = rubric.find((r) => r.id === s.criterionId);
                    return (
                      <tr key={s.criterionId}>
                        <th scope="row">{s.title ?? c?.title ?? s.criterionId}</th>
                        <td data-testid={`score-${s.criterionId}`}>{s.score} of {s.max ?? c?.score.max ?? "?"}{levelOf(c && (s.max ?? c.score.max) === c.score.max ? c : undefined, s.score)}</td>
                        <td>{s.comment || <span className="muted">none</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p><strong>Mentor's comment:</strong> {item.review.comment}</p>
            </section>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** Serialises a thread for a page (dates as ISO strings). */
export function threadForPage(thread: ThreadEntry[]): ThreadItem[] {
  return thread.map((t) => ({
    id: t.id,
    version: t.version,
    body: t.body,
    wordCount: t.wordCount,
    status: t.status,
    submittedAt: t.submittedAt.toISOString(),
    review: t.review ? { outcome: t.review.outcome, comment: t.review.comment, reviewedAt: t.review.reviewedAt.toISOString(), scores: t.review.scores } : null,
  }));
}

/** The lesson page's pointer to its assignment. */
export function AssignmentLink({ title, required, href }: { title: string; required: boolean; href: string }) {
  return (
    <aside className="card mentoring-callout" aria-label="Case work">
      <p style={{ margin: 0 }}>
        <strong>Case work{required ? " (required)" : ""}:</strong> {title}, reviewed by a mentor.{" "}
        <Link to={href}>Open the assignment</Link>
      </p>
    </aside>
  );
}
