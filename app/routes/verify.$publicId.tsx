import { Link, useLoaderData } from "react-router";
import { publicVerification } from "#app/certificates/certificates.server.ts";
import type { Route } from "./+types/verify.$publicId";

export const meta: Route.MetaFunction = () => [{ title: "Certificate verification · KAP Academy" }, { name: "robots", content: "noindex" }];

export async function loader({ params }: Route.LoaderArgs) {
  const result = await publicVerification(params.publicId ?? "");
  if (result.status === "not-found") throw new Response("No certificate has this id. Check that it was typed exactly as printed.", { status: 404, statusText: "Certificate not found" });
  return result;
}

export default function VerifyPage() {
  const c = useLoaderData<typeof loader>();
  const tone = c.status === "valid" ? "alert--success" : "alert--error";
  const headline = c.status === "valid" ? "Valid certificate" : c.status === "revoked" ? `Revoked on ${c.revokedAt}` : `Replaced${c.replacedAt ? ` on ${c.replacedAt}` : ""} by ${c.replacedBy ?? "a newer certificate"}`;
  return (
    <article className="narrow" style={{ maxWidth: 680 }}>
      <h1>Certificate verification</h1>
      <div className={`alert ${tone}`} role="status">
        <p><strong data-testid="verify-status">{headline}</strong></p>
        {/* Only the public reason: the administrator's internal note is never stored on the certificate. */}
        {c.status === "revoked" && c.revokedReason ? <p data-testid="verify-reason">Reason: {c.revokedReason}</p> : null}
        {c.status === "replaced" && c.replacedBy ? (
          <p>
            This certificate is no longer current and its Open Badge no longer verifies. See the current certificate: <Link to={`/verify/${c.replacedBy}`}>{c.replacedBy}</Link>
          </p>
        ) : null}
      </div>
      <div className="card">
        <dl className="details">
          <dt>Certificate ID</dt><dd><code>{c.publicId}</code></dd>
          <dt>Issued to</dt><dd><bdi>{c.learnerName}</bdi></dd>
          <dt>Course</dt><dd>{c.course.title}</dd>
          <dt>CE hours</dt><dd>{c.ceHours}</dd>
          <dt>Completed</dt><dd>{c.completedAt}</dd>
          <dt>Provider</dt><dd>{c.provider}</dd>
        </dl>
      </div>
      <p className="muted">
        This page shows what the provider&apos;s records say about this certificate today. It never shows the learner&apos;s email or
        license number. Machine-readable: <a href={`/api/verify/${c.publicId}`}>/api/verify/{c.publicId}</a>
      </p>
    </article>
  );
}
