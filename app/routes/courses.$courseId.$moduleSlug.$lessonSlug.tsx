import { createHash } from "node:crypto";
import { Link, useRevalidator } from "react-router";
import { useEffect } from "react";
import { requireUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { contentProblems, findLesson } from "#app/content/catalog.server.ts";
import { formatProblem } from "#app/content/problems.ts";
import { ReferenceList } from "#app/components/mdx/cite.tsx";
import { lessonScriptUrl, loadLessonScript, mdxComponents, useLessonComponent, useLessonInfo } from "#app/components/mdx/index.tsx";
import { LessonProvider } from "#app/components/mdx/lesson-context.tsx";
import { getEnv } from "#app/env.server.ts";
import { MarkComplete, useLessonVisit } from "#app/components/lesson-tracker.tsx";
import { ProgressBar } from "#app/components/progress-bar.tsx";
import { lessonKey } from "#app/progress/enrollment.server.ts";
import { getCourseProgress, lessonTime } from "#app/progress/lessons.server.ts";
import { getReflections } from "#app/progress/reflections.server.ts";
import { AssignmentLink } from "#app/mentoring/components.tsx";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.$lessonSlug";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.lesson.title ?? "Lesson"} · KAP Academy` }];

/** Reads only: the visit itself is recorded by the page's first POST (useLessonVisit), so prefetches and revalidations write nothing. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const { courseId = "", moduleSlug = "", lessonSlug = "" } = args.params;
  const found = await findLesson(courseId, moduleSlug, lessonSlug, canSeeDrafts(user));
  if (!found) throw new Response("Lesson not found", { status: 404 });
  const { course, module, lesson, previous, next } = found;
  await requirePrerequisites(args.request, user, course);
  const dev = getEnv().NODE_ENV === "development";
  const problems = lesson.code ? [] : (await contentProblems()).filter((p) => p.file === lesson.file).map(formatProblem);
  const progress = await getCourseProgress(user.id, course);
  const moduleProgress = progress.modules.find((m) => m.slug === module.slug);
  const lastOfModule = module.lessons.filter((l) => !l.draft).at(-1)?.slug === lesson.slug;
  const link = (s: typeof previous) => (s ? { href: `/courses/${course.id}/${s.module.slug}/${s.lesson.slug}`, title: s.lesson.title } : null);
  return {
    course: { id: course.id, title: course.title, version: course.version },
    module: { slug: module.slug, title: module.title, number: course.modules.indexOf(module) + 1 },
    lesson: {
      slug: lesson.slug,
      title: lesson.title,
      minutes: lesson.minutes,
      objectives: lesson.objectives,
      // The compiled code, references and table of contents are not sent: they
      // come with the lesson's cached script (lessonScriptUrl).
      hasCode: Boolean(lesson.code),
      draft: lesson.draft,
      hash: lesson.hash,
    },
    // Most lessons have no reflection prompts, and then nothing to look up.
    reflections: lesson.reflections.length ? await getReflections(user.id, course.id, `${module.slug}/${lesson.slug}`) : {},
    previous: link(previous),
    next: link(next),
    quiz: lastOfModule && module.quiz ? { href: `/courses/${course.id}/${module.slug}/quiz` } : null,
    assignment: lesson.assignment ? { title: lesson.assignment.title, required: lesson.assignment.required, href: `/courses/${course.id}/${module.slug}/${lesson.slug}/assignment` } : null,
    completed: progress.completedLessons.has(lessonKey(module.slug, lesson.slug)),
    time: lessonTime(progress.lessonSeconds.get(lessonKey(module.slug, lesson.slug)) ?? 0, lesson.minimumSeconds),
    heartbeatSeconds: getEnv().HEARTBEAT_SECONDS,
    /** Knowledge-check options are shuffled per learner: stable across reloads, different between learners. */
    shuffleSeed: createHash("sha256").update(`knowledge-checks:${user.id}`).digest("hex").slice(0, 16),
    modulePercent: moduleProgress?.percent ?? 0,
    coursePercent: progress.percent,
    problems,
    liveReload: dev,
  };
}

/** On client-side navigation, load the lesson's script before rendering it. */
export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  const data = await serverLoader();
  if (data.lesson.hasCode) await loadLessonScript({ courseId: data.course.id, courseVersion: data.course.version, hash: data.lesson.hash });
  return data;
}

/** In development, reload the lesson when its content changes on disk. */
function ContentLiveReload() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const source = new EventSource("/content-events");
    source.addEventListener("change", () => revalidator.revalidate());
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- subscribe once
  }, []);
  return null;
}

/** The lesson itself: its compiled MDX and its references. */
function LessonBody({ hash }: { hash: string }) {
  const Component = useLessonComponent(hash);
  return (
    <div className="lesson-body">
      <Component components={mdxComponents} />
      <ReferenceList />
    </div>
  );
}

export default function LessonPage({ loaderData: data }: Route.ComponentProps) {
  const { course, module, lesson } = data;
  const ids = { courseId: course.id, moduleSlug: module.slug, lessonSlug: lesson.slug };
  const time = useLessonVisit(ids, !lesson.draft, data.heartbeatSeconds, data.time);
  const script = lesson.hasCode ? { courseId: course.id, courseVersion: course.version, hash: lesson.hash } : null;
  const { references, toc } = useLessonInfo(script);
  const { previous, next, quiz } = data;
  return (
    // Keyed by lesson: moving to the next lesson by its link starts every part of the
    // page afresh (the mark-complete form's last answer belongs to the previous lesson).
    <div className="lesson-layout" key={`${course.id}/${module.slug}/${lesson.slug}`}>
      {data.liveReload ? <ContentLiveReload /> : null}
      <aside className="lesson-aside" aria-label="Lesson contents">
        <p className="muted" style={{ margin: 0 }}>
          <Link to={`/courses/${course.id}`}>{course.title}</Link>
        </p>
        <p style={{ margin: "0.25rem 0 0.5rem" }}>
          <Link to={`/courses/${course.id}/${module.slug}`}>Module {module.number}: {module.title}</Link>
        </p>
        <ProgressBar percent={data.modulePercent} label="Module progress" />
        <p className="muted" style={{ margin: "0.25rem 0 1rem", fontSize: "0.85rem" }}>Course: {data.coursePercent}% complete</p>
        {toc.length ? (
          <nav aria-label="On this page" className="toc">
            <p className="toc__title">On this page</p>
            <ul>
              {toc.map((t) => (
                <li key={t.id} className={t.depth === 3 ? "toc__sub" : undefined}>
                  <a href={`#${t.id}`}>{t.text}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </aside>
      <article className="lesson prose">
        <header>
          <h1>
            {lesson.title} {lesson.draft ? <span className="badge badge--draft">Draft</span> : null}
          </h1>
          <p className="muted">
            About {lesson.minutes} minutes · Module {module.number}: {module.title}
          </p>
          {lesson.objectives.length ? (
            <div className="lesson-objectives">
              <p><strong>In this lesson you will:</strong></p>
              <ul>{lesson.objectives.map((o) => <li key={o}>{o}</li>)}</ul>
            </div>
          ) : null}
        </header>
        {script ? (
          <LessonProvider
            value={{ courseId: course.id, moduleSlug: module.slug, lessonSlug: lesson.slug, references, reflections: data.reflections, canSave: true, shuffleSeed: data.shuffleSeed }}
          >
            {/* Registers the lesson. Deferred: it runs after parsing, before React Router's
                module scripts (deferred scripts run in document order), so before hydration,
                and the page paints without waiting for it. */}
            <script src={lessonScriptUrl(script)} defer />
            <LessonBody hash={lesson.hash} />
          </LessonProvider>
        ) : (
          <div className="alert alert--error" role="alert">
            <p><strong>This lesson has content errors and cannot be shown yet.</strong></p>
            <ul>{data.problems.map((p) => <li key={p}><code>{p}</code></li>)}</ul>
          </div>
        )}
        {lesson.hasCode && !lesson.draft ? <MarkComplete ids={ids} completed={data.completed} time={time} /> : null}
        {data.assignment ? <AssignmentLink {...data.assignment} /> : null}
        <p className="disclaimer muted">
          This course is education for licensed clinicians, not medical advice. Therapists in KAP do not prescribe,
          dispense or administer ketamine.
        </p>
        <nav className="lesson-nav" aria-label="Lessons">
          {previous ? (
            <Link to={previous.href} rel="prev" className="button button--secondary">← {previous.title}</Link>
          ) : <span />}
          {quiz ? (
            <Link to={quiz.href} className="button">Module quiz →</Link>
          ) : next ? (
            <Link to={next.href} rel="next" className="button">{next.title} →</Link>
          ) : (
            <Link to={`/courses/${course.id}`} className="button">Back to the course</Link>
          )}
        </nav>
      </article>
    </div>
  );
}
