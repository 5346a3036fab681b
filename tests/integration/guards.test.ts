import { describe, expect, test } from "vitest";
import { verifyAuditChain } from "#app/audit/audit.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { loader as adminLayoutLoader } from "#app/routes/admin.tsx";
import { action as adminUsersAction, loader as adminUsersLoader } from "#app/routes/admin.users.tsx";
import { loader as dashboardLoader } from "#app/routes/dashboard.tsx";
import { countRows, createSignedInUser, createUser } from "#tests/db-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

describe("role guards", () => {
  test("an anonymous visitor is sent to sign in, and brought back after", async () => {
    const res = await run(adminUsersLoader, getRequest("/admin/users?page=2"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers%3Fpage%3D2");
    const dash = await run(dashboardLoader, getRequest("/dashboard"));
    expect(dash.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard");
  });

  test("a learner and an author get 403 on admin pages", async () => {
    for (const role of ["learner", "author"] as const) {
      const { cookie } = await createSignedInUser({ role });
      expect((await run(adminLayoutLoader, getRequest("/admin", cookie))).status).toBe(403);
      expect((await run(adminUsersLoader, getRequest("/admin/users", cookie))).status).toBe(403);
    }
  });

  test("a learner cannot change roles, and nothing changes", async () => {
    const { user: learner, cookie } = await createSignedInUser();
    const before = countRows("audit_log");
    const res = await run(adminUsersAction, formRequest("/admin/users", { userId: learner.id, role: "admin" }, { cookie }));
    expect(res.status).toBe(403);
    const role = getDb().$client.prepare("select role from users where id = ?").get(learner.id) as { role: string };
    expect(role.role).toBe("learner");
    expect(countRows("audit_log")).toBe(before);
  });

  test("an admin sees users and changes a role, recorded in the audit log", async () => {
    const { user: admin, cookie } = await createSignedInUser({ role: "admin" });
    const target = await createUser({ name: "Zed Author-to-be" });
    const page = await run<{ rows: Array<{ id: string }> }>(adminUsersLoader, getRequest(`/admin/users?q=${encodeURIComponent("Zed Author")}`, cookie));
    expect(page.status).toBe(200);
    expect(page.data?.rows.map((r) => r.id)).toEqual([target.id]);

    const res = await run<{ ok: boolean; message: string }>(adminUsersAction, formRequest("/admin/users", { userId: target.id, role: "author" }, { cookie }));
    expect(res.data).toMatchObject({ ok: true, message: "Role updated." });
    const row = getDb().$client.prepare("select * from audit_log order by id desc limit 1").get() as Record<string, string>;
    expect(row).toMatchObject({ actor_id: admin.id, action: "user.role_changed", entity_id: target.id, before: '{"role":"learner"}', after: '{"role":"author"}' });
    expect(verifyAuditChain(getDb()).ok).toBe(true);
  });

  test("an admin cannot change their own role, and a bad role is refused", async () => {
    const { user: admin, cookie } = await createSignedInUser({ role: "admin" });
    const own = await run<{ ok: boolean; message: string }>(adminUsersAction, formRequest("/admin/users", { userId: admin.id, role: "learner" }, { cookie }));
    expect(own.status).toBe(400);
    expect(own.data?.message).toMatch(/cannot change your own role/);
    const target = await createUser();
    const bad = await run<{ ok: boolean; message: string }>(adminUsersAction, formRequest("/admin/users", { userId: target.id, role: "superuser" }, { cookie }));
    expect(bad.status).toBe(400);
    expect(bad.data?.message).toBe("Choose a role: learner, author, admin or mentor.");
  });
});
