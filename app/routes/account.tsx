import { data, NavLink, Outlet } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import type { Route } from "./+types/account";

export async function loader(args: Route.LoaderArgs) {
  await requireUser(args);
  return null;
}

/**
 * The layout takes no form: the profile form posts to /account?index. Without
 * this, a stray POST to /account is a framework error with a stack trace in the log.
 */
export async function action(args: Route.ActionArgs) {
  await requireUser(args);
  return data({ ok: false as const, message: "Nothing to post here: the profile form posts to /account?index." }, { status: 405, headers: { Allow: "GET" } });
}

export default function AccountLayout() {
  return (
    <div>
      <h1>Your account</h1>
      <nav className="tabs" aria-label="Account">
        <NavLink to="/account" end>Profile and licenses</NavLink>
        <NavLink to="/account/password">Password</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
