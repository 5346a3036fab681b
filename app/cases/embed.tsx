import { Link } from "react-router";
import { useOptionalLesson } from "#app/components/mdx/lesson-context.tsx";

/**
 * `<Case id="slug" title="..." />` in a lesson: a card linking to a case of the
 * lesson's module (content:check makes sure it exists). The case plays on its
 * own page, where its runs are recorded.
 */
export function CaseCard({ id, title }: { id: string; title?: string }) {
  const lesson = useOptionalLesson();
  const href = lesson ? `/courses/${lesson.courseId}/${lesson.moduleSlug}/case/${id}` : null;
  return (
    <aside className="card case-card" aria-label={`Branching case${title ? `: ${title}` : ""}`}>
      <p style={{ margin: 0 }}>
        <strong>Practise the decision{title ? `: ${title}` : ""}.</strong> A branching case: choose what you would do, see feedback on each choice, and
        compare your path with the best one.
      </p>
      {href ? <p style={{ margin: "0.5rem 0 0" }}><Link to={href} className="button button--small">Play the case</Link></p> : null}
    </aside>
  );
}
