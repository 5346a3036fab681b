import { Form, Link } from "react-router";
import { z } from "zod";
import { requireRole } from "#app/auth/guards.server.ts";
import { coursesWithAssignments, listQueue } from "#app/mentoring/mentoring.server.ts";
import type { Route } from "./+types/mentor._index";

export const meta: Route.MetaFunction = () => [{ title: "Mentoring queue · KAP Academy" }];

const AGES = [1, 3, 7, 14] as const;

const querySchema = z.object({
  course: z.string().trim().max(100).optional().catch(undefined),
  age: z.coerce.number().int().refine((n) => (AGES as readonly number[]).includes(n)).optional().catch(undefined),
  learner: z.string().trim().max(100).optional().catch(undefined),
});

export async function loader(args: Route.LoaderArgs) {
  const mentor = await requireRole(args, ["mentor", "admin"]);
  const url = new URL(args.request.url);
  const filters = querySchema.parse({ course: url.searchParams.get("course") || undefined, age: url.searchParams.get("age") || undefined, learner: url.searchParams.get("learner") || undefined });
  const rows = await listQueue(mentor.id, { courseId: filters.course, minAgeDays: filters.age, learner: filters.learner });
  const now = Date.now();
  return {
    isAdmin: mentor.role === "admin",
    filters: { course: filters.course ?? "", age: filters.age ? String(filters.age) : "", learner: filters.learner ?? "" },
    courses: await coursesWithAssignments(),
    rows: rows.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString(), waitingDays: Math.floor((now - r.submittedAt.getTime()) / 86_400_000) })),
  };
}

export default function MentorQueue({ loaderData }: Route.ComponentProps) {
  const { filters, courses, rows, isAdmin } = loaderData;
  return (
    <section>
      <h1>Mentoring queue</h1>
      <p className="muted">Case work waiting for review, oldest first: submissions open to every mentor, and those you have claimed.{isAdmin ? <> Turnaround and mentors' load: <Link to="/admin/mentoring">mentoring overview</Link>.</> : null}</p>
      <Form method="get" className="actions" role="search" aria-label="Filter the queue" style={{ marginBottom: "1rem", flexWrap: "wrap" }}>
        <label htmlFor="queue-course">Course</label>
        <select id="queue-course" name="course" defaultValue={filters.course} style={{ width: "auto" }}>
          <option value="">All courses</option>
          {courses.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
        </select>
        <label htmlFor="queue-age">Waiting</label>
        <select id="queue-age" name="age" defaultValue={filters.age} style={{ width: "auto" }}>
          <option value="">Any time</option>
          {AGES.map((d) => <option key={d} value={d}>{d} day{d === 1 ? "" : "s"} or more</option>)}
        </select>
        <label htmlFor="queue-learner">Learner</label>
        <input id="queue-learner" type="search" name="learner" defaultValue={filters.learner} placeholder="Name or email" style={{ maxWidth: 220 }} />
        <button type="submit" className="button button--secondary">Filter</button>
      </Form>
      {rows.length ? (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table>
            <caption className="visually-hidden">Submissions waiting for review</caption>
            <thead>
              <tr><th scope="col">Submitted</th><th scope="col">Learner</th><th scope="col">Course</th><th scope="col">Assignment</th><th scope="col">Version</th><th scope="col">Status</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="queue-row">
                  <td>{r.submittedAt.slice(0, 16).replace("T", " ")} UTC <span className="muted">({r.waitingDays} d)</span></td>
                  <td>{r.learnerName}</td>
                  <td>{r.courseTitle}</td>
                  <td><Link to={`/mentor/${r.id}`}>{r.assignmentTitle}</Link></td>
                  <td>{r.version}</td>
                  <td>{r.claimedByMe ? "Claimed by you" : "Open"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="alert alert--info" role="status">Nothing is waiting for review{filters.course || filters.age || filters.learner ? " with these filters" : ""}.</p>
      )}
    </section>
  );
}
