import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { fieldErrorsOf, formError, resetPasswordSchema } from "#app/auth/forms.ts";
import { checkResetToken, RESET_PROBLEM_MESSAGES, resetPassword } from "#app/auth/password-reset.server.ts";
import { PASSWORD_MIN_LENGTH } from "#app/auth/limits.ts";
import { blankSessionCookie, isHttps } from "#app/auth/session.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { withNotice } from "#app/components/notice.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/reset-password";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password · KAP Academy" }];

export async function loader({ request }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!token) return { token, problem: RESET_PROBLEM_MESSAGES.invalid, email: null };
  const check = await checkResetToken(token);
  return check.ok
    ? { token, problem: null, email: check.email }
    : { token, problem: RESET_PROBLEM_MESSAGES[check.problem], email: null };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await readForm(request);
  const parsed = resetPasswordSchema.safeParse({
    token: form.get("token") ?? "",
    password: form.get("password") ?? "",
    confirmPassword: form.get("confirmPassword") ?? "",
  });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const result = await resetPassword(parsed.data.token, parsed.data.password);
  if (!result.ok) return data({ errors: formError(RESET_PROBLEM_MESSAGES[result.problem]) }, { status: 400 });
  // Every session was ended, this browser's included.
  return redirect(withNotice("/login", "password-reset"), {
    headers: { "Set-Cookie": blankSessionCookie(isHttps(request)) },
  });
}

export default function ResetPasswordPage() {
  const { token, problem, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (problem) {
    return (
      <div className="narrow">
        <h1>Choose a new password</h1>
        <div className="alert alert--error" role="alert"><p>{problem}</p></div>
        <p><Link to="/forgot-password" className="button">Ask for a new link</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <div className="card">
        <p>Choose a new password for <strong>{email}</strong>. Every device signed in to this account will be signed out.</p>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="token" value={token} />
          <Field label="New password" name="password" type="password" autoComplete="new-password" required hint={`At least ${PASSWORD_MIN_LENGTH} characters.`} errors={actionData?.errors?.password} />
          <Field label="Repeat new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={actionData?.errors?.confirmPassword} />
          <button type="submit" className="button" disabled={busy}>Save new password</button>
        </Form>
      </div>
    </div>
  );
}
