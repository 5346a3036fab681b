import { NavLink, Outlet } from "react-router";
import { requireRole } from "#app/auth/guards.server.ts";
import type { Route } from "./+types/admin";

export async function loader(args: Route.LoaderArgs) {
  await requireRole(args, "admin");
  return null;
}

export default function AdminLayout() {
  return (
    <div>
      <h1>Administration</h1>
      <nav className="tabs" aria-label="Administration">
        <NavLink to="/admin" end>Overview</NavLink>
        <NavLink to="/admin/completions">Completions</NavLink>
        <NavLink to="/admin/users">Users and roles</NavLink>
        <NavLink to="/admin/certificates">Certificates</NavLink>
        <NavLink to="/admin/emails">Email delivery</NavLink>
        <NavLink to="/admin/mentoring">Mentoring</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
