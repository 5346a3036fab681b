/**
 * The emails a learner gets (welcome, course completion with the certificate
 * PDF), read back from a real SMTP server on loopback, and what happens when the
 * mail server refuses: the request still succeeds, the queue retries with
 * back-off, gives up, and an administrator sees the message and retries it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { confirmSignUp, requestSignUp } from "#app/auth/accounts.server.ts";
import { listCertificates, revokeCertificate } from "#app/certificates/certificates.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { auditLog, emails, users } from "#app/db/schema.ts";
import { drainMailQueue, emailRow } from "#app/email/queue.server.ts";
import { metricsText } from "#app/http/metrics.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { loader as adminHomeLoader } from "#app/routes/admin._index.tsx";
import { action as emailsAction, loader as emailsLoader } from "#app/routes/admin.emails.tsx";
import { action as completeAction } from "#app/routes/courses.$courseId.complete.tsx";
import { action as signupAction } from "#app/routes/signup.tsx";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";
import { loopbackSmtpForFile } from "#tests/smtp-for-file.ts";

const smtp = loopbackSmtpForFile({ beforeClose: drainMailQueue });

const course = (await findCourse("fixture-course"))!;
/** A name that must be escaped in HTML (the sign-up form allows & and '). */
const NAME = "Zoë O'Brien & Ana";
const NAME_HTML = "Zoë O&#39;Brien &amp; Ana";

const rowsOf = (template: string, to: string) => getDb().select().from(emails).where(and(eq(emails.template, template), eq(emails.to, to))).all();
const mailTo = (to: string, subject: string | RegExp) => smtp.waitFor((m) => m.envelopeTo.includes(to) && (typeof subject === "string" ? m.subject === subject : subject.test(m.subject ?? "")));

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-mail-pdf-"));
  const file = path.join(dir, "attached.pdf");
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the queue's retries without waiting out the back-off: each due time is moved to now. */
async function retryUntil(id: string, status: "failed" | "sent") {
  for (let i = 0; i < 10 && emailRow(id)!.status !== status; i++) {
    getDb().update(emails).set({ nextAttemptAt: new Date(Date.now() - 1) }).where(eq(emails.id, id)).run();
    await drainMailQueue();
  }
  return emailRow(id)!;
}

describe("welcome email", () => {
  test("confirming a sign-up queues a welcome in the same transaction, delivered as text and HTML with links and the CE basics", async () => {
    const to = "welcome@clinic.example";
    await requestSignUp({ name: NAME, email: to, password: "a long quiet passphrase", licenses: [{ type: "LPC", number: "LPC 1", state: "TX" }] });
    await drainMailQueue();
    const confirm = await mailTo(to, "Confirm your KAP Academy account");
    const token = confirm.text!.match(/signup\?token=([a-z0-9]+)/)![1]!;
    expect(rowsOf("welcome", to)).toHaveLength(0);

    const confirmed = await confirmSignUp(token);
    expect(confirmed.ok).toBe(true);
    // The link works once; a second confirmation creates no account and no second welcome.
    expect((await confirmSignUp(token)).ok).toBe(false);
    expect(rowsOf("welcome", to)).toHaveLength(1);

    await drainMailQueue();
    const mail = await mailTo(to, "Welcome to KAP Academy");
    expect(mail.envelopeTo).toEqual([to]);
    const text = mail.text!;
    expect(text).toContain(`Hello ${NAME},`);
    expect(text).toContain("continuing-education (CE) courses in ketamine-assisted psychotherapy");
    expect(text).toContain("http://localhost:3000/courses");
    expect(text).toContain("http://localhost:3000/dashboard");
    for (const basic of ["Time on task", "Quizzes: pass the quiz at the end of each module", "Evaluation", "Attestation", "report your credits to your licensing board yourself"]) expect(text).toContain(basic);
    expect(text).toContain("Fixture Provider, https://provider.example (1 Test Road, Testville, OR 97000)");
    const html = mail.html as string;
    expect(html).toContain(`Hello ${NAME_HTML},`);
    expect(html).not.toContain(NAME);
    expect(html).toContain('href="http://localhost:3000/courses"');
    expect(html).toContain('href="http://localhost:3000/dashboard"');
    expect(html).toContain('href="https://provider.example"');
    expect(rowsOf("welcome", to)[0]).toMatchObject({ status: "sent", transport: "smtp", body: null });
  });

  test("accounts made without the sign-up link (demo seed, admin tools) get no welcome", async () => {
    const user = await createUser({ email: "seeded@clinic.example" });
    await drainMailQueue();
    expect(rowsOf("welcome", user.email)).toHaveLength(0);
  });
});

describe("course completion email", () => {
  test("completion queues, with the certificate, an email whose PDF is attached at delivery, with hours, date, id and verify link", async () => {
    const user = await createUser({ name: NAME, email: "complete@clinic.example", licenses: [{ type: "LMFT", number: "LMFT7001", state: "CA" }] });
    await completeFixtureCourse(user.id);
    await drainMailQueue();
    const [cert] = await listCertificates(user.id);
    const mail = await mailTo(user.email, `Your KAP Academy certificate: ${course.title}`);
    expect(mail.envelopeTo).toEqual([user.email]);
    const completedOn = cert!.snapshot.completedAt.slice(0, 10);
    const verify = `http://localhost:3000/verify/${cert!.publicId}`;
    const text = mail.text!;
    expect(text).toContain(`Hello ${NAME},`);
    expect(text).toContain(`you completed "${course.title}" on ${completedOn} and earned 0.25 CE hours`);
    expect(text).toContain(`Certificate ID: ${cert!.publicId}`);
    expect(text).toContain(verify);
    expect(text).toContain("http://localhost:3000/certificates");
    expect(text).toContain("KAP Academy does not report this completion to your board. Report the credits to your licensing board yourself");
    const html = mail.html as string;
    expect(html).toContain(`Hello ${NAME_HTML},`);
    expect(html).toContain(`href="${verify}"`);
    expect(html).toContain(cert!.publicId);

    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.filename).toBe(`kap-academy-certificate-${cert!.publicId}.pdf`);
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.content.subarray(0, 4).toString("latin1")).toBe("%PDF");
    const pdfWords = pdfText(pdf.content);
    expect(pdfWords).toContain(NAME);
    expect(pdfWords).toContain(cert!.publicId);
    // Sent: the row keeps no body.
    expect(rowsOf("course-completed", user.email)).toEqual([expect.objectContaining({ status: "sent", body: null, attempts: 1 })]);
  });

  test("a course reported to CE Broker says so and names the licenses; a repeated completion sends nothing more", async () => {
    const user = await createUser({ email: "broker@clinic.example", licenses: [{ type: "LMHC", number: "MH1234", state: "FL" }] });
    await completeFixtureCourse(user.id, { attest: false });
    const reported = { ...course, ceBroker: { courseNumber: "20-123456" } };
    expect((await attestAndComplete(user.id, reported, { confirmed: true, ip: "203.0.113.5", userAgent: "test" })).ok).toBe(true);
    expect((await attestAndComplete(user.id, reported, { confirmed: true, ip: "203.0.113.5", userAgent: "test" })).ok).toBe(true);
    await drainMailQueue();
    const mail = await mailTo(user.email, /Your KAP Academy certificate/);
    expect(mail.text).toContain("KAP Academy reports this completion to CE Broker for LMHC MH1234 (FL); check your CE Broker account within 30 days.");
    expect(rowsOf("course-completed", user.email)).toHaveLength(1);
  });

  test("the queue row holds a reference to the certificate, not the PDF; revoked before delivery, the email goes without it and says why", async () => {
    const admin = await createUser({ role: "admin" });
    const user = await createUser({ email: "revoked@clinic.example" });
    smtp.refuse = true;
    try {
      await completeFixtureCourse(user.id);
      await drainMailQueue();
    } finally {
      smtp.refuse = false;
    }
    const [row] = rowsOf("course-completed", user.email);
    const [cert] = await listCertificates(user.id);
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    const body = JSON.parse(row!.body!) as { attachments: unknown; text: string };
    expect(body.attachments).toEqual([{ kind: "certificate-pdf", certificateId: cert!.id }]);
    expect(row!.body!).not.toContain("%PDF");
    expect(row!.body!.length).toBeLessThan(10_000);

    expect((await revokeCertificate(admin.id, cert!.id, { publicReason: "Attestation found false", internalNote: "" })).ok).toBe(true);
    const sent = await retryUntil(row!.id, "sent");
    expect(sent.status).toBe("sent");
    const mail = await mailTo(user.email, /Your KAP Academy certificate/);
    expect(mail.attachments).toHaveLength(0);
    expect(mail.text).toContain("Note: This certificate was revoked after this email was written, so its PDF is not attached.");
    expect(mail.html).toContain("<strong>Note:</strong> This certificate was revoked after this email was written");
  });
});

describe("a refusing mail server", () => {
  test("the completion request succeeds; the message is retried with back-off, fails, shows on the admin page, and 'retry now' delivers it", async () => {
    const { user, cookie } = await createSignedInUser({ email: "refused@clinic.example" });
    const admin = await createSignedInUser({ role: "admin" });
    const learner = await createSignedInUser();
    await completeFixtureCourse(user.id, { attest: false });
    await drainMailQueue();

    smtp.refuse = true;
    let id = "";
    try {
      const res = await run(completeAction, formRequest("/courses/fixture-course/complete", { confirm: "yes" }, { cookie }), {}, { courseId: "fixture-course" });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/courses/fixture-course/complete");
      expect(await listCertificates(user.id)).toHaveLength(1);
      const queued = rowsOf("course-completed", user.email);
      expect(queued).toHaveLength(1);
      id = queued[0]!.id;
      await drainMailQueue();
      // Back-off: 30 s after the first refusal, 60 s after the second.
      let row = emailRow(id)!;
      expect(row).toMatchObject({ status: "queued", attempts: 1 });
      expect(row.lastError).toMatch(/550/);
      expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(25_000);
      expect(row.nextAttemptAt!.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
      getDb().update(emails).set({ nextAttemptAt: new Date(Date.now() - 1) }).where(eq(emails.id, id)).run();
      await drainMailQueue();
      row = emailRow(id)!;
      expect(row.attempts).toBe(2);
      expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(55_000);
      row = await retryUntil(id, "failed");
      expect(row).toMatchObject({ status: "failed", attempts: 5, nextAttemptAt: null });
      // Kept for a retry (and still only the reference to the certificate).
      expect(JSON.parse(row.body!)).toMatchObject({ attachments: [{ kind: "certificate-pdf" }] });
    } finally {
      smtp.refuse = false;
    }
    expect(smtp.received.some((m) => m.envelopeTo.includes(user.email))).toBe(false);

    const home = await run<{ failedEmails: number }>(adminHomeLoader, getRequest("/admin", admin.cookie));
    expect(home.data?.failedEmails).toBeGreaterThanOrEqual(1);
    const failedMetric = Number((await metricsText()).body.match(/^kap_mail_failed (\d+)$/m)?.[1]);
    expect(failedMetric).toBe(home.data?.failedEmails);

    type Page = { rows: Array<{ id: string; to: string; subject: string; template: string; status: string; attempts: number; lastError: string | null; retryable: boolean }> };
    const page = await run<Page>(emailsLoader, getRequest("/admin/emails", admin.cookie));
    expect(page.status).toBe(200);
    expect(page.data?.rows.find((r) => r.id === id)).toMatchObject({ to: user.email, subject: `Your KAP Academy certificate: ${course.title}`, template: "course-completed", status: "failed", attempts: 5, retryable: true, lastError: expect.stringMatching(/550/) });
    expect(JSON.stringify(page.data)).not.toContain("verify/");

    // Only an administrator can see the page or retry.
    expect((await run(emailsLoader, getRequest("/admin/emails", learner.cookie))).status).toBe(403);
    expect((await run(emailsAction, formRequest("/admin/emails", { intent: "retry", id }, { cookie: learner.cookie }))).status).toBe(403);
    expect(emailRow(id)!.status).toBe("failed");

    const retried = await run<{ ok: boolean; message: string }>(emailsAction, formRequest("/admin/emails", { intent: "retry", id }, { cookie: admin.cookie }));
    expect(retried.data).toEqual({ ok: true, message: "The message is queued again and will be sent in a moment." });
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.action, "email.retried"), eq(auditLog.entityId, id))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(admin.user.id);
    await drainMailQueue();
    const mail = await mailTo(user.email, /Your KAP Academy certificate/);
    expect(mail.attachments[0]?.contentType).toBe("application/pdf");
    expect(emailRow(id)).toMatchObject({ status: "sent", body: null, attempts: 1 });
    expect((await run<Page>(emailsLoader, getRequest("/admin/emails", admin.cookie))).data?.rows.some((r) => r.id === id)).toBe(false);

    // A second retry of the sent message changes nothing.
    const again = await run<{ ok: boolean; message: string }>(emailsAction, formRequest("/admin/emails", { intent: "retry", id }, { cookie: admin.cookie }));
    expect(again.status).toBe(409);
    expect(again.data?.message).toBe("This message is already sent; only a failed message can be retried.");
  });

  test("a sign-up confirmation still signs the learner in when the mail server refuses the welcome", async () => {
    const to = "refused-welcome@clinic.example";
    await run(signupAction, formRequest("/signup", { name: "Rae Okafor", email: to, password: "a long quiet passphrase", confirmPassword: "a long quiet passphrase", licenseType: "LPC", licenseNumber: "LPC 31", licenseState: "TX" }));
    await drainMailQueue();
    const token = (await mailTo(to, "Confirm your KAP Academy account")).text!.match(/signup\?token=([a-z0-9]+)/)![1]!;
    smtp.refuse = true;
    try {
      const confirmed = await run(signupAction, formRequest("/signup", { intent: "confirm", token }));
      expect(confirmed.status).toBe(302);
      expect(confirmed.headers.get("Set-Cookie")).toMatch(/^kap_session=/);
      await drainMailQueue();
      expect(rowsOf("welcome", to)).toEqual([expect.objectContaining({ status: "queued", attempts: 1 })]);
    } finally {
      smtp.refuse = false;
    }
    expect(getDb().select().from(users).where(eq(users.email, to)).get()).toBeDefined();
  });

  test("the admin page lists long-waiting messages, and a failed message without its text cannot be retried (clear message, nothing changed)", async () => {
    const admin = await createSignedInUser({ role: "admin" });
    const old = new Date(Date.now() - 20 * 60_000);
    const waiting = createId();
    const fresh = createId();
    const discarded = createId();
    getDb().insert(emails).values([
      { id: waiting, to: "slow@clinic.example", subject: "Waiting", template: "test", status: "queued", body: "{}", attempts: 2, nextAttemptAt: new Date(Date.now() + 60_000), lastError: "connect ECONNREFUSED", createdAt: old },
      { id: fresh, to: "fresh@clinic.example", subject: "Fresh", template: "test", status: "queued", body: "{}", nextAttemptAt: new Date(Date.now() + 60_000), createdAt: new Date() },
      { id: discarded, to: "gone@clinic.example", subject: "Discarded", template: "test", status: "failed", body: null, attempts: 5, lastError: "550", createdAt: old },
    ]).run();
    const page = await run<{ rows: Array<{ id: string; status: string; retryable: boolean }> }>(emailsLoader, getRequest("/admin/emails", admin.cookie));
    const ids = page.data!.rows.map((r) => r.id);
    expect(ids).toContain(waiting);
    expect(ids).not.toContain(fresh);
    expect(page.data!.rows.find((r) => r.id === waiting)).toMatchObject({ status: "queued", retryable: false });
    expect(page.data!.rows.find((r) => r.id === discarded)).toMatchObject({ status: "failed", retryable: false });

    const auditBefore = getDb().select().from(auditLog).all().length;
    for (const [id, message] of [
      [discarded, "This message failed before failed messages kept their text, so it cannot be sent again."],
      [waiting, "This message is already queued; only a failed message can be retried."],
      ["no-such-id", "That message does not exist."],
    ]) {
      const res = await run<{ ok: boolean; message: string }>(emailsAction, formRequest("/admin/emails", { intent: "retry", id: id! }, { cookie: admin.cookie }));
      expect(res.status).toBe(409);
      expect(res.data?.message).toBe(message);
    }
    const blank = await run<{ message: string }>(emailsAction, formRequest("/admin/emails", { intent: "retry", id: " " }, { cookie: admin.cookie }));
    expect(blank.status).toBe(400);
    expect(blank.data?.message).toBe("Choose a message to retry.");
    expect(getDb().select().from(auditLog).all().length).toBe(auditBefore);
    expect(emailRow(discarded)).toMatchObject({ status: "failed", attempts: 5 });
    getDb().delete(emails).where(eq(emails.id, waiting)).run();
    getDb().delete(emails).where(eq(emails.id, fresh)).run();
  });
});
