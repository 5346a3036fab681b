import { data, redirect } from "react-router";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { checkSignupToken, confirmSignUp, requestSignUp, SIGNUP_LINK_MESSAGES } from "#app/auth/accounts.server.ts";
import { fieldErrorsOf, licensesFromForm, signupSchema, type FieldErrors } from "#app/auth/forms.ts";
import { requireAnonymous } from "#app/auth/guards.server.ts";
import { PASSWORD_MIN_LENGTH } from "#app/auth/limits.ts";
import { createSession, isHttps, sessionCookie } from "#app/auth/session.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { LicenseFields } from "#app/components/license-fields.tsx";
import { withNotice } from "#app/components/notice.tsx";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/signup";

export const meta: Route.MetaFunction = () => [{ title: "Create your account · KAP Academy" }];

/** `/signup?token=…` is the emailed confirmation link: it shows whose sign-up it confirms; a button (a POST) confirms it. */
export async function loader(args: Route.LoaderArgs) {
  await requireAnonymous(args);
  const token = new URL(args.request.url).searchParams.get("token");
  if (token === null) return { confirm: null };
  const check = checkSignupToken(token);
  return { confirm: check.ok ? { token, email: check.email, name: check.name, problem: null } : { token, email: null, name: null, problem: SIGNUP_LINK_MESSAGES[check.problem] } };
}

export async function action(args: Route.ActionArgs) {
  await requireAnonymous(args);
  const form = await readForm(args.request);
  if (form.get("intent") === "confirm") {
    const token = form.get("token");
    const confirmed = await confirmSignUp(typeof token === "string" ? token : "");
    if (!confirmed.ok) return data({ errors: { form: [confirmed.message] } as FieldErrors, sentTo: null }, { status: 400 });
    const { token: sessionToken, session } = await createSession(confirmed.user.id);
    return redirect(withNotice("/dashboard", "welcome"), {
      headers: { "Set-Cookie": sessionCookie(sessionToken, session.expiresAt, isHttps(args.request)) },
    });
  }
  const parsed = signupSchema.safeParse({
    name: form.get("name") ?? "",
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    confirmPassword: form.get("confirmPassword") ?? "",
    licenses: licensesFromForm(form),
  });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error), sentTo: null }, { status: 400 });
  // The same answer whether or not the address has an account (decision 015).
  await requestSignUp(parsed.data);
  return { errors: null, sentTo: parsed.data.email };
}

function ConfirmSignup({ confirm, errors }: { confirm: { token: string; email: string | null; name: string | null; problem: string | null }; errors?: Record<string, string[]> | null }) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow">
      <h1>Confirm your account</h1>
      <div className="card">
        <ErrorSummary errors={errors ?? undefined} />
        {confirm.problem ? (
          <>
            <p role="alert">{confirm.problem}</p>
            <p><Link to="/signup">Sign up again</Link> or <Link to="/login">sign in</Link>.</p>
          </>
        ) : (
          <Form method="post" className="form">
            <p>Create the account of <strong>{confirm.name}</strong> for <strong>{confirm.email}</strong> and sign in.</p>
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="token" value={confirm.token} />
            <div className="actions">
              <button type="submit" className="button" disabled={busy}>{busy ? "Confirming…" : "Confirm and sign in"}</button>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}

export default function SignupPage() {
  const { confirm } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const busy = useNavigation().state === "submitting";
  if (confirm) return <ConfirmSignup confirm={confirm} errors={errors} />;
  if (actionData?.sentTo) {
    return (
      <div className="narrow">
        <h1>Check your email</h1>
        <div className="alert alert--success" role="status">
          <p>
            We have sent a message to <strong>{actionData.sentTo}</strong>. Open the link in it to finish creating your
            account (it works for 24 hours). If you already have an account with this address, the message says how to
            sign in. Check your spam folder if it does not arrive within a few minutes.
          </p>
        </div>
        <p><Link to="/login">Go to sign in</Link></p>
      </div>
    );
  }
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
