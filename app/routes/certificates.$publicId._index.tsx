import { Link, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { certificateStanding, findCertificate, verifyUrl } from "#app/certificates/certificates.server.ts";
import { scorePercent } from "#app/certificates/score.ts";
import { CertificateStandingText } from "#app/certificates/standing.tsx";
import type { Route } from "./+types/certificates.$publicId._index";

export const meta: Route.MetaFunction = () => [{ title: "Certificate · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const certificate = await findCertificate(args.params.publicId ?? "");
  if (!certificate || (certificate.userId !== user.id && user.role !== "admin")) throw new Response("Certificate not found", { status: 404 });
  return { publicId: certificate.publicId, standing: await certificateStanding(certificate), s: certificate.snapshot, verifyUrl: verifyUrl(certificate.publicId) };
}

const date = (iso: string) => new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

export default function CertificatePage() {
  const { publicId, standing, s, verifyUrl } = useLoaderData<typeof loader>();
  return (
    <article className="certificate-page">
      {/* A revoked or replaced certificate is not offered for download: it would be shown to a board as if valid. */}
      {standing.status === "valid" ? (
        <p className="actions">
          <a href={`/certificates/${publicId}/pdf`} className="button" download>Download PDF</a>
          <a href={`/certificates/${publicId}/credential`} className="button button--secondary" download>Download Open Badge (JSON)</a>
          <Link to={`/verify/${publicId}`}>Public verification page</Link>
        </p>
      ) : (
        <div className="alert alert--error" role="status" data-testid="certificate-standing">
          <CertificateStandingText standing={standing} />
          <p>
            It can no longer be downloaded. <Link to={`/verify/${publicId}`}>Public verification page</Link>
          </p>
        </div>
      )}
      <div className="card certificate">
        <p className="muted" style={{ textTransform: "uppercase", letterSpacing: "0.05em" }}>{s.provider.name}</p>
        <h1>Certificate of Completion</h1>
        <p>This certifies that</p>
        <p className="certificate__name">{s.learnerName}</p>
        <p>{s.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ") || "No license on file"}</p>
        <p>has completed the self-paced home-study course</p>
        <h2>{s.course.title}</h2>
        <dl className="details">
          <dt>Course ID and version</dt><dd>{s.course.id}, version {s.course.version}</dd>
          <dt>CE hours</dt><dd>{s.ceHours} (60-minute hours)</dd>
          <dt>Completed</dt><dd>{date(s.completedAt)}</dd>
          <dt>Delivery format</dt><dd>{s.deliveryFormat}</dd>
          <dt>Instructional level</dt><dd style={{ textTransform: "capitalize" }}>{s.level}</dd>
          <dt>Post-test score</dt><dd>{scorePercent(s.postTestScore)}%</dd>
          <dt>Evaluation submitted</dt><dd>{date(s.evaluationDate)}</dd>
          <dt>Attestation signed</dt><dd>{date(s.attestationDate)}</dd>
          <dt>Provider</dt><dd>{s.provider.name}, {s.provider.address}</dd>
          <dt>Certificate ID</dt><dd><code>{publicId}</code> · <a href={verifyUrl}>{verifyUrl}</a></dd>
        </dl>
        <h3>Learning objectives</h3>
        <ol>{s.objectives.map((o) => <li key={o}>{o}</li>)}</ol>
        <h3>Approvals</h3>
        {s.approvals.map((a) => (
          <p key={a.body}>
            <strong>{a.body}{a.sample ? " (sample statement, not a real approval)" : ""}:</strong> {a.statement} <span className="muted">Provider no. {a.providerNumber}; approval period {a.period}; {a.credits} {a.creditType}.</span>
          </p>
        ))}
        <p>Signed: {s.signatory.name}, {s.signatory.credentials}, program administrator</p>
      </div>
    </article>
  );
}
