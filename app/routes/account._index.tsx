import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getAccount, updateProfile } from "#app/auth/accounts.server.ts";
import { fieldErrorsOf, licensesFromForm, profileSchema } from "#app/auth/forms.ts";
import { requireUser } from "#app/auth/guards.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { LicenseFields } from "#app/components/license-fields.tsx";
import { withNotice } from "#app/components/notice.tsx";

export const meta: MetaFunction = () => [{ title: "Profile · KAP Academy" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const account = await getAccount(user.id);
  if (!account) throw new Response("Account not found", { status: 404 });
  return {
    account: {
      name: account.name,
      email: account.email,
      role: account.role,
      memberSince: account.createdAt.toISOString(),
      licenses: account.licenses.map((l) => ({ type: l.type, number: l.number, state: l.state })),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const form = await args.request.formData();
  const parsed = profileSchema.safeParse({ name: form.get("name") ?? "", licenses: licensesFromForm(form) });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  await updateProfile(user.id, parsed.data);
  return redirect(withNotice("/account", "profile-saved"));
}

export default function ProfilePage() {
  const { account } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card" style={{ maxWidth: 760 }}>
      <h2 style={{ marginTop: 0 }}>Profile and licenses</h2>
      <p className="muted">
        Signed in as <strong>{account.email}</strong>. Certificates already issued keep the name and licenses they were
        issued with; changes here apply to certificates issued from now on.
      </p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="form" noValidate key={JSON.stringify(account)}>
        <Field label="Full legal name" name="name" autoComplete="name" required defaultValue={account.name} hint="As it appears on your license." errors={errors?.name} />
        <LicenseFields initial={account.licenses} errors={errors} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>{busy ? "Saving…" : "Save profile"}</button>
        </div>
      </Form>
    </div>
  );
}
