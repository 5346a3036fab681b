import { data, redirect } from "react-router";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "react-router";
import { logIn } from "#app/auth/accounts.server.ts";
import { fieldErrorsOf, formError, loginSchema } from "#app/auth/forms.ts";
import { clientIp, requireAnonymous } from "#app/auth/guards.server.ts";
import { isHttps, sessionCookie } from "#app/auth/session.server.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";
import { readForm } from "#app/http/forms.server.ts";
import { retryAfterSeconds } from "#app/http/headers.ts";
import { redirectTarget } from "#app/http/redirect.ts";
import type { Route } from "./+types/login";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · KAP Academy" }];

/**
 * A route's action headers reach the browser only through its `headers` export
 * (for page and `.data` requests alike): pass on `Retry-After` from a locked sign-in.
 */
export const headers: Route.HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader(args: Route.LoaderArgs) {
  await requireAnonymous(args);
  return null;
}

export async function action(args: Route.ActionArgs) {
  await requireAnonymous(args);
  const form = await readForm(args.request);
  const parsed = loginSchema.safeParse({
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    redirectTo: form.get("redirectTo") ?? undefined,
  });
  if (!parsed.success) return data({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  // Everything the response needs is settled before a session exists, so no session
  // is created for a response that cannot be sent.
  const target = redirectTarget(args.request, parsed.data.redirectTo);
  const https = isHttps(args.request);
  const result = await logIn({ email: parsed.data.email, password: parsed.data.password, ip: clientIp(args) });
  if (!result.ok) {
    return data(
      { errors: formError(result.message) },
      { status: result.status, headers: result.retryAt ? { "Retry-After": String(retryAfterSeconds(result.retryAt)) } : undefined },
    );
  }
  return redirect(target, { headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt, https) } });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <div className="card">
        <ErrorSummary errors={errors} title="We could not sign you in." />
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors?.email} />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors?.password} />
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
            <Link to="/forgot-password">Forgot your password?</Link>
          </div>
        </Form>
      </div>
      <p className="muted">New to KAP Academy? <Link to="/signup">Create an account</Link>.</p>
    </div>
  );
}
