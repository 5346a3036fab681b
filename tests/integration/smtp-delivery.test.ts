import { expect, test } from "vitest";
import { drainMailQueue, emailRow, enqueueEmail } from "#app/email/queue.server.ts";
import { loopbackSmtpForFile } from "#tests/smtp-for-file.ts";

const smtp = loopbackSmtpForFile();

test("a queued message reaches a real SMTP server as text and HTML, and its row is marked sent", async () => {
  const id = enqueueEmail({ to: "learner@example.org", subject: "Loopback check", text: "Plain body", html: "<p>HTML body</p>", template: "test" });
  await drainMailQueue();
  const mail = await smtp.waitFor((m) => m.subject === "Loopback check");
  expect(mail.envelopeTo).toEqual(["learner@example.org"]);
  expect(mail.text?.trim()).toBe("Plain body");
  expect(mail.html).toContain("<p>HTML body</p>");
  expect(emailRow(id)).toMatchObject({ status: "sent", transport: "smtp", body: null });
});

test("a refusing server leaves the message queued for a retry with the server's error recorded", async () => {
  smtp.refuse = true;
  try {
    const id = enqueueEmail({ to: "learner@example.org", subject: "Refused once", text: "x", html: "<p>x</p>", template: "test" });
    await drainMailQueue();
    const row = emailRow(id)!;
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/550/);
    expect(smtp.received.some((m) => m.subject === "Refused once")).toBe(false);
  } finally {
    smtp.refuse = false;
  }
});
