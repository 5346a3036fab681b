import { Form, Link, useLoaderData, useSearchParams } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { ErrorSummary } from "#app/components/forms.tsx";
import { rowCells, TRANSCRIPT_COLUMNS } from "#app/transcript/columns.ts";
import { formatHours, PERIOD_PRESETS, periodQuery, readPeriod } from "#app/transcript/period.ts";
import { buildTranscript } from "#app/transcript/transcript.server.ts";
import type { Route } from "./+types/transcript._index";

export const meta: Route.MetaFunction = () => [{ title: "CE transcript · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const params = new URL(args.request.url).searchParams;
  const read = readPeriod(params);
  const transcript = (await buildTranscript(user.id, read.period))!;
  return {
    transcript,
    errors: read.ok ? null : read.errors,
    // What the period form shows: the dates as typed, even when refused.
    form: { period: read.ok ? read.period.id : "custom", from: params.get("from") ?? read.period.from ?? "", to: params.get("to") ?? read.period.to ?? "" },
    query: periodQuery(read.period),
  };
}

const SAVED = { added: "The CE entry was added to your transcript.", updated: "The CE entry was saved.", deleted: "The CE entry was deleted." } as const;

export default function TranscriptPage() {
  const { transcript: t, errors, form, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <div>
      <h1>CE transcript</h1>
      <p className="lead">
        {t.learner.name} · {t.learner.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ") || "no licenses on your profile"}
      </p>
      {saved && saved in SAVED ? <div className="alert alert--success" role="status"><p>{SAVED[saved as keyof typeof SAVED]}</p></div> : null}

      <section className="card" aria-labelledby="period-heading">
        <h2 id="period-heading" style={{ marginTop: 0 }}>Period</h2>
        <ErrorSummary errors={errors} title="The period was not applied:" />
        <Form method="get" className="transcript-period">
          <div className="field">
            <label htmlFor="period">Show</label>
            <select id="period" name="period" defaultValue={form.period}>
              {PERIOD_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="from">From (custom dates)</label>
            <input id="from" type="date" name="from" defaultValue={form.from} aria-invalid={errors?.from ? true : undefined} />
          </div>
          <div className="field">
            <label htmlFor="to">To (custom dates)</label>
            <input id="to" type="date" name="to" defaultValue={form.to} aria-invalid={errors?.to ? true : undefined} />
          </div>
          <button type="submit" className="button">Show period</button>
        </Form>
        <p className="muted">Showing <strong data-testid="period-label">{t.period.label}</strong>. A preset keeps its meaning when you bookmark this page; dates are used with “Custom dates”.</p>
      </section>

      <section className="card" aria-labelledby="totals-heading">
        <h2 id="totals-heading" style={{ marginTop: 0 }}>Totals for the period</h2>
        <div className="table-wrap">
          <table data-testid="totals">
            <thead><tr><th scope="col">License</th><th scope="col">KAP Academy certificates</th><th scope="col">Self-reported</th><th scope="col">All CE hours</th></tr></thead>
            <tbody>
              <tr data-testid="total-all">
                <th scope="row">All licenses</th><td>{formatHours(t.totals.platform)}</td><td>{formatHours(t.totals.selfReported)}</td><td><strong>{formatHours(t.totals.all)}</strong></td>
              </tr>
              {t.perLicense.map((l) => (
                <tr key={l.label} data-testid="total-license">
                  <th scope="row">{l.label}</th><td>{formatHours(l.platform)}</td><td>{formatHours(l.selfReported)}</td><td><strong>{formatHours(l.all)}</strong></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">Revoked and replaced certificates are listed below and not counted. Self-reported CE was recorded by you and has not been verified by KAP Academy.</p>
        <p className="actions">
          <a className="button button--secondary" href={`/transcript/csv?${query}`} download>Download CSV</a>
          <a className="button button--secondary" href={`/transcript/pdf?${query}`} download>Download PDF</a>
          <Link className="button" to="/transcript/entries/new">Add CE earned elsewhere</Link>
        </p>
      </section>

      <section className="card" aria-labelledby="entries-heading">
        <h2 id="entries-heading" style={{ marginTop: 0 }}>CE in the period</h2>
        {t.rows.length === 0 ? (
          <p className="muted">No CE recorded in this period.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="transcript-rows">
              <thead><tr>{TRANSCRIPT_COLUMNS.map((c) => <th key={c} scope="col">{c}</th>)}<th scope="col">Actions</th></tr></thead>
              <tbody>
                {t.rows.map((row) => {
                  const cells = rowCells(row);
                  return (
                    <tr key={`${row.kind}-${row.id}`} data-testid="transcript-row" className={row.counted ? undefined : "muted"}>
                      {cells.map((c, i) => <td key={TRANSCRIPT_COLUMNS[i]}>{i === 8 && row.reference ? <Link to={`/certificates/${row.reference}`}>{c}</Link> : c}</td>)}
                      <td>
                        {row.kind === "external" ? (
                          <span className="transcript-actions">
                            <Link to={`/transcript/entries/${row.id}`} aria-label={`Edit ${row.title}`}>Edit</Link>
                            <Link to={`/transcript/entries/${row.id}/delete`} aria-label={`Delete ${row.title}`}>Delete</Link>
                            {row.hasFile ? <a href={`/transcript/entries/${row.id}/file`} aria-label={`Certificate file of ${row.title}`}>File</a> : null}
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
