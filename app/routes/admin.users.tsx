import { data } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { z } from "zod";
import { changeUserRole, listUsers, setUserActive, USERS_PAGE_SIZE } from "#app/admin/users.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { ROLES } from "#app/auth/roles.ts";
import { Pagination } from "#app/components/pagination.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/admin.users";

export const meta: Route.MetaFunction = () => [{ title: "Users and roles · KAP Academy" }];

const querySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader(args: Route.LoaderArgs) {
  const admin = await requireRole(args, "admin");
  const url = new URL(args.request.url);
  const { q, page } = querySchema.parse({ q: url.searchParams.get("q") ?? undefined, page: url.searchParams.get("page") ?? 1 });
  const { rows, total } = await listUsers({ q, page });
  return {
    me: admin.id,
    q: q ?? "",
    page,
    pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)),
    total,
    rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

const roleChangeSchema = z.object({
  userId: z.string({ error: "Choose a user." }).min(1, "Choose a user.").max(64),
  role: z.enum(ROLES, { error: "Choose a role: learner, author, admin or mentor." }),
});

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const form = await readForm(args.request);
  const intent = form.get("intent");
  if (intent === "deactivate" || intent === "reactivate") {
    const userId = String(form.get("userId") ?? "");
    if (!userId) return data({ ok: false as const, message: "Choose a user." }, { status: 400 });
    const result = await setUserActive(admin.id, userId, intent === "reactivate");
    if (!result.ok) return data({ ok: false as const, message: result.message }, { status: 400 });
    return { ok: true as const, message: intent === "reactivate" ? "Account reactivated." : "Account deactivated: it can no longer sign in; its records are kept." };
  }
  const parsed = roleChangeSchema.safeParse({ userId: form.get("userId") ?? "", role: form.get("role") ?? "" });
  if (!parsed.success) {
    return data({ ok: false as const, message: parsed.error.issues.map((i) => i.message).join(" ") }, { status: 400 });
  }
  const result = await changeUserRole(admin.id, parsed.data.userId, parsed.data.role);
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: 400 });
  return { ok: true as const, message: result.changed ? "Role updated." : "No change: the user already had that role." };
}

export default function AdminUsers() {
  const { me, q, page, pages, total, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section>
      {actionData ? (
        <div className={`alert ${actionData.ok ? "alert--success" : "alert--error"}`} role={actionData.ok ? "status" : "alert"}>
          <p>{actionData.message}</p>
        </div>
      ) : null}
      <Form method="get" className="actions" role="search" style={{ marginBottom: "1rem" }}>
        <label htmlFor="user-search" className="visually-hidden">Search users by name or email</label>
        <input id="user-search" type="search" name="q" defaultValue={q} placeholder="Search by name or email" style={{ maxWidth: 320 }} />
        <button type="submit" className="button button--secondary">Search</button>
        <span className="muted">{total} user{total === 1 ? "" : "s"}</span>
      </Form>
      <div className="table-wrap card" style={{ padding: 0 }}>
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Licenses</th><th scope="col">Role</th><th scope="col">Access</th></tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id} data-testid="user-row">
                <td><Link to={`/admin/learners/${u.id}`}>{u.name}</Link>{u.deactivated ? <span className="muted"> (deactivated)</span> : null}</td>
                <td>{u.email}</td>
                <td>{u.licenses || <span className="muted">none</span>}</td>
                <td>
                  {u.id === me ? (
                    <span>{u.role} <span className="muted">(you)</span></span>
                  ) : (
                    <Form method="post" className="actions">
                      <input type="hidden" name="userId" value={u.id} />
                      <label htmlFor={`role-${u.id}`} className="visually-hidden">Role of {u.name}</label>
                      <select id={`role-${u.id}`} name="role" defaultValue={u.role} style={{ width: "auto" }}>
                        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                      </select>
                      <button type="submit" className="button button--small" disabled={busy}>Save<span className="visually-hidden"> role of {u.name}</span></button>
                    </Form>
                  )}
                </td>
                <td>
                  {u.id === me ? null : (
                    <Form method="post">
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit" name="intent" value={u.deactivated ? "reactivate" : "deactivate"} className={`button button--small ${u.deactivated ? "button--secondary" : "button--danger"}`}>
                        {u.deactivated ? "Reactivate" : "Deactivate"}<span className="visually-hidden"> {u.name}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
