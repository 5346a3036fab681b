import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { verifyAuditChain } from "#app/audit/audit.server.ts";
import { updateProfile } from "#app/auth/accounts.server.ts";
import { listCertificates, reissueCertificate, revokeCertificate } from "#app/certificates/certificates.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { loader as adminLearnerLoader } from "#app/routes/admin.learners.$userId.tsx";
import { action as deleteAction, loader as deleteLoader } from "#app/routes/transcript.entries.$entryId.delete.tsx";
import { action as editAction, loader as editLoader } from "#app/routes/transcript.entries.$entryId._index.tsx";
import { loader as fileLoader } from "#app/routes/transcript.entries.$entryId.file.ts";
import { action as newAction } from "#app/routes/transcript.entries.new.tsx";
import { loader as transcriptLoader } from "#app/routes/transcript._index.tsx";
import { loader as csvLoader } from "#app/routes/transcript.csv.ts";
import { loader as pdfLoader } from "#app/routes/transcript.pdf.ts";
import { addExternalEntry, MAX_FILE_BYTES, sniffFileType } from "#app/transcript/entries.server.ts";
import { transcriptPdf } from "#app/transcript/exports.server.ts";
import { readPeriod } from "#app/transcript/period.ts";
import { buildTranscript, type Transcript } from "#app/transcript/transcript.server.ts";
import { countRows, createSignedInUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run, signedInContext } from "#tests/route-utils.ts";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2b3b0d50000000049454e44ae426082", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

const LMFT = { type: "LMFT", number: "LMFT55012", state: "CA" };
const LPC = { type: "LPC", number: "LPC777", state: "TX" };
const key = (l: { type: string; number: string; state: string }) => `${l.type}|${l.number}|${l.state}`;

type Fields = Record<string, string | string[]>;

function entryForm(fields: Fields, file?: { bytes: Buffer; name: string; type?: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
  if (file) form.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/pdf" }));
  return form;
}

/** A multipart POST, as a browser sends the entry form with its file. */
function multipartRequest(pathname: string, form: FormData, cookie: string): Request {
  return new Request(`http://localhost:3000${pathname}`, { method: "POST", body: form, headers: { Cookie: cookie } });
}

const valid = (overrides: Fields = {}): Fields => ({ provider: "Pacific Trauma Institute", title: "EMDR refresher", ceHours: "1.5", completedOn: "2025-06-01", accreditingBody: "APA", approvalNumber: "PTI-42", license: key(LMFT), ...overrides });

function auditCount(action: string): number {
  return (getDb().$client.prepare("select count(*) n from audit_log where action = ?").get(action) as { n: number }).n;
}

async function learner() {
  return createSignedInUser({ name: "Ana María Ruiz", licenses: [LMFT, LPC] });
}

describe("external CE entries", () => {
  test("bad input gets a message per field and writes nothing", async () => {
    const { user } = await learner();
    const before = { rows: countRows("external_ce"), audit: countRows("audit_log") };
    const cases: Array<[Fields, Record<string, string>]> = [
      [{ provider: "", title: " ", ceHours: "", completedOn: "" }, { provider: "Enter the provider's name.", title: "Enter the course title.", ceHours: "Enter the CE hours.", completedOn: "Enter the completion date.", licenses: "Choose at least one license this CE counts toward." }],
      [valid({ ceHours: "abc" }), { ceHours: "Enter the CE hours as a number with at most two decimals, e.g. 1.5." }],
      [valid({ ceHours: "1.234" }), { ceHours: "Enter the CE hours as a number with at most two decimals, e.g. 1.5." }],
      [valid({ ceHours: "0" }), { ceHours: "CE hours must be more than 0." }],
      [valid({ ceHours: "-2" }), { ceHours: "Enter the CE hours as a number with at most two decimals, e.g. 1.5." }],
      [valid({ ceHours: "100.01" }), { ceHours: "CE hours may be at most 100 for one entry." }],
      [valid({ completedOn: "2025-02-30" }), { completedOn: "Enter the completion date as a real date (YYYY-MM-DD)." }],
      [valid({ completedOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) }), { completedOn: "The completion date cannot be in the future." }],
      [valid({ license: "RN|X1|FL" }), { licenses: "Choose only among your own licenses." }],
      [valid({ provider: "p".repeat(201) }), { provider: "The provider's name may be at most 200 characters." }],
    ];
    for (const [fields, expected] of cases) {
      const result = await addExternalEntry(user.id, entryForm(fields));
      expect(result.ok, JSON.stringify(fields)).toBe(false);
      if (result.ok) continue;
      for (const [field, message] of Object.entries(expected)) expect(result.fieldErrors[field], field).toEqual([message]);
      expect(Object.keys(result.fieldErrors).sort()).toEqual(Object.keys(expected).sort());
    }
    expect({ rows: countRows("external_ce"), audit: countRows("audit_log") }).toEqual(before);
  });

  test("the file is checked by its bytes, not its name or declared type, and by size", async () => {
    expect(sniffFileType(PNG)).toBe("image/png");
    expect(sniffFileType(PDF)).toBe("application/pdf");
    expect(sniffFileType(JPEG)).toBe("image/jpeg");
    expect(sniffFileType(Buffer.from("<html><script>alert(1)</script>"))).toBeNull();
    expect(sniffFileType(Buffer.from("GIF89a"))).toBeNull();

    const { user } = await learner();
    const before = countRows("external_ce");
    const html = await addExternalEntry(user.id, entryForm(valid(), { bytes: Buffer.from("<html>not a pdf</html>"), name: "certificate.pdf", type: "application/pdf" }));
    expect(html).toMatchObject({ ok: false, fieldErrors: { file: ["The certificate file must be a PDF, PNG or JPEG."] } });
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES, 0x20)]);
    const tooBig = await addExternalEntry(user.id, entryForm(valid(), { bytes: big, name: "big.pdf" }));
    expect(tooBig).toMatchObject({ ok: false, fieldErrors: { file: ["The certificate file may be at most 4 MB."] } });
    expect(countRows("external_ce")).toBe(before);

    // A PNG sent as "application/pdf" named .pdf is stored as the PNG it is.
    const added = await addExternalEntry(user.id, entryForm(valid(), { bytes: PNG, name: "../../scan.pdf", type: "application/pdf" }));
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(added.entry).toMatchObject({ fileType: "image/png", fileName: "scan.pdf", ceHundredths: 150, licenses: [LMFT] });
    expect(Buffer.compare(added.entry.fileData!, PNG)).toBe(0);
  });

  test("add, edit and delete through the routes, with real multipart Requests; each audited; owner only", async () => {
    const owner = await learner();
    const other = await createSignedInUser({ licenses: [{ type: "RN", number: "RN1", state: "FL" }] });
    const added = await run(newAction, multipartRequest("/transcript/entries/new", entryForm(valid({ license: [key(LMFT), key(LPC)] }), { bytes: PDF, name: "pti.pdf" }), owner.cookie));
    expect(added.status).toBe(302);
    expect(added.headers.get("Location")).toBe("/transcript?saved=added");
    const row = getDb().$client.prepare("select * from external_ce where user_id = ?").get(owner.user.id) as { id: string; licenses: string };
    expect(JSON.parse(row.licenses)).toEqual([LMFT, LPC]);
    expect(auditCount("external-ce.added")).toBeGreaterThanOrEqual(1);
    const audit = getDb().$client.prepare("select actor_id, after from audit_log where entity_id = ? and action = 'external-ce.added'").get(row.id) as { actor_id: string; after: string };
    expect(audit.actor_id).toBe(owner.user.id);
    expect(JSON.parse(audit.after)).toMatchObject({ provider: "Pacific Trauma Institute", ceHours: 1.5, selfReported: true, file: { name: "pti.pdf", type: "application/pdf", bytes: PDF.length } });

    // The owner downloads the file as stored.
    const file = await run(fileLoader, getRequest(`/transcript/entries/${row.id}/file`, owner.cookie), {}, { entryId: row.id });
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toBe("application/pdf");

    // Another learner: not found everywhere, and nothing changes.
    const params = { entryId: row.id };
    for (const [fn, request] of [
      [editLoader, getRequest(`/transcript/entries/${row.id}`, other.cookie)],
      [fileLoader, getRequest(`/transcript/entries/${row.id}/file`, other.cookie)],
      [deleteLoader, getRequest(`/transcript/entries/${row.id}/delete`, other.cookie)],
      [editAction, multipartRequest(`/transcript/entries/${row.id}`, entryForm(valid({ ceHours: "99", license: "RN|RN1|FL" })), other.cookie)],
      [deleteAction, formRequest(`/transcript/entries/${row.id}/delete`, { confirm: "yes" }, { cookie: other.cookie })],
    ] as const) {
      const outcome = await run(fn as never, request, {}, params);
      expect(outcome.status, `${request.method} ${request.url}`).toBe(404);
    }
    // Signed out: sent to sign in.
    const anonymous = await run(editLoader, getRequest(`/transcript/entries/${row.id}`), {}, params);
    expect(anonymous.status).toBe(302);
    expect(getDb().$client.prepare("select ce_hundredths from external_ce where id = ?").get(row.id)).toEqual({ ce_hundredths: 150 });

    // Edit with a bad value: the message, and the row unchanged.
    const bad = await run<{ errors: Record<string, string[]> }>(editAction, multipartRequest(`/transcript/entries/${row.id}`, entryForm(valid({ ceHours: "0" })), owner.cookie), {}, params);
    expect(bad.status).toBe(400);
    expect(bad.data!.errors).toEqual({ ceHours: ["CE hours must be more than 0."] });
    expect(getDb().$client.prepare("select ce_hundredths from external_ce where id = ?").get(row.id)).toEqual({ ce_hundredths: 150 });

    // Edit: new hours and licenses, file removed.
    const edited = await run(editAction, multipartRequest(`/transcript/entries/${row.id}`, entryForm(valid({ ceHours: "2.75", license: key(LPC), removeFile: "on" })), owner.cookie), {}, params);
    expect(edited.headers.get("Location")).toBe("/transcript?saved=updated");
    const after = getDb().$client.prepare("select ce_hundredths, licenses, file_data from external_ce where id = ?").get(row.id) as { ce_hundredths: number; licenses: string; file_data: Buffer | null };
    expect(after).toMatchObject({ ce_hundredths: 275, file_data: null });
    expect(JSON.parse(after.licenses)).toEqual([LPC]);
    const updated = getDb().$client.prepare("select before, after from audit_log where entity_id = ? and action = 'external-ce.updated'").get(row.id) as { before: string; after: string };
    expect(JSON.parse(updated.before)).toMatchObject({ ceHours: 1.5, file: { name: "pti.pdf" } });
    expect(JSON.parse(updated.after)).toMatchObject({ ceHours: 2.75, file: null, licenses: [LPC] });

    // Delete asks for confirmation: without it, nothing is deleted.
    const unconfirmed = await run(deleteAction, formRequest(`/transcript/entries/${row.id}/delete`, {}, { cookie: owner.cookie }), {}, params);
    expect(unconfirmed.status).toBe(302);
    expect(countRowsFor(owner.user.id)).toBe(1);
    const deleted = await run(deleteAction, formRequest(`/transcript/entries/${row.id}/delete`, { confirm: "yes" }, { cookie: owner.cookie }), {}, params);
    expect(deleted.headers.get("Location")).toBe("/transcript?saved=deleted");
    expect(countRowsFor(owner.user.id)).toBe(0);
    const gone = getDb().$client.prepare("select before from audit_log where entity_id = ? and action = 'external-ce.deleted'").get(row.id) as { before: string };
    expect(JSON.parse(gone.before)).toMatchObject({ title: "EMDR refresher", ceHours: 2.75 });
    expect(verifyAuditChain(getDb()).ok).toBe(true);
  });
});

function countRowsFor(userId: string): number {
  return (getDb().$client.prepare("select count(*) n from external_ce where user_id = ?").get(userId) as { n: number }).n;
}

/**
 * One learner with two licenses: a certificate issued for both, then (after
 * dropping LPC from the profile) reissued for LMFT only, and four external entries.
 */
async function fullTranscript() {
  const signedIn = await learner();
  const { user } = signedIn;
  const entries: Fields[] = [
    valid({ title: "Both licenses", ceHours: "1.5", completedOn: "2025-06-01", license: [key(LMFT), key(LPC)] }),
    valid({ title: "LPC ethics", ceHours: "2.25", completedOn: "2023-01-15", license: key(LPC), provider: "=HYPERLINK(\"http://evil.example\")" }),
    valid({ title: "Tenth", ceHours: "0.1", completedOn: "2026-01-02" }),
    valid({ title: "Fifth", ceHours: "0.2", completedOn: "2026-02-02" }),
  ];
  for (const e of entries) expect((await addExternalEntry(user.id, entryForm(e))).ok).toBe(true);
  await completeFixtureCourse(user.id, { now: new Date("2026-03-10T15:00:00Z") });
  const [original] = await listCertificates(user.id);
  await updateProfile(user.id, { name: "Ana María Ruiz", licenses: [LMFT] });
  const reissued = await reissueCertificate(user.id, original!.id, { reason: "license correction", learnerMessage: "We corrected your license." });
  expect(reissued.ok).toBe(true);
  return { ...signedIn, original: original!, reissued: reissued.ok ? reissued.certificate : null };
}

const NOW = new Date("2026-12-02T12:00:00Z");
const period = (q: string) => {
  const read = readPeriod(new URLSearchParams(q), NOW);
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.period;
};
const hours = (t: Transcript) => ({
  platform: t.totals.platform / 100,
  selfReported: t.totals.selfReported / 100,
  all: t.totals.all / 100,
  perLicense: Object.fromEntries(t.perLicense.map((l) => [l.label, [l.platform / 100, l.selfReported / 100, l.all / 100]])),
});

describe("the transcript", () => {
  test("sums by period and license: valid certificates by their snapshot's licenses, entries by the ticked ones; replaced and revoked listed, not counted", async () => {
    const { user, original, reissued } = await fullTranscript();
    const all = (await buildTranscript(user.id, period("")))!;
    expect(all.rows.map((r) => [r.date, r.title, r.status, r.counted])).toEqual([
      ["2023-01-15", "LPC ethics", "self-reported", true],
      ["2025-06-01", "Both licenses", "self-reported", true],
      ["2026-01-02", "Tenth", "self-reported", true],
      ["2026-02-02", "Fifth", "self-reported", true],
      ["2026-03-10", "Fixture Course for Tests", "replaced", false],
      ["2026-03-10", "Fixture Course for Tests", "valid", true],
    ]);
    expect(all.rows[4]!.reference).toBe(original.publicId);
    expect(all.rows[5]!.reference).toBe(reissued!.publicId);
    expect(hours(all)).toEqual({
      platform: 0.25,
      selfReported: 4.05,
      all: 4.3,
      // LPC is no longer on the profile, yet what was earned for it still shows.
      perLicense: { "LMFT LMFT55012 (CA)": [0.25, 1.8, 2.05], "LPC LPC777 (TX)": [0, 3.75, 3.75] },
    });

    const thisYear = (await buildTranscript(user.id, period("period=this-year")))!;
    expect(thisYear.period).toMatchObject({ from: "2026-01-01", to: "2026-12-31" });
    // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004.
    expect(hours(thisYear)).toEqual({ platform: 0.25, selfReported: 0.3, all: 0.55, perLicense: { "LMFT LMFT55012 (CA)": [0.25, 0.3, 0.55] } });

    const custom = (await buildTranscript(user.id, period("period=custom&from=2023-01-15&to=2025-06-01")))!;
    expect(custom.rows.map((r) => r.title)).toEqual(["LPC ethics", "Both licenses"]);
    expect(hours(custom)).toMatchObject({ platform: 0, selfReported: 3.75, all: 3.75 });

    const twoYears = (await buildTranscript(user.id, period("period=last-2-years")))!;
    expect(twoYears.period).toMatchObject({ from: "2024-12-03", to: "2026-12-02" });
    expect(twoYears.rows.map((r) => r.title)).not.toContain("LPC ethics");

    // Revoking the valid certificate leaves no platform hours.
    await revokeCertificate(user.id, reissued!.id, { publicReason: "Recorded in error", internalNote: "" });
    const revoked = (await buildTranscript(user.id, period("")))!;
    expect(revoked.rows.filter((r) => r.kind === "platform").map((r) => r.status)).toEqual(["replaced", "revoked"]);
    expect(hours(revoked)).toMatchObject({ platform: 0, all: 4.05 });
  });

  test("periods: presets, custom dates and the messages for bad ones", () => {
    expect(readPeriod(new URLSearchParams("period=last-year"), NOW)).toMatchObject({ ok: true, period: { from: "2025-01-01", to: "2025-12-31" } });
    expect(readPeriod(new URLSearchParams("period=last-2-years"), new Date("2028-02-29T10:00:00Z"))).toMatchObject({ ok: true, period: { from: "2026-03-01", to: "2028-02-29" } });
    expect(readPeriod(new URLSearchParams("from=2026-01-01"), NOW)).toMatchObject({ ok: true, period: { id: "custom", from: "2026-01-01", to: null, label: "from 2026-01-01" } });
    expect(readPeriod(new URLSearchParams("period=custom&from=2026-02-30"), NOW)).toMatchObject({ ok: false, errors: { from: ["The start date is not a real date (YYYY-MM-DD)."] } });
    expect(readPeriod(new URLSearchParams("period=custom&from=2026-05-01&to=2026-04-01"), NOW)).toMatchObject({ ok: false, errors: { to: ["The end date is before the start date."] } });
  });

  test("the page, CSV and PDF routes show the owner's transcript only, for the period asked", async () => {
    const { user, cookie } = await fullTranscript();
    const other = await createSignedInUser();
    const page = await run<{ transcript: Transcript; query: string }>(transcriptLoader, getRequest("/transcript?period=custom&from=2025-01-01", cookie));
    expect(page.data!.transcript.rows.map((r) => r.title)).toEqual(["Both licenses", "Tenth", "Fifth", "Fixture Course for Tests", "Fixture Course for Tests"]);
    expect(page.data!.query).toBe("period=custom&from=2025-01-01");
    const theirs = await run<{ transcript: Transcript }>(transcriptLoader, getRequest("/transcript", other.cookie));
    expect(theirs.data!.transcript.rows).toEqual([]);
    expect((await run(transcriptLoader, getRequest("/transcript"))).status).toBe(302);

    // CSV, read by Python's csv module: the page's columns, formula-like text neutralised, the totals.
    const csvResponse = await csvLoader((await routeArgs(getRequest("/transcript/csv?period=all", cookie))) as never);
    expect(csvResponse.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-transcript-"));
    fs.writeFileSync(path.join(dir, "t.csv"), await csvResponse.text());
    const rows = JSON.parse(execFileSync("python3", ["-c", "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", path.join(dir, "t.csv")], { encoding: "utf8" })) as string[][];
    expect(rows[0]).toEqual(["CE transcript", "Ana María Ruiz"]);
    expect(rows[2]).toEqual(["Period", "all time"]);
    const header = rows.findIndex((r) => r[0] === "Date");
    expect(rows[header]).toEqual(["Date", "Course or activity", "Provider", "Accreditation / approval", "Source", "Status", "Counts toward", "CE hours", "Certificate ID"]);
    expect(rows[header + 1]).toEqual(["2023-01-15", "LPC ethics", "'=HYPERLINK(\"http://evil.example\")", "APA PTI-42", "Self-reported (earned elsewhere)", "Self-reported", "LPC LPC777 (TX)", "2.25", ""]);
    expect(rows[header + 5]!.slice(4, 8)).toEqual(["KAP Academy certificate", "Replaced (not counted)", "LMFT LMFT55012 (CA); LPC LPC777 (TX)", "0.25"]);
    const totals = rows.findIndex((r) => r[0] === "Totals for the period");
    expect(rows.slice(totals + 1, totals + 4)).toEqual([["All licenses", "0.25", "4.05", "4.3"], ["LMFT LMFT55012 (CA)", "0.25", "1.8", "2.05"], ["LPC LPC777 (TX)", "0", "3.75", "3.75"]]);

    // PDF, read by poppler's pdftotext.
    const pdfResponse = await pdfLoader((await routeArgs(getRequest("/transcript/pdf?period=custom&from=2026-01-01&to=2026-12-31", cookie))) as never);
    expect(pdfResponse.headers.get("Content-Type")).toBe("application/pdf");
    fs.writeFileSync(path.join(dir, "t.pdf"), Buffer.from(await pdfResponse.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "t.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const expected of ["Continuing education transcript", "Learner: Ana María Ruiz", "Licenses: LMFT LMFT55012 (CA)", "Period: 2026-01-01 to 2026-12-31", "Tenth - Pacific Trauma Institute (APA", "PTI-42)", "(earned elsewhere)", "Replaced (not", "All licenses 0.25 0.3 0.55", "LMFT LMFT55012 (CA) 0.25 0.3 0.55", "Page 1 of 1", `generated ${new Date().toISOString().slice(0, 10)}`])
      expect(text).toContain(expected);
    // Another learner's download holds none of it.
    const theirPdf = await pdfLoader((await routeArgs(getRequest("/transcript/pdf", other.cookie))) as never);
    fs.writeFileSync(path.join(dir, "other.pdf"), Buffer.from(await theirPdf.arrayBuffer()));
    expect(execFileSync("pdftotext", [path.join(dir, "other.pdf"), "-"], { encoding: "utf8" })).not.toContain("Ana María Ruiz");
    expect(user.id).toBeTruthy();
  });

  test("a long transcript runs over pages, numbered 'Page n of N', every row present", async () => {
    const { user } = await learner();
    for (let i = 1; i <= 60; i++) expect((await addExternalEntry(user.id, entryForm(valid({ title: `Workshop number ${i} on a long title that wraps over two lines in the table`, completedOn: `2025-${String((i % 12) + 1).padStart(2, "0")}-10` })))).ok).toBe(true);
    const t = (await buildTranscript(user.id, period("")))!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-transcript-"));
    fs.writeFileSync(path.join(dir, "long.pdf"), await transcriptPdf(t, NOW));
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "long.pdf"), "-"], { encoding: "utf8" });
    const pages = text.split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
    const flat = text.replace(/\s+/g, " ");
    for (let i = 1; i <= 60; i++) expect(flat).toContain(`Workshop number ${i} on`);
    expect(flat).toContain("All licenses 0 90 90");
  });

  test("names and titles in any script print as written (the certificates' Noto fonts), not as '?'", async () => {
    const { user } = await createSignedInUser({ name: "Zoë Ōkami 李小龍", licenses: [LMFT] });
    expect((await addExternalEntry(user.id, entryForm(valid({ title: "Семинар по этике", provider: "Институт" })))).ok).toBe(true);
    const t = (await buildTranscript(user.id, period("")))!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-transcript-"));
    fs.writeFileSync(path.join(dir, "scripts.pdf"), await transcriptPdf(t, NOW));
    const text = execFileSync("pdftotext", [path.join(dir, "scripts.pdf"), "-"], { encoding: "utf8" }).normalize("NFKC");
    expect(text).toContain("Learner: Zoë Ōkami 李小龍");
    expect(text).toContain("Семинар по этике");
    expect(text).not.toContain("?");
    expect(text).not.toContain("\ufffd");
  });

  test("the admin's learner record shows the platform part only and says so", async () => {
    const { user } = await fullTranscript();
    const admin = await createSignedInUser({ role: "admin" });
    const record = await run<{ transcript: { rows: Array<{ kind: string; status: string }>; totals: { platform: number; selfReported: number } } }>(adminLearnerLoader, getRequest(`/admin/learners/${user.id}`, admin.cookie), {}, { userId: user.id });
    expect(record.status).toBe(200);
    expect(record.data!.transcript.rows.map((r) => [r.kind, r.status])).toEqual([["platform", "replaced"], ["platform", "valid"]]);
    expect(record.data!.transcript.totals).toMatchObject({ platform: 25, selfReported: 0 });
    expect(JSON.stringify(record.data)).not.toContain("Pacific Trauma Institute");
    const learnerAsks = await run(adminLearnerLoader, getRequest(`/admin/learners/${user.id}`, (await createSignedInUser()).cookie), {}, { userId: user.id });
    expect(learnerAsks.status).toBe(403);
  });
});

/** The arguments a resource route's loader gets, after the session middleware. */
async function routeArgs(request: Request) {
  return { request, context: await signedInContext(request), params: {}, url: new URL(request.url), pattern: "" };
}
