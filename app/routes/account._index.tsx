import { data, redirect } from "react-router";
import { Form, useActionData, useLoaderData, useNavigation } from "react-router";
import { closeAccount, getAccount, updateProfile } from "#app/auth/accounts.server.ts";
import { blankSessionCookie, isHttps } from "#app/auth/session.server.ts";
import { fieldErrorsOf, licensesFromForm, profileSchema } from "#app/auth/forms.ts";
import { requireUser } from "#app/auth/guards.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { LicenseFields } from "#app/components/license-fields.tsx";
import { withNotice } from "#app/components/notice.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/account._index";

export const meta: Route.MetaFunction = () => [{ title: "Profile · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
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

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  if (form.get("intent") === "close") {
    const closed = await closeAccount(user.id, String(form.get("closePassword") ?? ""));
    if (!closed.ok) return data({ errors: closed.fieldErrors }, { status: 400 });
    return redirect("/?notice=account-closed", { headers: { "Set-Cookie": blankSessionCookie(isHttps(args.request)) } });
  }
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
      <details className="close-account" style={{ marginTop: "2rem" }}>
        <summary>Close your account</summary>
        <p>
          Closing your account stops all sign-in. Your CE records (completions, certificates, quiz attempts, evaluations and
          attestations) are kept for at least seven years, because licensing boards and accreditors require providers to keep
          them; your certificates stay verifiable. To have other personal data removed, contact your CE administrator.
        </p>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="close" />
          <Field label="Your password, to confirm" name="closePassword" type="password" autoComplete="current-password" errors={errors?.closePassword} />
          <button type="submit" className="button button--danger">Close my account</button>
        </Form>
      </details>
    </div>
  );
}
