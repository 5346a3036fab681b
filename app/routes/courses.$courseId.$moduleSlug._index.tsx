import { Link, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug._index";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.module.title ?? "Module"} · KAP Academy` }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const course = await findCourse(args.params.courseId ?? "");
  const module = course?.modules.find((m) => m.slug === args.params.moduleSlug);
  if (!course || !module) throw new Response("Module not found", { status: 404 });
  await requirePrerequisites(args.request, user, course);
  const drafts = canSeeDrafts(user);
  return {
    course: { id: course.id, title: course.title },
    module: {
      slug: module.slug,
      number: course.modules.indexOf(module) + 1,
      title: module.title,
      summary: module.summary,
      objectives: module.objectives,
      // Lessons and branching cases share one numbering: a case is a step of the module.
      lessons: [
        ...module.lessons.filter((l) => drafts || !l.draft).map((l) => ({ slug: l.slug, number: l.number, title: l.title, minutes: l.minutes, draft: l.draft, case: false })),
        ...module.cases.map((c) => ({ slug: `case/${c.slug}`, number: c.number, title: c.title, minutes: c.minutes, draft: false, case: true })),
      ].sort((a, b) => a.number - b.number),
      quiz: module.quiz ? { draw: module.quiz.draw } : null,
    },
  };
}

export default function ModulePage() {
  const { course, module } = useLoaderData<typeof loader>();
  return (
    <article>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/courses/${course.id}`}>{course.title}</Link> <span aria-hidden="true">›</span> Module {module.number}
      </nav>
      <h1>Module {module.number}: {module.title}</h1>
      <p className="lead">{module.summary}</p>
      <section className="card" aria-labelledby="module-objectives">
        <h2 id="module-objectives" style={{ marginTop: 0 }}>Objectives</h2>
        <ul>{module.objectives.map((o) => <li key={o}>{o}</li>)}</ul>
      </section>
      <section className="card" aria-labelledby="module-lessons">
        <h2 id="module-lessons" style={{ marginTop: 0 }}>Lessons</h2>
        <ol>
          {module.lessons.map((l) => (
            <li key={l.slug}>
              <Link to={`/courses/${course.id}/${module.slug}/${l.slug}`}>{l.title}</Link> <span className="muted">({l.case ? "case, " : ""}{l.minutes} min)</span>
              {l.draft ? <span className="badge badge--draft">Draft</span> : null}
            </li>
          ))}
        </ol>
        {module.quiz ? (
          <p>
            The module ends with a graded quiz of {module.quiz.draw} questions:{" "}
            <Link to={`/courses/${course.id}/${module.slug}/quiz`}>take the module quiz</Link>.
          </p>
        ) : null}
      </section>
    </article>
  );
}
