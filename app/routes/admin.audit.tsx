import { Form, Link, useLoaderData, useSearchParams } from "react-router";
import { z } from "zod";
import { listAudit, verifyAudit } from "#app/audit/audit.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { Pagination } from "#app/components/pagination.tsx";
import type { Route } from "./+types/admin.audit";

export const meta: Route.MetaFunction = () => [{ title: "Audit log · Administration · KAP Academy" }];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);
const schema = z.object({
  action: z.string().max(100).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const params = Object.fromEntries([...new URL(args.request.url).searchParams].filter(([, v]) => v));
  const f = schema.parse(params);
  const result = listAudit({ ...f, page: f.page ?? 1 });
  return { ...result, page: f.page ?? 1, chain: await verifyAudit() };
}

export default function AuditLog() {
  const { rows, total, pages, page, actions, chain } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section>
      {chain.ok ? (
        <p className="alert alert--success" role="status">
          Hash chain intact: {chain.count} entries verified{chain.anchored ? `, ${chain.anchored.count} of them in the signed anchor` : ""}; append-only triggers in place.
        </p>
      ) : (
        <div className="alert alert--error" role="status">
          <p>The audit log failed verification:</p>
          <ul>{chain.problems.map((p) => <li key={p}>{p}.</li>)}</ul>
        </div>
      )}
      <Form method="get" className="card filters">
        <div className="filter-grid">
          <div className="field">
            <label htmlFor="a-action">Action</label>
            <select id="a-action" name="action" defaultValue={params.get("action") ?? ""}>
              <option value="">All actions</option>
              {actions.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </div>
          <div className="field"><label htmlFor="a-q">Who or what</label><input id="a-q" name="q" type="search" defaultValue={params.get("q") ?? ""} /></div>
          <div className="field"><label htmlFor="a-from">From</label><input id="a-from" name="from" type="date" defaultValue={params.get("from") ?? ""} /></div>
          <div className="field"><label htmlFor="a-to">To</label><input id="a-to" name="to" type="date" defaultValue={params.get("to") ?? ""} /></div>
        </div>
        <div className="actions"><button type="submit" className="button">Filter</button><Link to="/admin/audit">Clear</Link><span className="muted">{total} entries</span></div>
      </Form>
      <div className="table-wrap card" style={{ padding: 0, marginTop: "1rem" }}>
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row">
                <td>{r.id}</td>
                <td>{new Date(r.at).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{r.actorName ?? "system"}</td>
                <td>{r.action}</td>
                <td>{r.entityType} {r.entityId}</td>
                <td><code style={{ overflowWrap: "anywhere" }}>{r.before ?? "–"}</code></td>
                <td><code style={{ overflowWrap: "anywhere" }}>{r.after ?? "–"}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
