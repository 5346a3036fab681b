import { redirect } from "react-router";
import { getAuth } from "#app/auth/guards.server.ts";
import { blankSessionCookie, invalidateSession, isHttps } from "#app/auth/session.server.ts";
import { withNotice } from "#app/components/notice.tsx";
import type { Route } from "./+types/logout";

export async function loader() {
  // Signing out changes state, so it happens only by POST (the header's button).
  return redirect("/");
}

export async function action(args: Route.ActionArgs) {
  const auth = await getAuth(args);
  if (auth) await invalidateSession(auth.session.id);
  return redirect(withNotice("/login", "signed-out"), {
    headers: { "Set-Cookie": blankSessionCookie(isHttps(args.request)) },
  });
}
