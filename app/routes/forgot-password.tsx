import { data } from "react-router";
import { Form, Link, useActionData, useNavigation } from "react-router";
import { fieldErrorsOf, forgotPasswordSchema } from "#app/auth/forms.ts";
import { requestPasswordReset } from "#app/auth/password-reset.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/forgot-password";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password · KAP Academy" }];

export async function action({ request }: Route.ActionArgs) {
  const form = await readForm(request);
  const parsed = forgotPasswordSchema.safeParse({ email: form.get("email") ?? "" });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error), sentTo: null }, { status: 400 });
  await requestPasswordReset(parsed.data.email);
  // The same answer whether or not the account exists.
  return { errors: null, sentTo: parsed.data.email };
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow">
      <h1>Reset your password</h1>
      {actionData?.sentTo ? (
        <div className="alert alert--success" role="status">
          <p>
            If an account exists for <strong>{actionData.sentTo}</strong>, we have sent it a link to choose a new
            password. The link works once, for one hour. Check your spam folder if it does not arrive within a few minutes.
          </p>
        </div>
      ) : null}
      <div className="card">
        <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
        <ErrorSummary errors={actionData?.errors} />
        <Form method="post" className="form" noValidate>
          <Field label="Email" name="email" type="email" autoComplete="email" required errors={actionData?.errors?.email} />
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>Send reset link</button>
            <Link to="/login">Back to sign in</Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
