import { describe, expect, test } from "vitest";
import { getDb } from "#app/db/client.server.ts";
import { drainMailQueue, mailQueueSize } from "#app/email/queue.server.ts";
import { action as forgotAction } from "#app/routes/forgot-password.tsx";
import { action as signupAction } from "#app/routes/signup.tsx";
import { countRows, createUser, outboxFiles, readEml } from "#tests/db-utils.ts";
import { formRequest, run } from "#tests/route-utils.ts";

type EmailRow = { to: string; template: string; status: string; body: string | null; transport: string | null };
const emailRows = () => getDb().$client.prepare("select \"to\", template, status, body, transport from emails order by created_at, rowid").all() as EmailRow[];

function signupFields(email: string): Record<string, string> {
  return { name: "Rae Okafor", email, password: "a long quiet passphrase", confirmPassword: "a long quiet passphrase", licenseType: "LPC", licenseNumber: "LPC 31", licenseState: "TX" };
}

/** Everything a browser could observe of an answer: status, headers that matter, and the data the page renders. */
function observable(res: { status: number; headers: Headers; data: unknown }, email: string) {
  return { status: res.status, cookie: res.headers.get("Set-Cookie"), location: res.headers.get("Location"), data: JSON.stringify(res.data).replaceAll(email, "<email>") };
}

describe("finding 6: account enumeration", () => {
  test("finding 6: sign-up answers the same for a new and an existing email, queues one email either way, and signs no one in", async () => {
    const owner = await createUser({ email: "owner@clinic.example" });
    const usersBefore = countRows("users");
    const mailsBefore = emailRows().length;

    // At each answer: one row queued for that address, not yet sent.
    const existing = await run(signupAction, formRequest("/signup", signupFields("Owner@Clinic.example")));
    expect(emailRows().slice(mailsBefore).map((r) => [r.to, r.template, r.status])).toEqual([["owner@clinic.example", "signup-existing", "queued"]]);
    const fresh = await run(signupAction, formRequest("/signup", signupFields("newcomer@clinic.example")));
    expect(emailRows().slice(mailsBefore + 1).map((r) => [r.to, r.template, r.status])).toEqual([["newcomer@clinic.example", "signup-confirm", "queued"]]);
    expect(observable(existing, "owner@clinic.example")).toEqual(observable(fresh, "newcomer@clinic.example"));
    expect(observable(fresh, "newcomer@clinic.example")).toEqual({ status: 200, cookie: null, location: null, data: '{"errors":null,"sentTo":"<email>"}' });
    expect(countRows("users")).toBe(usersBefore);

    await drainMailQueue();
    const mails = outboxFiles().map(readEml);
    const toOwner = mails.find((m) => m.includes(`To: ${owner.email}`))!;
    expect(toOwner).toMatch(/Someone just tried to create a new KAP Academy account with this email address/);
    expect(toOwner).toContain("http://localhost:3000/forgot-password");
    expect(toOwner).not.toMatch(/signup\?token=/);
    expect(mails.find((m) => m.includes("To: newcomer@clinic.example"))).toMatch(/http:\/\/localhost:3000\/signup\?token=[a-z0-9]+/);
    // Sent rows keep no body (a link is a secret).
    expect(emailRows().slice(mailsBefore).map((r) => [r.status, r.body, r.transport])).toEqual([["sent", null, "outbox"], ["sent", null, "outbox"]]);
  });

  test("finding 6: sign-up mails to one address stop after three an hour, the same for both cases", async () => {
    await createUser({ email: "busy@clinic.example" });
    for (const email of ["busy@clinic.example", "idle@clinic.example"]) {
      for (let i = 0; i < 5; i++) expect((await run(signupAction, formRequest("/signup", signupFields(email)))).status).toBe(200);
      expect(emailRows().filter((r) => r.to === email)).toHaveLength(3);
    }
  });

  test("finding 6: password reset answers before the email is sent, with the same work for a real and an unknown account", async () => {
    const user = await createUser();
    await drainMailQueue();
    for (const [email, template] of [[user.email, "password-reset"], ["nobody@clinic.example", "password-reset-no-account"]] as const) {
      const filesBefore = outboxFiles().length;
      const rowsBefore = emailRows().length;
      const res = await run<{ sentTo: string }>(forgotAction, formRequest("/forgot-password", { email }));
      expect(res.status).toBe(200);
      expect(res.data?.sentTo).toBe(email);
      // At the answer: exactly one message queued, none delivered (the request did not wait for the mail server).
      expect(emailRows().slice(rowsBefore).map((r) => [r.to, r.template, r.status])).toEqual([[email, template, "queued"]]);
      expect(mailQueueSize()).toBe(1);
      expect(outboxFiles().length).toBe(filesBefore);
      // Shortly after, without anyone asking: the queue's sender has delivered it.
      await expect.poll(() => outboxFiles().length, { timeout: 5_000 }).toBe(filesBefore + 1);
      expect(mailQueueSize()).toBe(0);
    }
  });

  test("finding 6: the queue is durable: a crashed sender's claim expires and the message is sent", async () => {
    const db = getDb().$client;
    const rowsBefore = emailRows().length;
    await run(forgotAction, formRequest("/forgot-password", { email: "retry@clinic.example" }));
    // Another sender claimed it and died: the lease (next_attempt_at) has run out.
    db.prepare("update emails set status = 'sending', attempts = 1, next_attempt_at = ? where \"to\" = 'retry@clinic.example'").run(Date.now() - 1);
    await drainMailQueue();
    expect(emailRows().slice(rowsBefore).map((r) => r.status)).toEqual(["sent"]);
    expect(mailQueueSize()).toBe(0);
  });
});
