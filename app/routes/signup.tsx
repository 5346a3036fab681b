import { data, redirect } from "react-router";
import { Form, Link, useActionData, useNavigation } from "react-router";
import { signUp } from "#app/auth/accounts.server.ts";
import { fieldErrorsOf, licensesFromForm, signupSchema } from "#app/auth/forms.ts";
import { requireAnonymous } from "#app/auth/guards.server.ts";
import { PASSWORD_MIN_LENGTH } from "#app/auth/limits.ts";
import { createSession, isHttps, sessionCookie } from "#app/auth/session.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { LicenseFields } from "#app/components/license-fields.tsx";
import { withNotice } from "#app/components/notice.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/signup";

export const meta: Route.MetaFunction = () => [{ title: "Create your account · KAP Academy" }];

export async function loader(args: Route.LoaderArgs) {
  await requireAnonymous(args);
  return null;
}

export async function action(args: Route.ActionArgs) {
  await requireAnonymous(args);
  const form = await readForm(args.request);
  const parsed = signupSchema.safeParse({
    name: form.get("name") ?? "",
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    confirmPassword: form.get("confirmPassword") ?? "",
    licenses: licensesFromForm(form),
  });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const created = await signUp(parsed.data);
  if (!created.ok) return data({ errors: created.fieldErrors }, { status: 400 });
  const { token, session } = await createSession(created.user.id);
  return redirect(withNotice("/dashboard", "welcome"), {
    headers: { "Set-Cookie": sessionCookie(token, session.expiresAt, isHttps(args.request)) },
  });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow" style={{ maxWidth: 720 }}>
      <h1>Create your account</h1>
      <p className="lead">
        KAP Academy awards continuing-education hours to licensed clinicians. We print your name and licenses on your
        certificates, so enter them as they appear on your license.
      </p>
      <div className="card">
        <ErrorSummary errors={errors} />
        <Form method="post" className="form" noValidate>
          <Field label="Full legal name" name="name" autoComplete="name" required hint="As it appears on your license." errors={errors?.name} />
          <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors?.email} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. A phrase of several words is easy to remember and hard to guess.`}
            errors={errors?.password}
          />
          <Field label="Repeat password" name="confirmPassword" type="password" autoComplete="new-password" required errors={errors?.confirmPassword} />
          <LicenseFields errors={errors} />
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>{busy ? "Creating account…" : "Create account"}</button>
            <span className="muted">Already have an account? <Link to="/login">Sign in</Link></span>
          </div>
        </Form>
      </div>
    </div>
  );
}
