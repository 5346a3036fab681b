import { data, redirect } from "react-router";
import { Form, useActionData, useNavigation } from "react-router";
import { changePassword } from "#app/auth/accounts.server.ts";
import { changePasswordSchema, fieldErrorsOf } from "#app/auth/forms.ts";
import { requireUser } from "#app/auth/guards.server.ts";
import { PASSWORD_MIN_LENGTH } from "#app/auth/limits.ts";
import { isHttps, sessionCookie } from "#app/auth/session.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { withNotice } from "#app/components/notice.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/account.password";

export const meta: Route.MetaFunction = () => [{ title: "Change password · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireUser(args);
  return null;
}

export async function action(args: Route.ActionArgs) {
  const user = await requireUser(args);
  const form = await readForm(args.request);
  const parsed = changePasswordSchema.safeParse({
    currentPassword: form.get("currentPassword") ?? "",
    newPassword: form.get("newPassword") ?? "",
    confirmPassword: form.get("confirmPassword") ?? "",
  });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const result = await changePassword(user.id, parsed.data);
  if (!result.ok) return data({ errors: result.fieldErrors }, { status: 400 });
  return redirect(withNotice("/account/password", "password-changed"), {
    headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt, isHttps(args.request)) },
  });
}

export default function ChangePasswordPage() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="card" style={{ maxWidth: 560 }}>
      <h2 style={{ marginTop: 0 }}>Change password</h2>
      <p className="muted">Changing your password signs out every other device.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="form" noValidate>
        <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={errors?.currentPassword} />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} errors={errors?.newPassword} />
        <Field label="Repeat new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={errors?.confirmPassword} />
        <button type="submit" className="button" disabled={busy}>Change password</button>
      </Form>
    </div>
  );
}
