import { data, redirect, useActionData, useLoaderData, useNavigation } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import { addExternalEntry, licenseChoices, licenseKey, licenseLabel } from "#app/transcript/entries.server.ts";
import { EntryForm, type EntryFormValues } from "#app/transcript/entry-form.tsx";
import type { Route } from "./+types/transcript.entries.new";

export const meta: Route.MetaFunction = () => [{ title: "Add CE earned elsewhere · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  return { choices: licenseChoices(user.id).map((l) => ({ key: licenseKey(l), label: licenseLabel(l) })) };
}

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const result = await addExternalEntry(user.id, await readForm(args.request));
  if (!result.ok) return data({ errors: result.fieldErrors, values: result.values }, { status: 400 });
  return redirect("/transcript?saved=added");
}

const EMPTY: EntryFormValues = { provider: "", title: "", ceHours: "", completedOn: "", accreditingBody: "", approvalNumber: "", license: [] };

export default function NewEntry() {
  const { choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // One license is the usual case: ticked for the learner, who may untick it.
  const values = (actionData?.values as EntryFormValues | undefined) ?? { ...EMPTY, license: choices.length === 1 ? [choices[0]!.key] : [] };
  return (
    <div className="card" style={{ maxWidth: 760 }}>
      <h1 style={{ marginTop: 0 }}>Add CE earned elsewhere</h1>
      <EntryForm key={JSON.stringify(actionData ?? null)} values={values} choices={choices} errors={actionData?.errors} submitLabel="Add to transcript" busy={busy} />
    </div>
  );
}
