import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO, gotoHydrated, signIn } from "./utils.ts";

test("an admin filters completion records and exports them; the audit log is intact", async ({ page }) => {
  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  await gotoHydrated(page, "/admin/completions?from=2026-02-30");
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText("That is not a real date.");
  await page.getByLabel("License state").selectOption("CA");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/state=CA/);

  await gotoHydrated(page, "/admin/completions?status=valid&sort=name&dir=asc");
  await expect(page.getByTestId("completion-total")).toBeVisible();
  const csv = await page.request.get("/admin/completions/export?format=csv&status=valid");
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect((await csv.text()).split("\r\n")[0]).toBe("Certificate ID,Verify URL,Learner name,Email,License type,License number,License state,Course ID,Course title,Course version,CE hours,Completion date,Post-test score (%),Evaluation date,Status,Reported to CE Broker,Active hours,Time flag");
  const xlsx = await page.request.get("/admin/completions/export?format=xlsx");
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await gotoHydrated(page, "/admin/audit");
  await expect(page.getByRole("status")).toContainText("Hash chain intact");
});

test("a learner gets 403 on every admin page and export", async ({ page }) => {
  await signIn(page, DEMO.learner.email, DEMO.learner.password);
  for (const url of ["/admin/completions", "/admin/audit", "/admin/certificates", "/admin/reports/fixture-course", "/admin/completions/export?format=csv", "/admin/completions/pdfs"]) {
    const res = await page.request.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBe(403);
  }
});
