import { Form, Link, redirect, useLoaderData } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import { deleteExternalEntry, findExternalEntry } from "#app/transcript/entries.server.ts";
import { formatHours } from "#app/transcript/period.ts";
import type { Route } from "./+types/transcript.entries.$entryId.delete";

export const meta: Route.MetaFunction = () => [{ title: "Delete CE entry · KAP Academy" }];

/** Deleting asks first, on a page of its own, so it needs no script to confirm. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const entry = await findExternalEntry(user.id, args.params.entryId);
  if (!entry) throw new Response("Entry not found", { status: 404 });
  return { id: entry.id, title: entry.title, provider: entry.provider, hours: formatHours(entry.ceHundredths), completedOn: entry.completedOn, fileName: entry.fileName };
}

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  if (form.get("confirm") !== "yes") return redirect(`/transcript/entries/${encodeURIComponent(args.params.entryId)}`);
  if (!(await deleteExternalEntry(user.id, args.params.entryId))) throw new Response("Entry not found", { status: 404 });
  return redirect("/transcript?saved=deleted");
}

export default function DeleteEntry() {
  const e = useLoaderData<typeof loader>();
  return (
    <div className="card" style={{ maxWidth: 640 }}>
      <h1 style={{ marginTop: 0 }}>Delete this CE entry?</h1>
      <p>
        <strong>{e.title}</strong> from {e.provider}, {e.hours} CE hours, completed {e.completedOn} (self-reported)
        {e.fileName ? `, with its certificate file ${e.fileName}` : ""}. It leaves your transcript and its totals; this cannot be undone.
      </p>
      <Form method="post" className="actions">
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" className="button button--danger">Delete the entry</button>
        <Link to="/transcript">Keep it</Link>
      </Form>
    </div>
  );
}
