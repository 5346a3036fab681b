import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer, text } from "node:stream/consumers";
import { describe, expect, test } from "vitest";
import Database from "better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { countCompletions, listCompletions, markReportedToCeBroker, parseCompletionFilter } from "#app/admin/completions.server.ts";
import { CE_BROKER_HEADER, CeBrokerNotConfigured, ceBrokerProblems, csvLine, exportStream, neutralise, usDate } from "#app/admin/exports.server.ts";
import { logIn } from "#app/auth/accounts.server.ts";
import { revokeCertificate } from "#app/certificates/certificates.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { action as usersAction } from "#app/routes/admin.users.tsx";
import { action as completionsAction, loader as completionsLoader } from "#app/routes/admin.completions.tsx";
import { loader as exportLoader } from "#app/routes/admin.completions.export.ts";
import { createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, getRequest, run, signedInContext } from "#tests/route-utils.ts";
import { readXlsx } from "#tests/xlsx.ts";

const filter = (q: Record<string, string> = {}) => {
  const parsed = parseCompletionFilter(new URLSearchParams(q));
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
};

// A small seeded data set: five learners, one with two licenses, one with a formula for a name.
const seeded = await (async () => {
  const people = [
    { name: '=HYPERLINK("http://evil.example","click")', licenses: [{ type: "LPC", number: "LPC100", state: "TX" }] },
    { name: "Bea O'Neil, Jr.", licenses: [{ type: "LMFT", number: "LMFT200", state: "CA" }, { type: "LPC", number: "LPC201", state: "TX" }] },
    { name: "+Plus Sign", licenses: [{ type: "RN", number: "RN300", state: "FL" }] },
    { name: "@At Sign", licenses: [{ type: "LCSW", number: "LCSW400", state: "NY" }] },
    { name: "-Minus Sign", licenses: [{ type: "LMFT", number: "LMFT500", state: "CA" }] },
  ];
  const users = [];
  for (const [i, p] of people.entries()) {
    const user = await createUser({ ...p, email: `export${i}@clinic.example` });
    await completeFixtureCourse(user.id, { now: new Date(Date.UTC(2026, 0, 10 + i, 12)) });
    users.push(user);
  }
  return users;
})();

describe("completion records", () => {
  test("one row per certificate and license, filtered by state, type, status, text and dates", async () => {
    expect((await listCompletions(filter())).total).toBe(6);
    expect((await listCompletions(filter({ state: "TX" }))).rows.map((r) => r.licenseNumber).sort()).toEqual(["LPC100", "LPC201"]);
    expect((await listCompletions(filter({ licenseType: "LMFT" }))).total).toBe(2);
    expect((await listCompletions(filter({ q: "o'neil" }))).total).toBe(2);
    expect((await listCompletions(filter({ from: "2026-01-11", to: "2026-01-12" }))).rows.map((r) => r.completionDate).sort()).toEqual(["2026-01-11", "2026-01-11", "2026-01-12"]);
    const byName = await listCompletions(filter({ sort: "name", dir: "asc" }));
    expect(byName.rows[0]!.learnerName).toBe("+Plus Sign");
  });

  test("a bad filter gets a clear message", () => {
    const bad = parseCompletionFilter(new URLSearchParams({ from: "2026-02-30" }));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe("That is not a real date.");
    const reversed = parseCompletionFilter(new URLSearchParams({ from: "2026-03-01", to: "2026-02-01" }));
    expect(reversed.error!.issues[0]!.message).toBe("The end date is before the start date.");
  });

  test("learners and authors get 403; admins see the page", async () => {
    for (const role of ["learner", "author"] as const) {
      const { cookie } = await createSignedInUser({ role });
      expect((await run(completionsLoader, getRequest("/admin/completions", cookie))).status).toBe(403);
    }
    const { cookie } = await createSignedInUser({ role: "admin" });
    const page = await run<{ total: number }>(completionsLoader, getRequest("/admin/completions?state=CA", cookie));
    expect(page.data?.total).toBe(2);
  });
});

describe("time on task in the records", () => {
  test("the roster and exports show active time and flag a completion below the course's minimum, older records included", async () => {
    const [short, older] = seeded;
    const db = getDb().$client;
    const saved = db.prepare("select id, active_seconds, minimum_seconds from completions where user_id in (?, ?)").all(short!.id, older!.id) as Array<{ id: string; active_seconds: number; minimum_seconds: number | null }>;
    // A completion recorded with its minimum, but short of it; and one from before minimums were recorded.
    db.prepare("update completions set active_seconds = 2, minimum_seconds = 3 where user_id = ?").run(short!.id);
    db.prepare("update completions set active_seconds = 300, minimum_seconds = null where user_id = ?").run(older!.id);
    try {
      const rows = (await listCompletions(filter())).rows;
      const flagOf = (userId: string) => [...new Set(rows.filter((r) => r.userId === userId).map((r) => `${r.activeHours}|${r.timeFlag}`))];
      expect(flagOf(short!.id)).toEqual(["0|below minimum"]);
      // 300 s is below the default share: half of 0.25 CE hours (450 s).
      expect(flagOf(older!.id)).toEqual(["0.08|below minimum"]);
      const others = rows.filter((r) => r.userId !== short!.id && r.userId !== older!.id);
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((r) => r.timeFlag === "" && r.activeHours > 0)).toBe(true);
      const csv = await text(exportStream("csv", filter()));
      const flagged = csv.split("\r\n").filter((line) => line.endsWith(",below minimum"));
      expect(flagged).toHaveLength(rows.filter((r) => r.timeFlag).length);
      // The admin's page says so in words.
      const { cookie } = await createSignedInUser({ role: "admin" });
      const page = await run<{ rows: Array<{ timeFlag: string }> }>(completionsLoader, getRequest("/admin/completions", cookie));
      expect(page.data!.rows.filter((r) => r.timeFlag === "below minimum")).toHaveLength(rows.filter((r) => r.timeFlag).length);
    } finally {
      const restore = db.prepare("update completions set active_seconds = ?, minimum_seconds = ? where id = ?");
      for (const r of saved) restore.run(r.active_seconds, r.minimum_seconds, r.id);
    }
  });
});

describe("exports", () => {
  test("CSV is RFC 4180, neutralises formulas, and reads back in Python's csv module with the same rows as the page", async () => {
    const csv = await text(exportStream("csv", filter({ sort: "name", dir: "asc" })));
    expect(csv.endsWith("\r\n")).toBe(true);
    const parsed = JSON.parse(execFileSync("python3", ["-c", "import csv,json,sys; print(json.dumps(list(csv.reader(sys.stdin))))"], { input: csv, encoding: "utf8" })) as string[][];
    expect(parsed[0]).toEqual(["Certificate ID", "Verify URL", "Learner name", "Email", "License type", "License number", "License state", "Course ID", "Course title", "Course version", "CE hours", "Completion date", "Post-test score (%)", "Evaluation date", "Status", "Reported to CE Broker", "Active hours", "Time flag"]);
    const page = await listCompletions(filter({ sort: "name", dir: "asc" }));
    expect(parsed.slice(1).map((r) => [r[0], r[5]])).toEqual(page.rows.map((r) => [r.certificateId, r.licenseNumber]));
    const names = parsed.slice(1).map((r) => r[2]);
    expect(names).toContain("'=HYPERLINK(\"http://evil.example\",\"click\")");
    expect(names).toContain("'+Plus Sign");
    expect(names).toContain("'@At Sign");
    expect(names).toContain("'-Minus Sign");
    expect(names).toContain("Bea O'Neil, Jr.");
    expect(parsed[1]![10]).toBe("0.25");
    // Dates as YYYY-MM-DD text; the score as a whole percentage, as on the page.
    expect(parsed[1]![11]).toMatch(/^2026-01-1[0-4]$/);
    expect(parsed.slice(1).map((r) => Number(r[12]))).toEqual(page.rows.map((r) => r.postTestScorePercent));
    expect(page.rows.every((r) => Number.isInteger(r.postTestScorePercent) && r.postTestScorePercent > 0 && r.postTestScorePercent <= 100)).toBe(true);
  });

  test("the Excel-friendly CSV starts with a byte-order mark", async () => {
    const bytes = await buffer(exportStream("csv", filter(), { bom: true }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });


  test("XLSX: dates as date cells, hours and scores as numbers, formula-like text as Text-format string cells without an apostrophe", async () => {
    const rows = await readXlsx(exportStream("xlsx", filter({ sort: "name", dir: "asc" })));
    const header = rows[0]!.map((c) => c.v);
    expect(header).toContain("Certificate ID");
    expect(rows).toHaveLength(7);
    const col = (name: string) => header.indexOf(name);
    const page = await listCompletions(filter({ sort: "name", dir: "asc" }));
    for (const [i, row] of rows.slice(1).entries()) {
      const expected = page.rows[i]!;
      expect(row[col("Certificate ID")]!.v).toBe(expected.certificateId);
      expect(row[col("CE hours")]).toMatchObject({ v: 0.25, t: "n" });
      expect(row[col("Active hours")]!.t).toBe("n");
      expect(row[col("Post-test score (%)")]).toMatchObject({ v: expected.postTestScorePercent, t: "n" });
      expect(row[col("Completion date")]).toMatchObject({ v: `${expected.completionDate}T00:00:00`, t: "d", date: true, fmt: "yyyy-mm-dd" });
      expect(row[col("Evaluation date")]).toMatchObject({ t: "d", date: true });
      // Not reported yet: an empty cell, not an empty string.
      if (!expected.reportedToCeBroker) expect(row[col("Reported to CE Broker")]!.v).toBeNull();
    }
    const names = rows.slice(1).map((r) => r[col("Learner name")]!);
    for (const literal of ['=HYPERLINK("http://evil.example","click")', "+Plus Sign", "@At Sign", "-Minus Sign"]) {
      expect(names).toContainEqual(expect.objectContaining({ v: literal, t: "s", fmt: "@" }));
    }
    // Ordinary text keeps the default style.
    expect(names).toContainEqual(expect.objectContaining({ v: "Bea O'Neil, Jr.", t: "s", fmt: "General" }));
    expect(rows.flat().some((c) => typeof c.v === "string" && c.v.startsWith("'"))).toBe(false);
  });

  test("CE Broker XLSX roster: the completion date as a date cell formatted MM/DD/YYYY, hours earned as a number", async () => {
    const settings = { providerNumber: "12345", courseNumbers: { "fixture-course": "998877" } };
    const rows = await readXlsx(exportStream("cebroker-xlsx", filter({ state: "FL", includeReported: "1" }), { ceBroker: settings }));
    expect(rows[0]!.map((c) => c.v)).toEqual(CE_BROKER_HEADER);
    expect(rows).toHaveLength(2);
    const [a, b, c, d, e, f, g, h, i, j] = rows[1]!;
    expect([a!.v, b!.v, c!.v, d!.v, e!.v, g!.v, h!.v, i!.v]).toEqual(["12345", "998877", null, null, "RN300", "State=FL", "Profession=RN", null]);
    expect(f).toMatchObject({ v: "2026-01-12T00:00:00", t: "d", date: true, fmt: "mm/dd/yyyy" });
    expect(j).toMatchObject({ v: 0.25, t: "n" });
  });

  test("JSON lines: one object per row", async () => {
    const lines = (await text(exportStream("jsonl", filter()))).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toHaveProperty("verifyUrl");
    expect(lines[0]).not.toHaveProperty("internalId");
    // The same score rule as every other format: a whole percentage.
    const page = await listCompletions(filter());
    expect(lines.map((l) => l.postTestScorePercent).sort()).toEqual(page.rows.map((r) => r.postTestScorePercent).sort());
    expect(lines.every((l) => Number.isInteger(l.postTestScorePercent))).toBe(true);
  });

  test("CE Broker roster: documented columns, MM/DD/YYYY dates, hours earned, reported licenses left out unless asked", async () => {
    const settings = { providerNumber: "50-12345", courseNumbers: { "fixture-course": "20-998877" } };
    const before = countCompletions(filter(), { ceBroker: true });
    const csv = await text(exportStream("cebroker-csv", filter({ state: "CA" }), { ceBroker: settings }));
    const [header, ...rows] = csv.trim().split("\r\n");
    expect(header).toBe(csvLine(CE_BROKER_HEADER).trim());
    expect(rows).toHaveLength(2);
    // A: digits without 50-; B: without 20-; C, D blank; E license; F zero-padded date; G, H; I blank; J the course's hours.
    for (const row of rows) expect(row).toMatch(/^12345,998877,,,LMFT(200|500),01\/1[0-4]\/2026,State=CA,Profession=LMFT,,0\.25$/);

    const admin = await createUser({ role: "admin" });
    expect(await markReportedToCeBroker(admin.id, filter({ state: "CA" }))).toBe(2);
    // Reporting is tracked per license: Bea's TX license is still due.
    expect(countCompletions(filter(), { ceBroker: true })).toBe(before - 2);
    const tx = await text(exportStream("cebroker-csv", filter({ state: "TX" }), { ceBroker: settings }));
    expect(tx).toContain(",LPC201,");
    const again = await text(exportStream("cebroker-csv", filter({ state: "CA" }), { ceBroker: settings }));
    expect(again.trim().split("\r\n")).toHaveLength(1);
    const included = await text(exportStream("cebroker-csv", filter({ state: "CA", includeReported: "1" }), { ceBroker: settings }));
    expect(included.trim().split("\r\n")).toHaveLength(3);
    const page = await listCompletions(filter({ q: "o'neil" }));
    expect(page.rows.map((r) => [r.licenseState, /^\d{4}-\d{2}-\d{2}$/.test(r.reportedToCeBroker)]).sort()).toEqual([["CA", true], ["TX", false]]);
    // Marking again marks nothing; the audit entry names each license.
    expect(await markReportedToCeBroker(admin.id, filter({ state: "CA" }))).toBe(0);
    const entry = getDb().$client.prepare("select after from audit_log where action = 'certificates.reported_to_ce_broker' order by id desc limit 1").get() as { after: string };
    expect(JSON.parse(entry.after).licenses.map((l: { number: string }) => l.number).sort()).toEqual(["LMFT200", "LMFT500"]);
  });

  test("dates are MM/DD/YYYY, zero-padded", () => {
    expect(usDate("2026-12-01")).toBe("12/01/2026");
    expect(usDate("2026-01-09")).toBe("01/09/2026");
  });

  test("CE Broker roster refused, naming the setting, while a tracking number is missing", async () => {
    expect(ceBrokerProblems({ providerNumber: "", courseNumbers: { "fixture-course": "20-1" } }, ["fixture-course"])).toEqual([
      "The provider tracking number is not set: set CE_BROKER_PROVIDER_NUMBER (digits, with or without the 50- prefix) in the server's environment and restart it.",
    ]);
    expect(ceBrokerProblems({ providerNumber: "12345", courseNumbers: {} }, ["fixture-course"])).toEqual([
      'Course "fixture-course" has no CE Broker course tracking number: set ceBroker.courseNumber (digits, with or without the 20- prefix) in its course.yaml.',
    ]);
    expect(() => exportStream("cebroker-csv", filter())).toThrow(CeBrokerNotConfigured);
    // A provider number alone: the roster stops at the first row of a course without its number, so no file is ever whole.
    await expect(text(exportStream("cebroker-csv", filter(), { ceBroker: { providerNumber: "12345", courseNumbers: {} } }))).rejects.toThrow(/ceBroker\.courseNumber/);

    // The export route answers 409 with the message, and audits nothing (the fixture course has no number, the test env no provider number).
    const { cookie } = await createSignedInUser({ role: "admin" });
    const audited = () => (getDb().$client.prepare("select count(*) as n from audit_log where action = 'completions.exported'").get() as { n: number }).n;
    const count = audited();
    const request = getRequest("/admin/completions/export?format=cebroker-xlsx&includeReported=1", cookie);
    const refused = await (exportLoader({ request, context: await signedInContext(request), params: {}, url: new URL(request.url), pattern: "" } as never) as Promise<Response>).catch((r: unknown) => r as Response);
    expect(refused.status).toBe(409);
    const message = await refused.text();
    expect(message).toMatch(/^The CE Broker roster cannot be produced\. The provider tracking number is not set: set CE_BROKER_PROVIDER_NUMBER/);
    expect(message).toContain('Course "fixture-course" has no CE Broker course tracking number: set ceBroker.courseNumber');
    expect(audited()).toBe(count);

    // The page says so where the roster is offered, with no link to it, and marking is refused too.
    const page = await run<{ ceBrokerProblems: string[] }>(completionsLoader, getRequest("/admin/completions", cookie));
    expect(page.data!.ceBrokerProblems).toHaveLength(2);
    const reported = (getDb().$client.prepare("select count(*) as n from ce_broker_reports").get() as { n: number }).n;
    const mark = await run<{ message: string }>(completionsAction, formRequest("/admin/completions", { intent: "mark-reported" }, { cookie }));
    expect(mark.status).toBe(409);
    expect(mark.data!.message).toMatch(/CE_BROKER_PROVIDER_NUMBER/);
    expect((getDb().$client.prepare("select count(*) as n from ce_broker_reports").get() as { n: number }).n).toBe(reported);
  });

  test("a per-certificate CE Broker mark becomes a mark on each license of that certificate (migration 0008)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-migrate-"));
    const migrations = path.join(dir, "drizzle");
    fs.mkdirSync(path.join(migrations, "meta"), { recursive: true });
    const journal = JSON.parse(fs.readFileSync("drizzle/meta/_journal.json", "utf8")) as { entries: Array<{ tag: string }> };
    const upTo = journal.entries.findIndex((e) => e.tag.startsWith("0008_"));
    for (const e of journal.entries.slice(0, upTo)) fs.copyFileSync(`drizzle/${e.tag}.sql`, path.join(migrations, `${e.tag}.sql`));
    fs.writeFileSync(path.join(migrations, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const file = path.join(dir, "old.db");
    const old = new Database(file);
    try {
      migrate(drizzle(old), { migrationsFolder: migrations });
      // The records as they were before 0008: Bea's certificate (two licenses) marked as reported.
      old.prepare("attach database ? as cur").run(process.env.DATABASE_PATH);
      old.exec("insert into users select * from cur.users; insert into completions select * from cur.completions;");
      const cols = (old.prepare("select name from pragma_table_info('certificates') where name != 'reported_to_ce_broker_at'").all() as Array<{ name: string }>).map((c) => c.name).join(", ");
      old.exec(`insert into certificates (${cols}) select ${cols} from cur.certificates`);
      const bea = seeded[1]!;
      old.prepare("update certificates set reported_to_ce_broker_at = ? where user_id = ?").run(Date.UTC(2026, 1, 2), bea.id);
      old.exec("detach database cur");
      migrate(drizzle(old), { migrationsFolder: "drizzle" });
      const rows = old.prepare("select license_type, license_number, license_state, reported_at from ce_broker_reports order by license_state").all();
      expect(rows).toEqual([
        { license_type: "LMFT", license_number: "LMFT200", license_state: "CA", reported_at: Date.UTC(2026, 1, 2) },
        { license_type: "LPC", license_number: "LPC201", license_state: "TX", reported_at: Date.UTC(2026, 1, 2) },
      ]);
      expect(old.prepare("select count(*) as n from pragma_table_info('certificates') where name = 'reported_to_ce_broker_at'").get()).toEqual({ n: 0 });
    } finally {
      old.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("revoked certificates keep their rows with their status", async () => {
    const admin = await createUser({ role: "admin" });
    const target = (await listCompletions(filter({ licenseType: "RN" }))).rows[0]!;
    await revokeCertificate(admin.id, target.internalId, { publicReason: "Issued in error in a test", internalNote: "test" });
    expect((await listCompletions(filter({ status: "revoked" }))).rows.map((r) => r.certificateId)).toEqual([target.certificateId]);
  });

  test("neutralise leaves ordinary text and numbers alone", () => {
    expect(neutralise("Ana")).toBe("Ana");
    expect(neutralise("\tTab")).toBe("'\tTab");
    expect(csvLine(["a,b", 'say "hi"', 3])).toBe('"a,b","say ""hi""",3\r\n');
  });
});

describe("command line", () => {
  const env = { ...process.env };
  test("npm run export writes the same rows to a file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-cli-"));
    const out = path.join(dir, "c.csv");
    const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/export.ts", "--format", "csv", "--from", "2026-01-01", "--to", "2026-12-31", "--course", "fixture-course", "--out", out], { env, encoding: "utf8" });
    expect(res.status).toBe(0);
    expect(fs.readFileSync(out, "utf8").trim().split("\r\n")).toHaveLength(7);
    const bad = spawnSync(process.execPath, ["--import", "tsx", "scripts/export.ts", "--format", "pdf"], { env, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of: csv, xlsx, jsonl, cebroker-csv, cebroker-xlsx/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("npm run export refuses a CE Broker roster while a tracking number is missing: exit 1, the message, no file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-cli-"));
    const out = path.join(dir, "roster.csv");
    const args = ["--import", "tsx", "scripts/export.ts", "--format", "cebroker-csv", "--include-reported", "--out", out];
    const none = spawnSync(process.execPath, args, { env, encoding: "utf8" });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/set CE_BROKER_PROVIDER_NUMBER/);
    expect(fs.existsSync(out)).toBe(false);
    const providerOnly = spawnSync(process.execPath, args, { env: { ...env, CE_BROKER_PROVIDER_NUMBER: "50-12345" }, encoding: "utf8" });
    expect(providerOnly.status).toBe(1);
    expect(providerOnly.stderr).not.toMatch(/CE_BROKER_PROVIDER_NUMBER/);
    expect(providerOnly.stderr).toMatch(/Course "fixture-course" has no CE Broker course tracking number: set ceBroker\.courseNumber/);
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("npm run audit:verify passes on an intact log and fails after a row is edited", () => {
    const ok = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit log OK: \d+ entries/);
    getDb().$client.exec("drop trigger audit_log_no_update");
    getDb().$client.prepare("update audit_log set after = '{\"tampered\":true}' where id = (select min(id) from audit_log)").run();
    const broken = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], { env, encoding: "utf8" });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/audit log FAILED verification/);
    expect(broken.stderr).toMatch(/the hash chain is broken at entry \d+: its contents were changed/);
    expect(broken.stderr).toMatch(/the append-only trigger audit_log_no_update is missing/);
  });
});

describe("users", () => {
  test("a deactivated user cannot sign in; records stay; the change is audited", async () => {
    const { user: admin, cookie } = await createSignedInUser({ role: "admin" });
    const learner = seeded[1]!;
    const res = await run<{ ok: boolean; message: string }>(usersAction, formRequest("/admin/users", { intent: "deactivate", userId: learner.id }, { cookie }));
    expect(res.data?.ok).toBe(true);
    const login = await logIn({ email: learner.email, password: learner.password, ip: "198.51.100.99" });
    expect(login).toMatchObject({ ok: false, status: 403 });
    expect((await listCompletions(filter({ q: learner.email }))).total).toBe(2);
    const entry = getDb().$client.prepare("select actor_id, action from audit_log where entity_id = ? order by id desc limit 1").get(learner.id);
    expect(entry).toEqual({ actor_id: admin.id, action: "user.deactivated" });
  });
});
