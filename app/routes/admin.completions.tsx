import { data } from "react-router";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import { LICENSE_TYPES, OTHER_LICENSE_TYPE, US_JURISDICTIONS } from "#app/auth/licenses.ts";
import { countCompletions, listCompletions, listCourseIds, markReportedToCeBroker, parseCompletionFilter } from "#app/admin/completions.server.ts";
import { ceBrokerReadiness } from "#app/admin/export-settings.server.ts";
import { Pagination } from "#app/components/pagination.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/admin.completions";

export const meta: Route.MetaFunction = () => [{ title: "Completions · Administration · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const params = new URL(args.request.url).searchParams;
  const parsed = parseCompletionFilter(params);
  const courses = listCourseIds();
  if (!parsed.success) return { error: parsed.error.issues[0]!.message, rows: [], total: 0, pages: 1, page: 1, courses, unreported: 0, ceBrokerProblems: [] };
  const result = await listCompletions(parsed.data);
  // Checked for every course of the filter's valid completions, reported or not, as the "including already reported" roster lists them.
  const ready = await ceBrokerReadiness({ ...parsed.data, includeReported: true });
  return { error: null, ...result, page: parsed.data.page, courses, unreported: countCompletions(parsed.data, { ceBroker: true }), ceBrokerProblems: ready.ok ? [] : ready.error.problems };
}

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const parsed = parseCompletionFilter(new URL(args.request.url).searchParams);
  if (!parsed.success) return data({ message: parsed.error.issues[0]!.message }, { status: 400 });
  const form = await readForm(args.request);
  if (form.get("intent") !== "mark-reported") return data({ message: "Unknown action." }, { status: 400 });
  // Nothing can have been reported while the roster is refused.
  const ready = await ceBrokerReadiness(parsed.data);
  if (!ready.ok) return data({ message: ready.error.message }, { status: 409 });
  const n = await markReportedToCeBroker(admin.id, parsed.data);
  return { message: n ? `Marked ${n} license${n === 1 ? "" : "s"} as reported to CE Broker.` : "Nothing to mark: every matching license is already reported." };
}

/** A column header that sorts by its field; a second click reverses the order. */
function SortHeader({ field, children }: { field: string; children: string }) {
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  const active = (params.get("sort") ?? "completed") === field;
  const current = params.get("dir") ?? "desc";
  next.set("sort", field);
  next.set("dir", active && current === "desc" ? "asc" : "desc");
  next.delete("page");
  return (
    <th scope="col" aria-sort={active ? (current === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?${next}`}>
        {children}
        {active ? (current === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

export default function AdminCompletions() {
  const { error, rows, total, pages, page, courses, unreported, ceBrokerProblems } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const query = new URLSearchParams(params);
  query.delete("page");
  const exportHref = (format: string, extra = "") => `/admin/completions/export?${query}${query.size ? "&" : ""}format=${format}${extra}`;
  return (
    <section>
      <Form method="get" className="card filters" aria-label="Filter completions">
        <div className="filter-grid">
          <div className="field"><label htmlFor="f-q">Name, email or certificate id</label><input id="f-q" name="q" type="search" defaultValue={params.get("q") ?? ""} /></div>
          <div className="field">
            <label htmlFor="f-course">Course</label>
            <select id="f-course" name="course" defaultValue={params.get("course") ?? ""}>
              <option value="">All courses</option>
              {courses.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
          <div className="field"><label htmlFor="f-from">Completed from</label><input id="f-from" name="from" type="date" defaultValue={params.get("from") ?? ""} /></div>
          <div className="field"><label htmlFor="f-to">Completed to</label><input id="f-to" name="to" type="date" defaultValue={params.get("to") ?? ""} /></div>
          <div className="field">
            <label htmlFor="f-state">License state</label>
            <select id="f-state" name="state" defaultValue={params.get("state") ?? ""}>
              <option value="">Any state</option>
              {US_JURISDICTIONS.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-type">License type</label>
            <select id="f-type" name="licenseType" defaultValue={params.get("licenseType") ?? ""}>
              <option value="">Any type</option>
              {LICENSE_TYPES.filter((t) => t.code !== OTHER_LICENSE_TYPE).map((t) => <option key={t.code} value={t.code}>{t.code}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-status">Status</label>
            <select id="f-status" name="status" defaultValue={params.get("status") ?? ""}>
              <option value="">Any status</option>
              <option value="valid">Valid</option>
              <option value="revoked">Revoked</option>
              <option value="replaced">Replaced</option>
            </select>
          </div>
        </div>
        <div className="actions"><button type="submit" className="button">Apply filters</button><Link to="/admin/completions">Clear</Link></div>
      </Form>

      {error ? <div className="alert alert--error" role="alert"><p>{error}</p></div> : null}
      {actionData ? <div className="alert alert--info" role="status"><p>{actionData.message}</p></div> : null}

      <div className="actions" style={{ margin: "1rem 0" }}>
        <strong data-testid="completion-total">{total} record{total === 1 ? "" : "s"}</strong>
        <span className="muted">Export these:</span>
        <a href={exportHref("csv")} download>CSV</a>
        <a href={exportHref("csv", "&bom=1")} download>CSV for Excel</a>
        <a href={exportHref("xlsx")} download>XLSX</a>
        <a href={exportHref("jsonl")} download>JSON lines</a>
        <a href={`/admin/completions/pdfs?${query}`} download>Certificate PDFs (zip)</a>
      </div>
      <div className="card" style={{ marginBottom: "1rem" }} data-testid="ce-broker">
        {ceBrokerProblems.length ? (
          <>
            <p style={{ marginTop: 0 }}>
              <strong>CE Broker roster:</strong> {unreported} license{unreported === 1 ? "" : "s"} in this filter not yet reported. The roster cannot be
              downloaded yet, because CE Broker cannot match it without these settings:
            </p>
            <ul data-testid="ce-broker-problems">
              {ceBrokerProblems.map((p) => <li key={p}>{p}</li>)}
            </ul>
          </>
        ) : (
          <>
            <p style={{ marginTop: 0 }}>
              <strong>CE Broker roster:</strong> {unreported} license{unreported === 1 ? "" : "s"} in this filter not yet reported (CE Broker counts each license of a completion).{" "}
              <a href={exportHref("cebroker-xlsx")} download>Roster (XLSX)</a> · <a href={exportHref("cebroker-csv")} download>Roster (CSV)</a> ·{" "}
              <a href={exportHref("cebroker-xlsx", "&includeReported=1")} download>including already reported</a>
            </p>
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="mark-reported" />
              <button type="submit" className="button button--secondary button--small" disabled={!unreported}>Mark these {unreported} as reported</button>
            </Form>
          </>
        )}
      </div>

      <div className="table-wrap card" style={{ padding: 0 }}>
        <table>
          <thead>
            <tr>
              <SortHeader field="name">Learner</SortHeader>
              <th scope="col">License</th>
              <SortHeader field="course">Course</SortHeader>
              <SortHeader field="completed">Completed</SortHeader>
              <th scope="col">Active time</th>
              <th scope="col">Score</th>
              <SortHeader field="status">Status</SortHeader>
              <th scope="col">Certificate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.certificateId}-${r.licenseNumber}-${r.licenseState}`} data-testid="completion-row">
                <td><Link to={`/admin/learners/${r.userId}`}>{r.learnerName}</Link><br /><span className="muted">{r.email}</span></td>
                <td>{r.licenseType} {r.licenseNumber} {r.licenseState ? `(${r.licenseState})` : ""}</td>
                <td>{r.courseTitle}<br /><span className="muted">{r.ceHours} h · v{r.courseVersion}</span></td>
                <td>{r.completionDate}</td>
                <td data-testid="active-time">
                  {r.activeHours.toFixed(2)} h of {r.ceHours} CE h
                  {r.timeFlag ? <><br /><span className="badge badge--warnings" title="Active time on the lessons is below the course's minimum share of its CE hours">Below the time minimum</span></> : null}
                </td>
                <td>{r.postTestScorePercent}%</td>
                <td>{r.status}{r.reportedToCeBroker ? <><br /><span className="muted">CE Broker {r.reportedToCeBroker}</span></> : null}</td>
                <td><Link to={`/verify/${r.certificateId}`}>{r.certificateId}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
