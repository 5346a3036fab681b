import { data, Form, useActionData, useLoaderData, useNavigation } from "react-router";
import { z } from "zod";
import { requireRole } from "#app/auth/guards.server.ts";
import { Pagination } from "#app/components/pagination.tsx";
import { LONG_QUEUED_MS, listMailProblems, retryFailedEmail } from "#app/email/queue.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/admin.emails";

export const meta: Route.MetaFunction = () => [{ title: "Email delivery · Administration · KAP Academy" }];

const querySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  const { page } = querySchema.parse({ page: new URL(args.request.url).searchParams.get("page") ?? 1 });
  const { rows, total, pages } = listMailProblems({ page });
  return {
    page,
    pages,
    total,
    longQueuedMinutes: LONG_QUEUED_MS / 60_000,
    rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null })),
  };
}

const retrySchema = z.object({ id: z.string({ error: "Choose a message to retry." }).trim().min(1, "Choose a message to retry.").max(64, "That is not a message id.") });

export async function action(args: Route.ActionArgs) {
  const admin = await requireRole(args, "admin");
  const form = await readForm(args.request);
  if (form.get("intent") !== "retry") return data({ ok: false as const, message: "Unknown action: the only action here is retrying a failed message." }, { status: 400 });
  const parsed = retrySchema.safeParse({ id: form.get("id") ?? undefined });
  if (!parsed.success) return data({ ok: false as const, message: parsed.error.issues.map((i) => i.message).join(" ") }, { status: 400 });
  const result = retryFailedEmail(admin.id, parsed.data.id);
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: 409 });
  return { ok: true as const, message: "The message is queued again and will be sent in a moment." };
}

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "–");

export default function AdminEmails() {
  const { rows, total, page, pages, longQueuedMinutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="emails-heading">
      <h2 id="emails-heading">Email delivery problems</h2>
      <p className="muted">
        Messages the mail server did not accept after every attempt (failed), and messages still waiting more than {longQueuedMinutes} minutes after they were
        queued. A retried message gets a fresh set of attempts.
      </p>
      {actionData ? (
        <div className={`alert ${actionData.ok ? "alert--success" : "alert--error"}`} role={actionData.ok ? "status" : "alert"}>
          <p>{actionData.message}</p>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <p className="alert alert--success">No failed or long-waiting messages.</p>
      ) : (
        <>
          <p className="muted">{total} message{total === 1 ? "" : "s"}</p>
          <div className="table-wrap card" style={{ padding: 0 }}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Recipient</th><th scope="col">Subject</th><th scope="col">Template</th><th scope="col">Status</th>
                  <th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Queued (UTC)</th><th scope="col">Next attempt (UTC)</th><th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-testid="email-row">
                    <td>{r.to}</td>
                    <td>{r.subject}</td>
                    <td><code>{r.template}</code></td>
                    <td><span className={`badge ${r.status === "failed" ? "badge--errors" : "badge--warnings"}`}>{r.status}</span></td>
                    <td>{r.attempts}</td>
                    <td><code style={{ overflowWrap: "anywhere" }}>{r.lastError ?? "–"}</code></td>
                    <td>{when(r.createdAt)}</td>
                    <td>{r.status === "failed" ? "–" : when(r.nextAttemptAt)}</td>
                    <td>
                      {r.retryable ? (
                        <Form method="post">
                          <input type="hidden" name="id" value={r.id} />
                          <button type="submit" name="intent" value="retry" className="button button--small" disabled={busy}>
                            Retry now<span className="visually-hidden"> the message to {r.to}: {r.subject}</span>
                          </button>
                        </Form>
                      ) : r.status === "failed" ? (
                        <span className="muted">Text discarded; cannot be resent</span>
                      ) : (
                        <span className="muted">Retried automatically</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Pagination page={page} pages={pages} />
    </section>
  );
}
