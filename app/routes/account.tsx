import type { LoaderFunctionArgs } from "react-router";
import { NavLink, Outlet } from "react-router";
import { requireUser } from "#app/auth/guards.server.ts";

export async function loader(args: LoaderFunctionArgs) {
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
