import { NavLink, Outlet } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";
import type { Route } from "./+types/account";

export async function loader(args: Route.LoaderArgs) {
  await requireUser(args);
  return null;
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
