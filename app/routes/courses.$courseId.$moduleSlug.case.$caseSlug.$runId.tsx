import { redirect } from "react-router";
import { Form, Link, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { ChoiceFeedback, FeedbackBody } from "#app/cases/feedback.tsx";
import { Narrative } from "#app/cases/narrative.tsx";
import { debrief, getRun } from "#app/cases/runs.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.case.$caseSlug.$runId";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Debrief: ${data?.title ?? "Case"} · KAP Academy` }];

const OUTCOME_TEXT = {
  best: "You took the best path: every choice you kept was the best one.",
  safe: "You finished the case without an unsafe choice, though not every choice was the best one.",
  unsafe: "You made at least one unsafe choice in this run. Read the feedback below, then play the case again.",
} as const;

/** A finished run's debrief, replayed from the case as the run stored it: a learner sees only their own runs. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const { courseId = "", moduleSlug = "", caseSlug = "", runId = "" } = args.params;
  const found = getRun(user.id, runId);
  if (!found || found.run.courseId !== courseId || found.run.moduleSlug !== moduleSlug || found.run.caseSlug !== caseSlug) throw new Response("Run not found", { status: 404 });
  const here = `/courses/${courseId}/${moduleSlug}/case/${caseSlug}`;
  if (found.run.status !== "finished") throw redirect(here);
  const d = debrief(found.run, found.steps);
  const kept = d.taken.filter((t) => !t.retracted);
  return {
    here,
    courseId,
    moduleSlug,
    title: found.run.snapshot.title,
    version: found.run.caseVersion,
    finishedAt: found.run.finishedAt!.toISOString(),
    outcome: found.run.outcome ?? "safe",
    last: kept.at(-1)?.chosen ?? null,
    runId: found.run.id,
    taken: d.taken,
    bestPath: d.bestPath,
    ending: d.ending,
  };
}

export default function CaseDebrief() {
  const { here, courseId, moduleSlug, title, version, finishedAt, outcome, last, runId, taken, bestPath, ending } = useLoaderData<typeof loader>();
  return (
    <article className="narrow case-player" style={{ maxWidth: 820 }}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/courses/${courseId}`}>Course</Link> <span aria-hidden="true">›</span> <Link to={`/courses/${courseId}/${moduleSlug}`}>Module</Link>{" "}
        <span aria-hidden="true">›</span> <Link to={here}>Case</Link>
      </nav>
      <h1>Debrief: {title}</h1>
      {last ? <ChoiceFeedback f={last} focusKey={runId} heading="Your last choice" /> : null}
      {ending ? (
        <section className="card" aria-labelledby="ending-heading">
          <h2 id="ending-heading" style={{ marginTop: 0 }}>How it ended</h2>
          <Narrative text={ending.narrative} />
          {ending.summary ? <Narrative text={ending.summary} /> : null}
        </section>
      ) : null}
      <div className={`alert ${outcome === "unsafe" ? "alert--error" : "alert--success"}`} role="status" data-testid="case-outcome" data-outcome={outcome}>
        <p>{OUTCOME_TEXT[outcome]}</p>
      </div>
      <section aria-labelledby="path-heading">
        <h2 id="path-heading">Your path against the best path</h2>
        <ol className="case-debrief" data-testid="case-path">
          {taken.map((t) => (
            <li key={t.n} className="card" data-testid="case-path-step" data-scene={t.sceneId} data-rating={t.chosen.rating} data-retracted={t.retracted ? "yes" : "no"}>
              <h3 style={{ marginTop: 0 }}>Decision {t.n}{t.retracted ? " (taken back)" : ""}</h3>
              <p className="muted">{t.scene}</p>
              <h4>You chose</h4>
              <FeedbackBody f={t.chosen} />
              {t.best ? (
                <>
                  <h4>The best choice here</h4>
                  <FeedbackBody f={t.best} />
                </>
              ) : <p><strong>This was the best choice.</strong></p>}
            </li>
          ))}
        </ol>
      </section>
      <section className="card" aria-labelledby="best-heading">
        <h2 id="best-heading" style={{ marginTop: 0 }}>The best path</h2>
        <ol data-testid="case-best-path">
          {bestPath.map((b) => (
            <li key={b.sceneId}>{b.choice.choiceText}{b.choice.feedback ? <span className="muted"> ({b.choice.feedback})</span> : null}</li>
          ))}
        </ol>
      </section>
      <p className="muted">Finished {finishedAt.replace("T", " ").slice(0, 16)} UTC · case version <code>{version}</code></p>
      <Form method="post" action={here}>
        <input type="hidden" name="intent" value="start" />
        <button type="submit" className="button">Play the case again</button>
      </Form>
    </article>
  );
}
