import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
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
