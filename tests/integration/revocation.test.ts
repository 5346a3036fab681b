import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { verifyAuditChain } from "#app/audit/audit.server.ts";
import { ensureCredential, findCertificate, listCertificates, reissueCertificate, revokeCertificate } from "#app/certificates/certificates.server.ts";
import { didDocument, verifySignedCredential } from "#app/certificates/credential.server.ts";
import { STATUS_LIST_SIZE } from "#app/certificates/status-list.server.ts";
import type { Certificate } from "#app/db/schema.ts";
import { getDb } from "#app/db/client.server.ts";
import { drainMailQueue } from "#app/email/queue.server.ts";
import { action as listAction } from "#app/routes/admin.certificates.tsx";
import { action as manageAction, loader as manageLoader } from "#app/routes/admin.certificates_.$publicId.tsx";
import { loader as apiVerify } from "#app/routes/api.verify.$publicId.ts";
import { loader as certificatePage } from "#app/routes/certificates.$publicId._index.tsx";
import { loader as credentialDownload } from "#app/routes/certificates.$publicId.credential.ts";
import { loader as pdfDownload } from "#app/routes/certificates.$publicId.pdf.ts";
import { loader as transcript } from "#app/routes/certificates._index.tsx";
import { loader as statusListRoute } from "#app/routes/credentials.status.$listId.ts";
import { loader as dashboard } from "#app/routes/dashboard.tsx";
import { loader as verifyPage } from "#app/routes/verify.$publicId.tsx";
import { independentlyVerifyWithStatus } from "#tests/credential-verifier.ts";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run, signedInContext } from "#tests/route-utils.ts";
import { loopbackSmtpForFile } from "#tests/smtp-for-file.ts";

// Every notice of this file goes to a real SMTP server on loopback, as smtp-delivery.test.ts does.
const smtp = loopbackSmtpForFile();

async function certified(name = "Noor Haddad") {
  const learner = await createSignedInUser({ name });
  await completeFixtureCourse(learner.user.id);
  const [certificate] = await listCertificates(learner.user.id);
  return { ...learner, certificate: certificate! };
}

/** GETs the status list through the real route, as a verifier fetches statusListCredential. */
async function getList(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const { pathname } = new URL(url);
  return (await statusListRoute({ request: new Request(url, { headers }), params: { listId: pathname.split("/").pop()! }, context: {} } as never)) as Response;
}

async function fetchList(url: string): Promise<Record<string, unknown>> {
  const res = await getList(url);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const publicKey = async () => (await didDocument()).verificationMethod[0]!.publicKeyMultibase;
const reload = async (c: Certificate) => (await findCertificate(c.publicId))!;
const auditOf = (publicId: string) =>
  getDb().$client.prepare("select action, after from audit_log where entity_id = ? and action like 'certificate.%' order by id").all(publicId) as Array<{ action: string; after: string }>;
/** The certificate notices queued for an address (the completion email, sent when the certificate was issued, aside). */
const emailsTo = (to: string) => getDb().$client.prepare("select template from emails where \"to\" = ? and template like 'certificate-%' order by created_at").all(to) as Array<{ template: string }>;

describe("the status list in the credential", () => {
  test("a valid certificate's Open Badge verifies independently with status ok; after revocation it reports revoked", async () => {
    const { certificate } = await certified();
    const credential = await ensureCredential(certificate);
    expect(credential.credentialStatus).toEqual({
      id: `http://localhost:3000/credentials/status/1#${certificate.statusListIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(certificate.statusListIndex),
      statusListCredential: "http://localhost:3000/credentials/status/1",
    });
    const key = await publicKey();
    expect(await independentlyVerifyWithStatus(credential, key, fetchList)).toEqual({ signature: true, status: "ok" });
    expect(await verifySignedCredential(credential)).toEqual({ verified: true, error: undefined });

    const admin = await createUser({ role: "admin" });
    expect((await revokeCertificate(admin.id, certificate.id, { publicReason: "Issued in error", internalNote: "Ticket 88" })).ok).toBe(true);
    // The same signed credential: its signature still holds, its status says revoked.
    expect(await independentlyVerifyWithStatus(credential, key, fetchList)).toEqual({ signature: true, status: "revoked" });
    expect(await verifySignedCredential(credential)).toEqual({ verified: false, error: "The credential has been revoked." });
  });

  test("after a reissue the old credential reports revoked and the new one verifies", async () => {
    const { certificate } = await certified();
    const key = await publicKey();
    const oldCredential = await ensureCredential(certificate);
    const admin = await createUser({ role: "admin" });
    const reissued = await reissueCertificate(admin.id, certificate.id, { reason: "Name misspelt on the license", learnerMessage: "Your name is now spelt as on your license." });
    if (!reissued.ok) throw new Error(reissued.message);
    const fresh = reissued.certificate;
    expect(fresh.statusListIndex).not.toBe(certificate.statusListIndex);
    expect(await independentlyVerifyWithStatus(oldCredential, key, fetchList)).toEqual({ signature: true, status: "revoked" });
    expect(await independentlyVerifyWithStatus(fresh.credential!, key, fetchList)).toEqual({ signature: true, status: "ok" });
    const page = await run<{ status: string; replacedBy: string }>(verifyPage, getRequest(`/verify/${certificate.publicId}`), undefined, { publicId: certificate.publicId });
    expect(page.data).toMatchObject({ status: "replaced", replacedBy: fresh.publicId });
    // A replaced certificate cannot be reissued or revoked again.
    expect(await reissueCertificate(admin.id, certificate.id, { reason: "again", learnerMessage: "again" })).toEqual({ ok: false, message: "This certificate was already replaced; reissue the newest one." });
  });

  test("a tampered status list fails the independent check instead of reporting ok", async () => {
    const { certificate } = await certified();
    const credential = await ensureCredential(certificate);
    const forged = async (url: string) => {
      const list = await fetchList(url);
      return { ...list, validFrom: "2020-01-01T00:00:00Z" };
    };
    expect(await independentlyVerifyWithStatus(credential, await publicKey(), forged)).toMatchObject({ signature: true, status: "unverifiable", reason: "the status list's signature does not verify" });
  });

  test("indices are distinct and spread over the whole list, and the column refuses a duplicate", async () => {
    await Promise.all([1, 2, 3, 4].map(() => certified()));
    const indices = (getDb().$client.prepare("select status_list_index i from certificates").all() as Array<{ i: number | null }>).map((r) => r.i);
    expect(indices.every((i) => i !== null && Number.isInteger(i) && i >= 0 && i < STATUS_LIST_SIZE)).toBe(true);
    expect(new Set(indices).size).toBe(indices.length);
    // Random, not in issue order: consecutive indices would give away how many were issued in between.
    expect(indices.some((i) => i! > 1000)).toBe(true);
    expect(() => getDb().$client.prepare("update certificates set status_list_index = ? where status_list_index = ?").run(indices[0], indices[1])).toThrow(/UNIQUE/);
  });
});

describe("the status list route", () => {
  test("a signed, 16 KiB BitstringStatusListCredential with cache headers, 304 on a matching ETag, and a new list right after a change", async () => {
    const { certificate } = await certified();
    const first = await getList("http://localhost:3000/credentials/status/1");
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("application/vc+ld+json; charset=utf-8");
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=60, must-revalidate");
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const list = (await first.json()) as { type: string[]; issuer: string; credentialSubject: { type: string; statusPurpose: string; encodedList: string }; proof: { cryptosuite: string } };
    expect(list).toMatchObject({ type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: "did:web:localhost%3A3000", credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation" }, proof: { cryptosuite: "eddsa-rdfc-2022" } });
    expect(gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), "base64url")).length).toBe(16 * 1024);

    const again = await getList("http://localhost:3000/credentials/status/1", { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    // Unchanged bits are served from the stored signature: the same body, the same ETag.
    expect((await getList("http://localhost:3000/credentials/status/1")).headers.get("ETag")).toBe(etag);

    const admin = await createUser({ role: "admin" });
    await revokeCertificate(admin.id, certificate.id, { publicReason: "Issued in error", internalNote: "" });
    // The next GET after the change is a new list, not the cached one.
    const changed = await getList("http://localhost:3000/credentials/status/1", { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
    expect((await getList("http://localhost:3000/credentials/status/2")).status).toBe(404);
  });
});

describe("migration 0010", () => {
  test("backfills a distinct random index for every existing certificate and clears credentials signed without status", () => {
    const file = path.join(path.dirname(process.env.DATABASE_PATH!), "migration-0010.db");
    const db = new Database(file);
    const statements = (name: string) => fs.readFileSync(path.join("drizzle", name), "utf8").split("--> statement-breakpoint");
    const files = fs.readdirSync("drizzle").filter((f) => f.endsWith(".sql")).sort();
    for (const f of files.filter((f) => f < "0010")) for (const sql of statements(f)) db.exec(sql);
    // Bare certificate rows, without the users and completions they would reference.
    db.pragma("foreign_keys = OFF");
    const insert = db.prepare("insert into certificates (id, public_id, user_id, course_id, completion_id, snapshot, credential, issued_at) values (?, ?, ?, 'c', ?, '{}', '{\"signed\":true}', 0)");
    for (let i = 0; i < 50; i++) insert.run(`id${i}`, `P${i}`, `u${i}`, `comp${i}`);
    for (const sql of statements(files.find((f) => f.startsWith("0010"))!)) db.exec(sql);
    const rows = db.prepare("select status_list_index i, credential from certificates").all() as Array<{ i: number | null; credential: string | null }>;
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.credential === null && r.i !== null && r.i >= 0 && r.i < STATUS_LIST_SIZE)).toBe(true);
    expect(new Set(rows.map((r) => r.i)).size).toBe(50);
    expect((db.prepare("select count(*) n from sqlite_master where name like '\\_status%' escape '\\'").get() as { n: number }).n).toBe(0);
    db.close();
  });
});

describe("the learner is emailed, through a real SMTP server", () => {
  test("on revocation: the public reason, the verify link and whom to contact, HTML-escaped, and never the internal note", async () => {
    const { user, certificate } = await certified("Lee <O'Brien>");
    const admin = await createUser({ role: "admin" });
    const revoked = await revokeCertificate(admin.id, certificate.id, { publicReason: "Hours <misreported> & corrected", internalNote: "SECRET-NOTE board complaint #12" });
    expect(revoked.ok).toBe(true);
    await drainMailQueue();
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(user.email) && /revoked/.test(m.subject ?? ""));
    expect(mail.subject).toBe("Your certificate for Fixture Course for Tests was revoked");
    const text = mail.text!;
    expect(text).toContain(`Your KAP Academy certificate ${certificate.publicId} for "Fixture Course for Tests" was revoked on ${new Date().toISOString().slice(0, 10)}.`);
    expect(text).toContain(`http://localhost:3000/verify/${certificate.publicId}`);
    expect(text).toContain("Reason: Hours <misreported> & corrected");
    expect(text).toContain("contact Fixture Provider");
    const html = mail.html as string;
    expect(html).toContain("Hello Lee &lt;O&#39;Brien&gt;,");
    expect(html).toContain("Hours &lt;misreported&gt; &amp; corrected");
    expect(html).toContain(`href="http://localhost:3000/verify/${certificate.publicId}"`);
    expect(html).not.toContain("<misreported>");
    for (const body of [text, html, mail.subject!]) expect(body).not.toContain("SECRET-NOTE");
    // The audit log records both; the certificate (and so every public page) only the public reason.
    const [entry] = auditOf(certificate.publicId).filter((e) => e.action === "certificate.revoked");
    expect(JSON.parse(entry!.after)).toEqual({ status: "revoked", publicReason: "Hours <misreported> & corrected", internalNote: "SECRET-NOTE board complaint #12" });
    expect(JSON.stringify(await reload(certificate))).not.toContain("SECRET-NOTE");
    // A refused second revocation changes nothing and sends nothing.
    expect((await revokeCertificate(admin.id, certificate.id, { publicReason: "Second try", internalNote: "" })).ok).toBe(false);
    expect(emailsTo(user.email)).toEqual([{ template: "certificate-revoked" }]);
    expect(verifyAuditChain(getDb()).ok).toBe(true);
  });

  test("on reissue: what the learner is told and the new certificate's verify link, never the internal reason", async () => {
    const { user, certificate } = await certified();
    const admin = await createUser({ role: "admin" });
    const reissued = await reissueCertificate(admin.id, certificate.id, { reason: "INTERNAL-REASON ticket 7", learnerMessage: "We corrected your license number & name." });
    if (!reissued.ok) throw new Error(reissued.message);
    await drainMailQueue();
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(user.email) && /reissued/.test(m.subject ?? ""));
    expect(mail.subject).toBe("Your certificate for Fixture Course for Tests was reissued");
    const text = mail.text!;
    expect(text).toContain(`The new certificate is ${reissued.certificate.publicId};`);
    expect(text).toContain(`it replaces ${certificate.publicId}, which no longer verifies as current.`);
    expect(text).toContain("We corrected your license number & name.");
    expect(text).toContain(`http://localhost:3000/verify/${reissued.certificate.publicId}`);
    expect(text).toContain("contact Fixture Provider");
    const html = mail.html as string;
    expect(html).toContain("We corrected your license number &amp; name.");
    expect(html).toContain(`href="http://localhost:3000/verify/${reissued.certificate.publicId}"`);
    for (const body of [text, html]) expect(body).not.toContain("INTERNAL-REASON");
    const [entry] = auditOf(certificate.publicId).filter((e) => e.action === "certificate.reissued");
    expect(JSON.parse(entry!.after)).toMatchObject({ replacedBy: reissued.certificate.publicId, reason: "INTERNAL-REASON ticket 7", learnerMessage: "We corrected your license number & name." });
  });
});

describe("the admin's revoke and reissue pages", () => {
  test("revoking takes a review step that changes nothing, then a confirmation naming the certificate", async () => {
    const { user, certificate } = await certified("Priya Raman");
    const admin = await createSignedInUser({ role: "admin" });
    const id = certificate.publicId;
    const url = `/admin/certificates/${id}`;
    const page = await run<{ learnerName: string; course: string; standing: { status: string } }>(manageLoader, getRequest(url, admin.cookie), undefined, { publicId: id });
    expect(page.data).toMatchObject({ learnerName: "Priya Raman", course: "Fixture Course for Tests", standing: { status: "valid" } });

    // Bad input: a clear message, nothing changed.
    const missing = await run<{ error: string }>(manageAction, formRequest(url, { intent: "review-revoke", publicReason: "no", internalNote: "" }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(missing.status).toBe(400);
    expect(missing.data!.error).toBe("Give the public reason in a few words; it is shown on the public verification page.");

    const fields = { publicReason: "Completion recorded in error", internalNote: "INTERNAL duplicate account" };
    const review = await run<{ confirm: boolean; step: string }>(manageAction, formRequest(url, { intent: "review-revoke", ...fields }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(review.data).toMatchObject({ confirm: true, step: "revoke" });
    // Posting the final step without the confirmation's id is refused too.
    const unconfirmed = await run<{ error: string }>(manageAction, formRequest(url, { intent: "revoke", ...fields }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data!.error).toBe("Confirm on the confirmation step first; nothing was changed.");
    expect((await reload(certificate)).status).toBe("valid");
    expect(auditOf(id)).toHaveLength(1); // certificate.issued only
    expect(emailsTo(user.email)).toEqual([]);

    const confirmed = await run(manageAction, formRequest(url, { intent: "revoke", confirmId: id, ...fields }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe(`${url}?done=revoked`);
    const after = await reload(certificate);
    expect(after).toMatchObject({ status: "revoked", revokedReason: "Completion recorded in error" });
    expect(emailsTo(user.email)).toEqual([{ template: "certificate-revoked" }]);

    // The public pages show the public reason only.
    const verify = await run(verifyPage, getRequest(`/verify/${id}`), undefined, { publicId: id });
    expect(verify.data).toMatchObject({ status: "revoked", revokedReason: "Completion recorded in error", revokedAt: new Date().toISOString().slice(0, 10) });
    const api = await run(apiVerify, getRequest(`/api/verify/${id}`), undefined, { publicId: id });
    for (const body of [JSON.stringify(verify.data), JSON.stringify(api.data)]) expect(body).not.toContain("INTERNAL");
    // Done is done: a second attempt changes nothing.
    const twice = await run<{ error: string }>(manageAction, formRequest(url, { intent: "review-revoke", ...fields }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(twice.data!.error).toBe("This certificate is already revoked; nothing was changed.");
  });

  test("reissuing through its own form and confirmation replaces the certificate and leads to the new one", async () => {
    const { certificate } = await certified();
    const admin = await createSignedInUser({ role: "admin" });
    const id = certificate.publicId;
    const url = `/admin/certificates/${id}`;
    const fields = { reason: "License number corrected", learnerMessage: "Your license number was corrected." };
    const bad = await run<{ error: string }>(manageAction, formRequest(url, { intent: "review-reissue", reason: fields.reason }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(bad.data!.error).toBe("Write what the learner is told.");
    expect((await run<{ confirm: boolean }>(manageAction, formRequest(url, { intent: "review-reissue", ...fields }, { cookie: admin.cookie }), undefined, { publicId: id })).data!.confirm).toBe(true);
    expect((await reload(certificate)).status).toBe("valid");
    const done = await run(manageAction, formRequest(url, { intent: "reissue", confirmId: id, ...fields }, { cookie: admin.cookie }), undefined, { publicId: id });
    expect(done.status).toBe(302);
    const old = await reload(certificate);
    const fresh = (await listCertificates(certificate.userId)).find((c) => c.id === old.replacedById)!;
    expect(done.headers.get("Location")).toBe(`/admin/certificates/${fresh.publicId}?done=reissued`);
    expect(old.status).toBe("replaced");
  });

  test("the list no longer takes the old one-click post: 405 for admins, 403 for others, nothing changed", async () => {
    const { certificate, cookie } = await certified();
    const admin = await createSignedInUser({ role: "admin" });
    const old = { intent: "revoke", certificateId: certificate.id, reason: "One click, no confirmation" };
    const refused = await run(listAction, formRequest("/admin/certificates", old, { cookie: admin.cookie }));
    expect(refused.status).toBe(405);
    expect((await run(listAction, formRequest("/admin/certificates", old, { cookie }))).status).toBe(403);
    expect((await reload(certificate)).status).toBe("valid");
  });

  test("learners and authors get 403 on the page and its action", async () => {
    const { certificate, cookie } = await certified();
    const author = await createSignedInUser({ role: "author" });
    for (const who of [cookie, author.cookie]) {
      const url = `/admin/certificates/${certificate.publicId}`;
      expect((await run(manageLoader, getRequest(url, who), undefined, { publicId: certificate.publicId })).status).toBe(403);
      const posted = await run(manageAction, formRequest(url, { intent: "revoke", confirmId: certificate.publicId, publicReason: "I revoke my own", internalNote: "" }, { cookie: who }), undefined, { publicId: certificate.publicId });
      expect(posted.status).toBe(403);
    }
    expect((await reload(certificate)).status).toBe("valid");
  });
});

describe("what the learner sees", () => {
  test("a revoked certificate: status, date and public reason on the certificate page, transcript and dashboard; downloads answer 410", async () => {
    const { certificate, cookie } = await certified();
    const id = certificate.publicId;
    const admin = await createUser({ role: "admin" });
    await revokeCertificate(admin.id, certificate.id, { publicReason: "Attestation found to be false", internalNote: "INTERNAL-XYZ" });
    const today = new Date().toISOString().slice(0, 10);
    const standing = { status: "revoked", revokedAt: today, revokedReason: "Attestation found to be false", replacedBy: null };

    const page = await run<{ standing: unknown }>(certificatePage, getRequest(`/certificates/${id}`, cookie), undefined, { publicId: id });
    expect(page.data!.standing).toMatchObject(standing);
    const list = await run<{ certificates: Array<{ standing: unknown }>; totalHours: number }>(transcript, getRequest("/certificates", cookie));
    expect(list.data!.certificates[0]!.standing).toMatchObject(standing);
    expect(list.data!.totalHours).toBe(0);
    const dash = await run<{ courses: Array<{ id: string; certificate: { publicId: string; standing: unknown } | null }> }>(dashboard, getRequest("/dashboard", cookie));
    expect(dash.data!.courses.find((c) => c.id === "fixture-course")!.certificate).toMatchObject({ publicId: id, standing });
    for (const body of [page, list, dash].map((r) => JSON.stringify(r.data))) expect(body).not.toContain("INTERNAL-XYZ");

    for (const route of [pdfDownload, credentialDownload]) {
      const res = (await route({ request: getRequest(`/certificates/${id}/pdf`, cookie), params: { publicId: id }, context: await signedInContext(getRequest("/", cookie)) } as never)) as Response;
      expect(res.status).toBe(410);
      expect(await res.text()).toBe(`Certificate ${id} was revoked on ${today} (reason: Attestation found to be false). It is no longer valid and cannot be downloaded.`);
    }
  });

  test("a replaced certificate points to its replacement, whose downloads work", async () => {
    const { certificate, cookie } = await certified();
    const admin = await createUser({ role: "admin" });
    const reissued = await reissueCertificate(admin.id, certificate.id, { reason: "Name corrected", learnerMessage: "Your name was corrected." });
    if (!reissued.ok) throw new Error(reissued.message);
    const newId = reissued.certificate.publicId;
    const page = await run<{ standing: unknown }>(certificatePage, getRequest(`/certificates/${certificate.publicId}`, cookie), undefined, { publicId: certificate.publicId });
    expect(page.data!.standing).toMatchObject({ status: "replaced", replacedBy: newId, replacedAt: new Date().toISOString().slice(0, 10) });
    const dash = await run<{ courses: Array<{ id: string; certificate: { publicId: string; standing: { status: string } } | null }> }>(dashboard, getRequest("/dashboard", cookie));
    expect(dash.data!.courses.find((c) => c.id === "fixture-course")!.certificate).toMatchObject({ publicId: newId, standing: { status: "valid" } });
    const gone = (await credentialDownload({ request: getRequest("/", cookie), params: { publicId: certificate.publicId }, context: await signedInContext(getRequest("/", cookie)) } as never)) as Response;
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain(`was replaced by ${newId}`);
    const fresh = (await credentialDownload({ request: getRequest("/", cookie), params: { publicId: newId }, context: await signedInContext(getRequest("/", cookie)) } as never)) as Response;
    expect(fresh.status).toBe(200);
  });
});
