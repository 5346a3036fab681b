import { Link } from "react-router";

/** A certificate's standing as certificateStanding() gives it (serialized from a loader). */
export type Standing = { status: "valid" | "revoked" | "replaced"; revokedAt: string | null; revokedReason: string | null; replacedBy: string | null; replacedAt: string | null };

/** What a learner reads about a certificate that is no longer valid: the date, the public reason, the replacement. */
export function CertificateStandingText({ standing: s, linkTo = "certificate" }: { standing: Standing; linkTo?: "certificate" | "verify" }) {
  if (s.status === "revoked") {
    return (
      <p>
        <strong>Revoked on {s.revokedAt}.</strong>
        {s.revokedReason ? <> Reason: {s.revokedReason}</> : null}
      </p>
    );
  }
  if (s.status === "replaced") {
    return (
      <p>
        <strong>Replaced{s.replacedAt ? ` on ${s.replacedAt}` : ""}</strong> by{" "}
        {s.replacedBy ? <Link to={linkTo === "verify" ? `/verify/${s.replacedBy}` : `/certificates/${s.replacedBy}`}>{s.replacedBy}</Link> : "a newer certificate"}.
      </p>
    );
  }
  return <p>Valid.</p>;
}
