import { Link } from "react-router";
import { useOptionalUser } from "#app/root.tsx";
import type { Route } from "./+types/_index";

export const meta: Route.MetaFunction = () => [
  { title: "KAP Academy: continuing education in ketamine-assisted psychotherapy" },
];

export default function Index() {
  const user = useOptionalUser();
  return (
    <>
      <section className="hero">
        <h1>Continuing education in ketamine-assisted psychotherapy</h1>
        <p>
          Self-paced CE courses for licensed therapists: pharmacology and medical safety, client selection,
          therapeutic frameworks, integration, ethics and US law, taught from the evidence and honest about its limits.
        </p>
        <p className="actions">
          <Link to="/courses" className="button button--secondary">Browse courses</Link>
          {user ? (
            <Link to="/dashboard" className="button button--ghost">Go to your dashboard</Link>
          ) : (
            <Link to="/signup" className="button button--ghost">Create your account</Link>
          )}
        </p>
      </section>
      <div className="grid">
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Learn at your pace</h2>
          <p>Read short lessons, check your understanding as you go, and pick up where you left off on any device.</p>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Earn verifiable CE hours</h2>
          <p>Pass each module quiz, evaluate the course and receive a certificate with your license details that anyone can verify online.</p>
        </section>
        <section className="card">
          <h2 style={{ marginTop: 0 }}>Within your scope</h2>
          <p>Written for licensed clinicians. Therapists in KAP do not prescribe, dispense or administer ketamine; the course teaches the therapist's role in a medical team.</p>
        </section>
      </div>
    </>
  );
}
