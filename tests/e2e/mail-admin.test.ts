import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { startLoopbackSmtp } from "../smtp.ts";
import { serverFiles, signInAt, startServer, stopServer } from "./own-server.ts";
import { DEMO } from "./utils.ts";

// A server of its own: it must send through a (refusing, then accepting) SMTP server started here.
const PORT = 3238;
const BASE = `http://localhost:${PORT}`;

type Row = { id: string; status: string; attempts: number; last_error: string | null; body: string | null };

test("a refused email fails after its attempts, shows on the admin page, and 'Retry now' delivers it", async ({ page }) => {
  test.setTimeout(180_000);
  const smtp = await startLoopbackSmtp();
  smtp.refuse = true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-mail-"));
  const files = serverFiles(dir);
  const server = await startServer(PORT, { NODE_ENV: "production", ...files, CONTENT_DIR: "tests/fixtures/content", SMTP_URL: smtp.url, MAIL_POLL_SECONDS: "1" });
  const db = new Database(files.DATABASE_PATH);
  const row = () => db.prepare("select id, status, attempts, last_error, body from emails where \"to\" = ? and template = 'password-reset'").get(DEMO.learner.email) as Row | undefined;
  try {
    // The request that causes the email answers at once, whatever the mail server does.
    await page.goto(`${BASE}/forgot-password`);
    await page.getByLabel("Email").fill(DEMO.learner.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText(DEMO.learner.email);
    // The first attempt, refused: queued again for a later retry, with the server's answer.
    await expect.poll(() => row()?.status, { timeout: 15_000 }).toBe("queued");
    await expect.poll(() => row()?.last_error ?? "", { timeout: 15_000 }).toMatch(/550/);
    expect(row()?.attempts).toBe(1);

    // Stand in for the back-off's minutes: the 4th refusal is past and the 5th is due; the server's
    // own poll (every second here, MAIL_POLL_SECONDS) makes the last attempt and gives up.
    db.prepare("update emails set attempts = 4, next_attempt_at = ? where id = ?").run(Date.now() - 1, row()!.id);
    await expect.poll(() => row()?.status, { timeout: 15_000, intervals: [500] }).toBe("failed");
    expect(row()).toMatchObject({ attempts: 5, body: expect.stringContaining("reset-password") });
    expect(smtp.received).toHaveLength(0);

    await signInAt(page, BASE, DEMO.admin.email, DEMO.admin.password);
    await page.goto(`${BASE}/admin`);
    await expect(page.getByRole("alert")).toContainText("1 email could not be delivered after every attempt.");
    await page.getByRole("link", { name: "Review and retry failed emails" }).click();
    await expect(page).toHaveURL(`${BASE}/admin/emails`);
    await expect(page.getByRole("heading", { name: "Email delivery problems" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Email delivery", exact: true })).toHaveAttribute("aria-current", "page");
    const listed = page.getByTestId("email-row");
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText(DEMO.learner.email);
    await expect(listed).toContainText("Reset your KAP Academy password");
    await expect(listed).toContainText("password-reset");
    await expect(listed).toContainText("failed");
    await expect(listed.getByRole("cell").nth(4)).toHaveText("5");
    await expect(listed).toContainText("550");
    // The page never shows a message's text (a reset link is a secret).
    await expect(page.locator("body")).not.toContainText("reset-password?token");
    await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    smtp.refuse = false;
    await page.getByRole("button", { name: `Retry now the message to ${DEMO.learner.email}: Reset your KAP Academy password` }).click();
    await expect(page.getByRole("status")).toHaveText("The message is queued again and will be sent in a moment.");
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(DEMO.learner.email), 15_000);
    expect(mail.subject).toBe("Reset your KAP Academy password");
    expect(mail.text).toMatch(new RegExp(`${BASE}/reset-password\\?token=`));
    await expect.poll(() => row()?.status).toBe("sent");
    expect(row()).toMatchObject({ attempts: 1, body: null });
    const audit = db.prepare("select a.action, u.email from audit_log a join users u on u.id = a.actor_id where a.entity_id = ?").all(row()!.id);
    expect(audit).toEqual([{ action: "email.retried", email: DEMO.admin.email }]);

    await page.goto(`${BASE}/admin/emails`);
    await expect(page.getByText("No failed or long-waiting messages.")).toBeVisible();
    await page.goto(`${BASE}/admin`);
    await expect(page.getByText("could not be delivered")).toHaveCount(0);
  } finally {
    db.close();
    await stopServer(server);
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
