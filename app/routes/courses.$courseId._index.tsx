import { Link, useLoaderData } from "react-router";
import { getUser } from "#app/auth/guards.server.ts";
import { canSeeDrafts } from "#app/auth/roles.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { DEFAULT_HOW_TO_EARN_CREDIT, formatDate, formatDuration, formatHours } from "#app/content/format.ts";
import { ProgressBar } from "#app/components/progress-bar.tsx";
import { getCourseProgress } from "#app/progress/lessons.server.ts";
import { requiredCourseSeconds } from "#app/progress/completion.server.ts";
import { prerequisitesFor } from "#app/progress/prerequisites.server.ts";
import type { Route } from "./+types/courses.$courseId._index";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.course.title ?? "Course"} · KAP Academy` }];

export async function loader(args: Route.LoaderArgs) {
  const course = await findCourse(args.params.courseId ?? "");
  if (!course) throw new Response("Course not found", { status: 404 });
  const user = await getUser(args);
  const drafts = canSeeDrafts(user);
  const first = course.modules.flatMap((m) => m.lessons.filter((l) => drafts || !l.draft).map((l) => `/courses/${course.id}/${m.slug}/${l.slug}`))[0] ?? null;
  const progress = user ? await getCourseProgress(user.id, course) : null;
  const [lastModule, lastLesson] = progress?.lastLessonKey?.split("/") ?? [];
  const prerequisites = await prerequisitesFor(user?.id ?? null, course);
  // Signed-in learners who have not met a prerequisite see the course but cannot start it; staff preview.
  const locked = Boolean(user) && !drafts && prerequisites.some((p) => !p.met);
  // Every disclosure from course.yaml, shown before the learner starts.
  return {
    signedIn: Boolean(user),
    prerequisites,
    locked,
    start: lastModule && lastLesson ? `/courses/${course.id}/${lastModule}/${lastLesson}` : first,
    progress: progress?.enrolled ? { percent: progress.percent, modules: Object.fromEntries(progress.modules.map((m) => [m.slug, m.percent])) } : null,
    course: {
      id: course.id,
      title: course.title,
      summary: course.summary,
      audience: course.audience,
      level: course.level,
      ceHours: course.ceHours,
      passMark: course.passMark,
      objectives: course.objectives,
      faculty: course.faculty,
      provider: course.provider,
      approvals: course.approvals,
      dates: course.dates,
      howToEarnCredit: course.howToEarnCredit ?? DEFAULT_HOW_TO_EARN_CREDIT,
      estimatedMinutes: course.estimate.totalMinutes,
      quizPolicy: course.quizPolicy,
      requiredTime: formatDuration(requiredCourseSeconds(course)),
      lessonMinimumPercent: Math.round(course.creditPolicy.lessonMinimum * 100),
      version: course.version,
      modules: course.modules.map((m) => ({
        slug: m.slug,
        title: m.title,
        summary: m.summary,
        lessons: m.lessons.filter((l) => drafts || !l.draft).map((l) => ({ slug: l.slug, title: l.title, minutes: l.minutes, draft: l.draft })),
        quizQuestions: m.quiz?.draw ?? 0,
      })),
    },
  };
}

export default function CourseOverview() {
  const { course, start, signedIn, progress, prerequisites, locked } = useLoaderData<typeof loader>();
  const firstMissing = prerequisites.find((p) => !p.met);
  return (
    <article className="course-overview">
      <header className="hero">
        <p className="muted" style={{ color: "#dbe7f5", margin: 0 }}>Self-paced home study · {course.level} level</p>
        <h1>{course.title}</h1>
        <p>{course.summary}</p>
        <p className="actions">
          {locked && firstMissing ? (
            <Link to={`/courses/${firstMissing.id}`} className="button button--secondary">Complete “{firstMissing.title}” first</Link>
          ) : start ? (
            signedIn ? (
              <Link to={start} className="button button--secondary">{progress ? "Resume where you left off" : "Start the course"}</Link>
            ) : (
              <Link to={`/signup`} className="button button--secondary">Create an account to start</Link>
            )
          ) : null}
          <span>{formatHours(course.ceHours)} of CE credit · about {Math.round(course.estimatedMinutes / 60 * 10) / 10} hours of work</span>
        </p>
      </header>

      {prerequisites.length ? (
        <section className={`card${locked ? " card--locked" : ""}`} aria-labelledby="prerequisites-heading" style={{ marginBottom: "1.25rem" }}>
          <h2 id="prerequisites-heading" style={{ marginTop: 0 }}>Prerequisite</h2>
          <p>
            This course builds on {prerequisites.length > 1 ? "these courses" : "this course"}: a learner starts it once they have
            completed {prerequisites.length > 1 ? "each" : "it"} and received the certificate.
          </p>
          <ul>
            {prerequisites.map((p) => (
              <li key={p.id}>
                <Link to={`/courses/${p.id}`}>{p.title}</Link>
                {signedIn ? <> · <strong>{p.met ? "completed" : "not yet completed"}</strong></> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {progress ? (
        <section className="card" aria-label="Your progress" style={{ marginBottom: "1.25rem" }}>
          <p style={{ marginTop: 0 }}><strong>Your progress</strong></p>
          <ProgressBar percent={progress.percent} label="Course progress" />
          <p className="muted" style={{ marginBottom: 0 }}>
            When every module is done: <Link to={`/courses/${course.id}/evaluation`}>course evaluation</Link>, then the{" "}
            <Link to={`/courses/${course.id}/complete`}>attestation</Link>.
          </p>
        </section>
      ) : null}
      <div className="overview-grid">
        <section className="card" aria-labelledby="objectives-heading">
          <h2 id="objectives-heading" style={{ marginTop: 0 }}>Learning objectives</h2>
          <p>After completing this course, you will be able to:</p>
          <ol>{course.objectives.map((o) => <li key={o.id}>{o.text}</li>)}</ol>
        </section>

        <section className="card" aria-labelledby="facts-heading">
          <h2 id="facts-heading" style={{ marginTop: 0 }}>Course details</h2>
          <dl className="details">
            <dt>Audience</dt><dd>{course.audience}</dd>
            <dt>Instructional level</dt><dd style={{ textTransform: "capitalize" }}>{course.level}</dd>
            <dt>CE hours</dt><dd>{formatHours(course.ceHours)} (60-minute hours)</dd>
            <dt>Format</dt><dd>Self-paced online home study (enduring material); no live interaction</dd>
            <dt>Estimated time</dt><dd>About {course.estimatedMinutes} minutes, including quizzes and the evaluation</dd>
            <dt>Time on task</dt>
            <dd>
              Active reading time is counted on each lesson; a lesson can be marked complete after {course.lessonMinimumPercent}% of its estimated minutes,
              and the course needs at least {course.requiredTime} in all
            </dd>
            <dt>Pass mark</dt>
            <dd>
              {Math.round(course.passMark * 100)}% on each module quiz
              {course.quizPolicy.maxAttempts ? `, up to ${course.quizPolicy.maxAttempts} attempts` : ", retakes allowed"}
              {course.quizPolicy.cooldownMinutes ? ` after ${course.quizPolicy.cooldownMinutes} minutes` : ""}
              {course.quizPolicy.maxAttemptsPer24h ? `, at most ${course.quizPolicy.maxAttemptsPer24h} attempts in 24 hours` : ""}
            </dd>
            <dt>Released</dt><dd>{formatDate(course.dates.released)}</dd>
            <dt>Last reviewed</dt><dd>{formatDate(course.dates.lastReviewed)}</dd>
            <dt>Credit available until</dt><dd>{formatDate(course.dates.expires)}</dd>
            <dt>Content version</dt><dd><code>{course.version}</code></dd>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="credit-heading">
        <h2 id="credit-heading" style={{ marginTop: 0 }}>How to earn credit</h2>
        <p>{course.howToEarnCredit}</p>
      </section>

      <section className="card" aria-labelledby="outline-heading">
        <h2 id="outline-heading" style={{ marginTop: 0 }}>Outline</h2>
        <ol className="outline">
          {course.modules.map((m) => (
            <li key={m.slug}>
              <h3 style={{ margin: "0.5rem 0 0.25rem" }}>
                {signedIn && !locked ? <Link to={`/courses/${course.id}/${m.slug}`}>{m.title}</Link> : m.title}
              </h3>
              <p className="muted" style={{ margin: 0 }}>{m.summary}</p>
              {progress ? <ProgressBar percent={progress.modules[m.slug] ?? 0} label={`Progress in ${m.title}`} /> : null}
              <ul>
                {m.lessons.map((l) => (
                  <li key={l.slug}>
                    {l.title} <span className="muted">({l.minutes} min)</span>
                    {l.draft ? <span className="badge badge--draft">Draft</span> : null}
                  </li>
                ))}
                {m.quizQuestions ? (
                  <li>
                    {signedIn && !locked ? <Link to={`/courses/${course.id}/${m.slug}/quiz`}>Module quiz</Link> : "Module quiz"} <span className="muted">({m.quizQuestions} questions)</span>
                  </li>
                ) : null}
              </ul>
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="faculty-heading">
        <h2 id="faculty-heading" style={{ marginTop: 0 }}>Faculty and disclosures</h2>
        <ul>
          {course.faculty.map((f) => (
            <li key={f.name}><strong>{f.name}</strong>, {f.credentials}. {f.role}. <span className="muted">{f.disclosure}</span></li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="approvals-heading">
        <h2 id="approvals-heading" style={{ marginTop: 0 }}>Provider and approvals</h2>
        <p>
          <strong>{course.provider.name}</strong>, {course.provider.address}. <a href={course.provider.url}>{course.provider.url}</a>
        </p>
        {course.approvals.length === 0 ? <p className="muted">No accreditor approvals are listed for this course.</p> : null}
        {course.approvals.map((a) => (
          <div key={a.body} className="approval">
            <h3 style={{ marginTop: "0.75rem" }}>
              {a.body} {a.sample ? <span className="badge badge--sample">Sample statement, not a real approval</span> : null}
            </h3>
            <p>{a.statement}</p>
            <p className="muted">Provider number {a.providerNumber} · approval period {a.period} · {a.credits} {a.creditType}</p>
          </div>
        ))}
      </section>
    </article>
  );
}
