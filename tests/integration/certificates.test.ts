import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, test } from "vitest";
import { verifyAuditChain } from "#app/audit/audit.server.ts";
import { updateProfile } from "#app/auth/accounts.server.ts";
import { ensureCredential, findCertificate, generatePublicId, listCertificates, normalizePublicId, publicVerification, reissueCertificate, revokeCertificate, verifyUrl } from "#app/certificates/certificates.server.ts";
import { didDocument, verifySignedCredential } from "#app/certificates/credential.server.ts";
import { renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { loader as apiVerify } from "#app/routes/api.verify.$publicId.ts";
import { independentlyVerify } from "#tests/credential-verifier.ts";
import { createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { getRequest, run } from "#tests/route-utils.ts";

const course = (await findCourse("fixture-course"))!;

async function certified() {
  const user = await createUser({ name: "Ana María Ruiz", licenses: [{ type: "LMFT", number: "LMFT55012", state: "CA" }, { type: "LPC", number: "LPC777", state: "TX" }] });
  await completeFixtureCourse(user.id, { attest: false });
  const results = await Promise.all([1, 2, 3].map(() => attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" })));
  expect(results.every((r) => r.ok)).toBe(true);
  const certs = await listCertificates(user.id);
  return { user, certs };
}

describe("issuing", () => {
  test("completion issues exactly one certificate, even when requested three times at once", async () => {
    const { certs } = await certified();
    expect(certs).toHaveLength(1);
    const issued = getDb().$client.prepare("select count(*) n from audit_log where action = 'certificate.issued' and entity_id = ?").get(certs[0]!.publicId) as { n: number };
    expect(issued.n).toBe(1);
    expect(verifyAuditChain(getDb()).ok).toBe(true);
  });

  test("the snapshot holds every certificate field and later profile edits do not change it", async () => {
    const { user, certs } = await certified();
    const s = certs[0]!.snapshot;
    expect(s).toMatchObject({
      learnerName: "Ana María Ruiz",
      licenses: [{ type: "LMFT", number: "LMFT55012", state: "CA" }, { type: "LPC", number: "LPC777", state: "TX" }],
      course: { id: "fixture-course", title: "Fixture Course for Tests", version: course.version },
      ceHours: 0.25,
      deliveryFormat: "Self-paced online home study (enduring material)",
      level: "introductory",
      objectives: course.objectives.map((o) => o.text),
      provider: { name: "Fixture Provider", address: "1 Test Road, Testville, OR 97000" },
      postTestScore: 1,
    });
    expect(s.approvals[0]).toMatchObject({ body: "APA", providerNumber: "FIX-1", period: "2026-01-01 to 2029-12-31" });
    for (const key of ["completedAt", "evaluationDate", "attestationDate"] as const) expect(Date.parse(s[key])).not.toBeNaN();
    await updateProfile(user.id, { name: "Ana Ruiz-Lopez", licenses: [{ type: "LMFT", number: "NEW1", state: "CA" }] });
    expect((await findCertificate(certs[0]!.publicId))!.snapshot.learnerName).toBe("Ana María Ruiz");
  });

  test("public ids are 100 random bits in four readable groups", () => {
    const ids = new Set(Array.from({ length: 1000 }, generatePublicId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    expect(normalizePublicId(" abcde fghij-KLMNO pqrst ")).toBe("ABCDE-FGHIJ-KLMNO-PQRST");
    expect(normalizePublicId("ABCDE")).toBeNull();
  });
});

describe("the Open Badges credential", () => {
  test("is an OpenBadgeCredential that verifies with the library and independently, and fails when one byte changes", async () => {
    const { certs } = await certified();
    const credential = await ensureCredential(certs[0]!);
    expect(credential).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      issuer: { id: "did:web:localhost%3A3000" },
      credentialSubject: { creditsEarned: 0.25, achievement: { creditsAvailable: 0.25 }, licenseNumber: "LMFT LMFT55012 (CA); LPC LPC777 (TX)" },
      proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", verificationMethod: "did:web:localhost%3A3000#key-1", proofPurpose: "assertionMethod" },
    });
    type Subject = { identifier: Array<{ identityType: string; hashed: boolean; identityHash: string }>; activityStartDate: string; activityEndDate: string };
    const subject = (credential as { credentialSubject: Subject }).credentialSubject;
    // Named for a board (unhashed), and the email only hashed.
    expect(subject.identifier[0]).toEqual({ type: "IdentityObject", identityType: "name", hashed: false, identityHash: "Ana María Ruiz" });
    expect(subject.identifier[1]).toMatchObject({ identityType: "emailAddress", hashed: true });
    expect(subject.identifier[1]!.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(JSON.stringify(credential)).not.toMatch(/@clinic\.example/);
    // The activity dates are the real enrollment and completion times.
    const recorded = getDb().$client.prepare("select e.enrolled_at as enrolled, c.completed_at as completed from enrollments e join completions c on c.user_id = e.user_id and c.course_id = e.course_id where e.user_id = ?").get(certs[0]!.userId) as { enrolled: number; completed: number };
    expect(subject.activityStartDate).toBe(new Date(recorded.enrolled).toISOString());
    expect(subject.activityEndDate).toBe(new Date(recorded.completed).toISOString());
    expect(recorded.completed - recorded.enrolled).toBeGreaterThan(30_000);

    expect((await verifySignedCredential(credential)).verified).toBe(true);
    const key = (await didDocument()).verificationMethod[0]!.publicKeyMultibase;
    expect(await independentlyVerify(credential, key)).toBe(true);

    const json = JSON.stringify(credential);
    const i = json.indexOf("Fixture Course for Tests");
    const tampered = JSON.parse(json.slice(0, i) + "G" + json.slice(i + 1)) as Record<string, unknown>;
    expect(await independentlyVerify(tampered, key)).toBe(false);
    expect((await verifySignedCredential(tampered)).verified).toBe(false);
  });

  test("the DID document publishes the key as a Multikey assertion method", async () => {
    const doc = await didDocument();
    expect(doc.id).toBe("did:web:localhost%3A3000");
    expect(doc.assertionMethod).toEqual(["did:web:localhost%3A3000#key-1"]);
    expect(doc.verificationMethod[0]!.publicKeyMultibase).toMatch(/^z6Mk/);
  });
});

describe("verification and lifecycle", () => {
  test("verify shows name, course, hours and date but no email or license; revoke and reissue are recorded", async () => {
    const { user, certs } = await certified();
    const id = certs[0]!.publicId;
    expect((await run(apiVerify, getRequest(`/api/verify/${id}`), undefined, { publicId: id })).status).toBe(200);
    expect((await run(apiVerify, getRequest("/api/verify/nope"), undefined, { publicId: "nope" })).status).toBe(404);
    const valid = await publicVerification(id.toLowerCase());
    expect(valid).toMatchObject({ status: "valid", learnerName: "Ana María Ruiz", course: { title: "Fixture Course for Tests" }, ceHours: 0.25 });
    const text = JSON.stringify(valid);
    expect(text).not.toContain(user.email);
    expect(text).not.toContain("LMFT55012");
    expect((await publicVerification("AAAAA-AAAAA-AAAAA-AAAAA")).status).toBe("not-found");

    const admin = await createUser({ role: "admin" });
    const reissued = await reissueCertificate(admin.id, certs[0]!.id, { reason: "Name corrected at the learner's request", learnerMessage: "Your name is corrected." });
    if (!reissued.ok) throw new Error(reissued.message);
    const old = await publicVerification(id);
    expect(old).toMatchObject({ status: "replaced", replacedBy: reissued.certificate.publicId });

    const revoked = await revokeCertificate(admin.id, reissued.certificate.id, { publicReason: "Issued in error", internalNote: "Ticket 4711" });
    expect(revoked.ok).toBe(true);
    expect(await publicVerification(reissued.certificate.publicId)).toMatchObject({ status: "revoked", revokedReason: "Issued in error" });
    expect(await revokeCertificate(admin.id, reissued.certificate.id, { publicReason: "again", internalNote: "" })).toEqual({ ok: false, message: "This certificate is already revoked." });
    const actions = (getDb().$client.prepare("select action from audit_log where actor_id = ? order by id").all(admin.id) as Array<{ action: string }>).map((r) => r.action);
    expect(actions).toEqual(["certificate.reissued", "certificate.revoked"]);
    expect(verifyAuditChain(getDb()).ok).toBe(true);
  });
});

describe("the PDF", () => {
  test("contains every required field as text, and its QR code decodes to the verify URL", async () => {
    const { certs } = await certified();
    const cert = certs[0]!;
    const bytes = await renderCertificatePdf(cert.snapshot, { publicId: cert.publicId, verifyUrl: verifyUrl(cert.publicId), status: cert.status });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-pdf-"));
    const file = path.join(dir, "cert.pdf");
    fs.writeFileSync(file, bytes);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const expected of [
      "Certificate of Completion",
      "Ana María Ruiz",
      "LMFT LMFT55012 (CA)",
      "LPC LPC777 (TX)",
      "Fixture Course for Tests",
      "Course ID fixture-course",
      `content version ${course.version}`,
      "0.25 (60-minute hours)",
      "Self-paced online home study (enduring material)",
      "Introductory",
      "Describe the two fixture ideas.",
      "Fixture Provider",
      "1 Test Road, Testville, OR 97000",
      "provider no. FIX-1",
      "approval period 2026-01-01 to 2029-12-31",
      "Post-test score 100%",
      "Evaluation submitted",
      "attestation signed",
      "Program administrator",
      cert.publicId,
      verifyUrl(cert.publicId),
    ]) {
      expect(text).toContain(expected);
    }
    execFileSync("pdftoppm", ["-png", "-r", "200", "-singlefile", file, path.join(dir, "page")]);
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, "page.png")));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBe(verifyUrl(cert.publicId));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
