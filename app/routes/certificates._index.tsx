import { Link, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { certificateStanding, listCertificates } from "#app/certificates/certificates.server.ts";
import { CertificateStandingText } from "#app/certificates/standing.tsx";
import type { Route } from "./+types/certificates._index";

export const meta: Route.MetaFunction = () => [{ title: "Your certificates · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const certificates = await Promise.all((await listCertificates(user.id)).map(async (c) => ({
    publicId: c.publicId,
    status: c.status,
    standing: await certificateStanding(c),
    title: c.snapshot.course.title,
    ceHours: c.snapshot.ceHours,
    completedAt: c.snapshot.completedAt.slice(0, 10),
  })));
  // Summed in hundredths, as the transcript does: 0.1 + 0.2 hours is 0.3, not 0.30000000000000004.
  const totalHours = certificates.filter((c) => c.status === "valid").reduce((s, c) => s + Math.round(c.ceHours * 100), 0) / 100;
  return { name: user.name, certificates, totalHours };
}

export default function Transcript() {
  const { name, certificates, totalHours } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Your certificates</h1>
      <p className="lead">Transcript for {name}: <strong data-testid="total-hours">{totalHours} CE hours</strong> on valid certificates.</p>
      {certificates.length === 0 ? (
        <p className="muted">You have no certificates yet. Complete a course to earn one.</p>
      ) : (
        <div className="table-wrap card" style={{ padding: 0 }}>
          <table>
            <thead><tr><th scope="col">Course</th><th scope="col">CE hours</th><th scope="col">Completed</th><th scope="col">Status</th><th scope="col">Certificate</th></tr></thead>
            <tbody>
              {certificates.map((c) => (
                <tr key={c.publicId} data-testid="transcript-row">
                  <td>{c.title}</td>
                  <td>{c.ceHours}</td>
                  <td>{c.completedAt}</td>
                  <td>{c.status === "valid" ? "Valid" : <CertificateStandingText standing={c.standing} />}</td>
                  <td><Link to={`/certificates/${c.publicId}`}>{c.publicId}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
