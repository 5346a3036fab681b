import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { ChoiceFeedback } from "#app/cases/feedback.tsx";
import { Narrative } from "#app/cases/narrative.tsx";
import { canPlayCases, choose, getCaseDef, getOpenRun, getRun, goBack, listRuns, playView, startRun } from "#app/cases/runs.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/courses.$courseId.$moduleSlug.case.$caseSlug._index";
import { requirePrerequisites } from "#app/progress/prerequisites.server.ts";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Case: ${data?.caseInfo.title ?? "Case"} · KAP Academy` }];

const OUTCOME_LABELS = { best: "finished on the best path", safe: "finished safely", unsafe: "finished with an unsafe choice" } as const;

/** The case named in the address, for a user who may play it (enrolled, or an author or admin previewing). */
async function load(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = await requireUser(args);
  const { courseId = "", moduleSlug = "", caseSlug = "" } = args.params;
  const course = await findCourse(courseId);
  const module = course?.modules.find((m) => m.slug === moduleSlug);
  const summary = module?.cases.find((c) => c.slug === caseSlug);
  const def = await getCaseDef(courseId, moduleSlug, caseSlug);
  if (!course || !module || !summary || !def) throw new Response("Case not found", { status: 404 });
  await requirePrerequisites(args.request, user, course);
  if (!(await canPlayCases(user, course.id))) throw new Response("Enroll in this course to play its cases.", { status: 403 });
  return { user, course, module, summary, def, here: `/courses/${course.id}/${module.slug}/case/${summary.slug}` };
}

export async function loader(args: Route.LoaderArgs) {
  const { user, course, module, summary, def, here } = await load(args);
  const open = getOpenRun(user.id, def);
  const run = open ? getRun(user.id, open.id) : null;
  return {
    here,
    course: { id: course.id, title: course.title },
    module: { slug: module.slug, title: module.title, number: course.modules.indexOf(module) + 1 },
    caseInfo: { title: summary.title, minutes: summary.minutes, objectives: summary.objectives, allowBack: def.allowBack, versionChanged: Boolean(open && open.caseVersion !== def.hash) },
    play: run ? playView(run.run, run.steps) : null,
    runs: listRuns(user.id, def)
      .filter((r) => r.status === "finished")
      .map((r) => ({ id: r.id, outcome: r.outcome ? OUTCOME_LABELS[r.outcome] : "", finishedAt: r.finishedAt!.toISOString() })),
  };
}

export async function action(args: Route.ActionArgs) {
  const { user, def, here } = await load(args);
  const form = await readForm(args.request);
  const intent = form.get("intent");
  if (intent === "start") {
    startRun(user.id, def);
    return redirect(here);
  }
  const runId = String(form.get("runId") ?? "");
  const stepField = String(form.get("step") ?? "");
  if (!runId || !/^\d{1,4}$/.test(stepField)) return data({ message: "The form is missing its run or step. Reload the page and try again." }, { status: 400 });
  const step = Number(stepField);
  if (intent === "choose") {
    const result = choose(user.id, def, runId, { scene: String(form.get("scene") ?? ""), step, choice: String(form.get("choice") ?? "") });
    if (!result.ok) return data({ message: result.message }, { status: result.status });
    return redirect(result.run.status === "finished" ? `${here}/${result.run.id}#feedback` : `${here}#feedback`);
  }
  if (intent === "back") {
    const result = goBack(user.id, def, runId, step);
    if (!result.ok) return data({ message: result.message }, { status: result.status });
    return redirect(`${here}#scene`);
  }
  return data({ message: "Unknown case action." }, { status: 400 });
}

export default function CasePage() {
  const { here, course, module, caseInfo, play, runs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <article className="narrow case-player" style={{ maxWidth: 820 }}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/courses/${course.id}`}>{course.title}</Link> <span aria-hidden="true">›</span>{" "}
        <Link to={`/courses/${course.id}/${module.slug}`}>Module {module.number}</Link>
      </nav>
      <h1>Case: {caseInfo.title}</h1>
      {actionData?.message ? <div className="alert alert--error" role="alert" data-testid="case-error"><p>{actionData.message}</p></div> : null}
      {play ? (
        <>
          {caseInfo.versionChanged ? <p className="muted">This case has been updated since you started this run; the run plays on as it was.</p> : null}
          {play.lastFeedback ? <ChoiceFeedback f={play.lastFeedback} focusKey={`${play.runId}:${play.step}`} heading="Your last choice" /> : null}
          <section id="scene" className="card case-scene" aria-labelledby="scene-heading">
            <h2 id="scene-heading" style={{ marginTop: 0 }}>{play.step ? `Decision ${play.step + 1}` : "The situation"}</h2>
            <Narrative text={play.scene.narrative} />
          </section>
          <Form method="post" className="case-choices" aria-labelledby="choices-heading">
            <h2 id="choices-heading">What do you do?</h2>
            <input type="hidden" name="intent" value="choose" />
            <input type="hidden" name="runId" value={play.runId} />
            <input type="hidden" name="scene" value={play.scene.id} />
            <input type="hidden" name="step" value={play.step} />
            <ul className="case-choice-list">
              {play.choices.map((c) => (
                <li key={c.id}>
                  <button type="submit" name="choice" value={c.id} className="button button--secondary case-choice" disabled={busy}>{c.text}</button>
                </li>
              ))}
            </ul>
          </Form>
          {play.canGoBack ? (
            <Form method="post">
              <input type="hidden" name="intent" value="back" />
              <input type="hidden" name="runId" value={play.runId} />
              <input type="hidden" name="step" value={play.step} />
              <button type="submit" className="button button--small button--secondary" disabled={busy}>Go back and choose again</button>
            </Form>
          ) : !caseInfo.allowBack ? <p className="muted">In this case your choices stand: there is no going back.</p> : null}
        </>
      ) : (
        <section className="card" aria-labelledby="case-intro">
          <h2 id="case-intro" style={{ marginTop: 0 }}>About this case</h2>
          <p>About {caseInfo.minutes} minutes. At each decision, choose what you would do; each choice gets feedback, and the end has a debrief of your path against the best path.{caseInfo.allowBack ? " You may go back and choose again." : " Choices stand: there is no going back."}</p>
          {caseInfo.objectives.length ? <ul>{caseInfo.objectives.map((o) => <li key={o}>{o}</li>)}</ul> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button" disabled={busy}>{runs.length ? "Play the case again" : "Start the case"}</button>
          </Form>
        </section>
      )}
      {runs.length ? (
        <section className="card" aria-labelledby="runs-heading" style={{ marginTop: "1.5rem" }}>
          <h2 id="runs-heading" style={{ marginTop: 0 }}>Your finished runs</h2>
          <ol>
            {runs.map((r) => (
              <li key={r.id}>
                <Link to={`${here}/${r.id}`}>Debrief: {r.outcome}</Link> <span className="muted">({r.finishedAt.replace("T", " ").slice(0, 16)} UTC)</span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}
