import { data, redirect, useActionData, useLoaderData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import { findExternalEntry, licenseChoices, licenseKey, licenseLabel, updateExternalEntry } from "#app/transcript/entries.server.ts";
import { EntryForm, type EntryFormValues } from "#app/transcript/entry-form.tsx";
import type { Route } from "./+types/transcript.entries.$entryId._index";

export const meta: Route.MetaFunction = () => [{ title: "Edit CE earned elsewhere · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  // Another learner's entry is not found, whoever asks: its existence is not told either.
  const entry = await findExternalEntry(user.id, args.params.entryId);
  if (!entry) throw new Response("Entry not found", { status: 404 });
  const values: EntryFormValues = {
    provider: entry.provider,
    title: entry.title,
    ceHours: String(entry.ceHundredths / 100),
    completedOn: entry.completedOn,
    accreditingBody: entry.accreditingBody ?? "",
    approvalNumber: entry.approvalNumber ?? "",
    license: entry.licenses.map(licenseKey),
  };
  return {
    id: entry.id,
    values,
    fileName: entry.fileName,
    choices: licenseChoices(user.id, entry.licenses).map((l) => ({ key: licenseKey(l), label: licenseLabel(l) })),
  };
}

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const result = await updateExternalEntry(user.id, args.params.entryId, await readForm(args.request));
  if (!result) throw new Response("Entry not found", { status: 404 });
  if (!result.ok) return data({ errors: result.fieldErrors, values: result.values }, { status: 400 });
  return redirect("/transcript?saved=updated");
}

export default function EditEntry() {
  const { id, values, fileName, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card" style={{ maxWidth: 760 }}>
      <h1 style={{ marginTop: 0 }}>Edit CE earned elsewhere</h1>
      <EntryForm key={JSON.stringify(actionData ?? null)} values={(actionData?.values as EntryFormValues | undefined) ?? values} choices={choices} errors={actionData?.errors} fileName={fileName} submitLabel="Save changes" busy={busy} />
      <p><a href={`/transcript/entries/${id}/delete`}>Delete this entry…</a></p>
    </div>
  );
}
