import { Link, useLoaderData } from "react-router";
import { getAccount } from "#app/auth/accounts.server.ts";
import { requireUser } from "#app/auth/guards.server.ts";
import { certificateStanding, listCertificates } from "#app/certificates/certificates.server.ts";
import { CertificateStandingText } from "#app/certificates/standing.tsx";
import { listCourses } from "#app/content/catalog.server.ts";
import { ProgressBar } from "#app/components/progress-bar.tsx";
import { getCompletionStatus } from "#app/progress/completion.server.ts";
import { getCourseProgress } from "#app/progress/lessons.server.ts";
import { missingPrerequisites } from "#app/progress/prerequisites.server.ts";
import type { Route } from "./+types/dashboard";

export const meta: Route.MetaFunction = () => [{ title: "Dashboard · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const account = await getAccount(user.id);
  if (!account) throw new Response("Account not found", { status: 404 });
  // Newest first: a reissue's replacement comes before the certificate it replaced.
  const certificates = await listCertificates(user.id);
  const courses = await Promise.all(
    (await listCourses()).map(async (c) => {
      const progress = await getCourseProgress(user.id, c);
      const status = progress.enrolled ? await getCompletionStatus(user.id, c, progress) : null;
      const [moduleSlug, lessonSlug] = progress.lastLessonKey?.split("/") ?? [];
      const certificate = certificates.find((x) => x.courseId === c.id);
      return {
        id: c.id,
        title: c.title,
        ceHours: c.ceHours,
        enrolled: progress.enrolled,
        percent: progress.percent,
        courseChanged: progress.courseChanged,
        resume: moduleSlug && lessonSlug ? `/courses/${c.id}/${moduleSlug}/${lessonSlug}` : `/courses/${c.id}`,
        nextStep: status && !status.completion && status.lessonsDone && status.quizzesPassed ? `/courses/${c.id}/${status.evaluation ? "complete" : "evaluation"}` : null,
        completedAt: status?.completion?.completedAt.toISOString() ?? null,
        casesMissing: status && !status.completion ? status.cases.missing : [],
        /** Courses to complete before this one can be started. */
        prerequisitesMissing: progress.enrolled ? [] : (await missingPrerequisites(user, c)).map((p) => ({ id: p.id, title: p.title })),
        certificate: certificate ? { publicId: certificate.publicId, standing: await certificateStanding(certificate) } : null,
      };
    }),
  );
  return {
    courses,
    name: account.name,
    role: account.role,
    licenses: account.licenses.map((l) => ({ id: l.id, type: l.type, number: l.number, state: l.state })),
  };
}

export default function Dashboard() {
  const { name, role, licenses, courses } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Welcome, {name}</h1>
      <p className="lead">Your courses, progress and CE certificates are collected here.</p>
      <div className="grid">
        <section className="card" aria-labelledby="courses-heading">
          <h2 id="courses-heading" style={{ marginTop: 0 }}>Your courses</h2>
          {courses.length ? (
            <ul className="course-list">
              {courses.map((c) => (
                <li key={c.id} data-testid="dashboard-course">
                  <p style={{ margin: "0 0 0.25rem" }}>
                    <Link to={`/courses/${c.id}`}><strong>{c.title}</strong></Link> <span className="muted">({c.ceHours} CE hours)</span>
                  </p>
                  {c.certificate && c.certificate.standing.status !== "valid" ? (
                    // The course was completed, but its certificate no longer stands: say that, not "Completed".
                    <div className="alert alert--error" style={{ margin: 0 }} data-testid="dashboard-certificate-standing">
                      <p style={{ margin: 0 }}>Certificate <Link to={`/certificates/${c.certificate.publicId}`}>{c.certificate.publicId}</Link>:</p>
                      <CertificateStandingText standing={c.certificate.standing} />
                    </div>
                  ) : c.completedAt ? (
                    <p className="alert alert--success" style={{ margin: 0 }}>
                      Completed on {c.completedAt.slice(0, 10)}.{c.certificate ? <> <Link to={`/certificates/${c.certificate.publicId}`}>Your certificate</Link></> : null}
                    </p>
                  ) : c.enrolled ? (
                    <>
                      <ProgressBar percent={c.percent} label={`Progress in ${c.title}`} />
                      {c.casesMissing.length ? (
                        <p className="muted" style={{ fontSize: "0.85rem" }} data-testid="dashboard-cases-missing">
                          Cases still to finish: {c.casesMissing.map((m, i) => <span key={m.href}>{i ? ", " : ""}<Link to={m.href}>{m.title}</Link></span>)}
                        </p>
                      ) : null}
                      {c.courseChanged ? <p className="muted" style={{ fontSize: "0.85rem" }}>This course has been updated since you started; your requirements stay as they were when you enrolled.</p> : null}
                      <p className="actions" style={{ marginTop: "0.5rem" }}>
                        {c.nextStep ? <Link to={c.nextStep} className="button button--small">Finish the course</Link> : <Link to={c.resume} className="button button--small">Resume where you left off</Link>}
                      </p>
                    </>
                  ) : (
                    <p className="muted" style={{ margin: 0 }}>
                      Not started.{" "}
                      {c.prerequisitesMissing.length ? (
                        <>Complete {c.prerequisitesMissing.map((p, i) => <span key={p.id}>{i ? " and " : ""}<Link to={`/courses/${p.id}`}>{p.title}</Link></span>)} first.</>
                      ) : (
                        <Link to={`/courses/${c.id}`}>See the course</Link>
                      )}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No courses are published yet.</p>
          )}
        </section>
        <section className="card" aria-labelledby="licenses-heading">
          <h2 id="licenses-heading" style={{ marginTop: 0 }}>Licenses on your certificates</h2>
          {licenses.length ? (
            <ul>
              {licenses.map((l) => (
                <li key={l.id}>{l.type} {l.number}, {l.state}</li>
              ))}
            </ul>
          ) : (
            <p className="alert alert--warning">Add your license before you complete a course, so your certificate can show it.</p>
          )}
          <p><Link to="/account">Edit your profile and licenses</Link></p>
        </section>
        {role === "admin" ? (
          <section className="card" aria-labelledby="admin-heading">
            <h2 id="admin-heading" style={{ marginTop: 0 }}>Administration</h2>
            <p>Manage users and roles, and review administrative actions.</p>
            <p><Link to="/admin" className="button">Open administration</Link></p>
          </section>
        ) : null}
      </div>
    </div>
  );
}
