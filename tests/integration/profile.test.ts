import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, test } from "vitest";
import { getAccount } from "#app/auth/accounts.server.ts";
import { validateSessionToken } from "#app/auth/session.server.ts";
import { action as passwordAction } from "#app/routes/account.password.tsx";
import { action as accountLayoutAction } from "#app/routes/account.tsx";
import { action as profileAction, loader as profileLoader } from "#app/routes/account._index.tsx";
import { drainMailQueue } from "#app/email/queue.server.ts";
import { countRows, createSignedInUser, outboxFiles } from "#tests/db-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

describe("profile", () => {
  test("name and licenses are edited; bad input changes nothing", async () => {
    const { user, cookie } = await createSignedInUser({ licenses: [{ type: "LPC", number: "LPC1", state: "TX" }] });
    const page = await run<{ account: { licenses: unknown[] } }>(profileLoader, getRequest("/account", cookie));
    expect(page.data?.account.licenses).toEqual([{ type: "LPC", number: "LPC1", state: "TX" }]);

    const saved = await run(profileAction, formRequest("/account", {
      name: "Dr. Sam Okafor",
      licenseType: ["LPC", "Psychologist", "Other"],
      licenseTypeOther: ["", "", " CADC-II "],
      licenseNumber: ["LPC1", "PSY 9921", "CADC 77"],
      licenseState: ["TX", "NY", "OR"],
    }, { cookie }));
    expect(saved.status).toBe(302);
    const account = (await getAccount(user.id))!;
    expect(account.name).toBe("Dr. Sam Okafor");
    // "Other" is stored as the designation written.
    expect(account.licenses.map((l) => `${l.type} ${l.number} ${l.state}`).sort()).toEqual(["CADC-II CADC77 OR", "LPC LPC1 TX", "Psychologist PSY9921 NY"]);

    // Degrees are not license types, whether chosen or typed as "Other"; an empty "Other" is refused; nothing changes.
    const before = countRows("licenses");
    const degree = await run<{ errors: Record<string, string[]> }>(profileAction, formRequest("/account", { name: "Dr. Sam Okafor", licenseType: ["PsyD"], licenseTypeOther: [""], licenseNumber: ["PSY1"], licenseState: ["NY"] }, { cookie }));
    expect(degree.status).toBe(400);
    expect(degree.data?.errors["licenses.0.type"]).toContain("Choose a license type.");
    const typed = await run<{ errors: Record<string, string[]> }>(profileAction, formRequest("/account", { name: "Dr. Sam Okafor", licenseType: ["Other", "Other"], licenseTypeOther: ["Ph.D.", ""], licenseNumber: ["PSY1", "X1"], licenseState: ["NY", "NY"] }, { cookie }));
    expect(typed.status).toBe(400);
    expect(typed.data?.errors["licenses.0.other"]).toEqual(['Ph.D. is a degree, not a license: choose the license it led to (a psychologist chooses "Licensed Psychologist").']);
    expect(typed.data?.errors["licenses.1.other"]).toEqual(["Enter the designation of your license, as your board writes it (e.g. CADC-II)."]);
    expect(countRows("licenses")).toBe(before);
    expect((await getAccount(user.id))!.licenses.map((l) => l.type).sort()).toEqual(["CADC-II", "LPC", "Psychologist"]);

    const licensesBefore = countRows("licenses");
    const bad = await run<{ errors: Record<string, string[]> }>(profileAction, formRequest("/account", { name: "", licenseType: [""], licenseNumber: [""], licenseState: [""] }, { cookie }));
    expect(bad.status).toBe(400);
    expect(bad.data?.errors.name).toContain("Enter your full legal name.");
    expect(bad.data?.errors.licenses).toContain("Add at least one license.");
    expect(countRows("licenses")).toBe(licensesBefore);
    expect((await getAccount(user.id))!.name).toBe("Dr. Sam Okafor");
  });

  test("changing the password ends every session and opens a fresh one", async () => {
    const { user, token, cookie } = await createSignedInUser();
    const other = await createSignedInUser({ email: "other-device@clinic.example" });
    const wrong = await run<{ errors: Record<string, string[]> }>(passwordAction, formRequest("/account/password", {
      currentPassword: "not my password", newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase",
    }, { cookie }));
    expect(wrong.data?.errors.currentPassword).toContain("Your current password is not correct.");
    expect(await validateSessionToken(token)).not.toBeNull();

    const mailsBefore = outboxFiles().length;
    const res = await run(passwordAction, formRequest("/account/password", {
      currentPassword: user.password, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase",
    }, { cookie }));
    expect(res.status).toBe(302);
    expect(await validateSessionToken(token)).toBeNull();
    const fresh = res.headers.get("Set-Cookie")!.split(";")[0]!.split("=")[1]!;
    expect((await validateSessionToken(fresh))?.user.id).toBe(user.id);
    // Another user's session is untouched.
    expect(await validateSessionToken(other.token)).not.toBeNull();
    await drainMailQueue(); // the notice is queued, then sent after the answer
    expect(outboxFiles().length).toBe(mailsBefore + 1);
  });
});

test("a POST to the account layout itself is a plain 405 and changes nothing", async () => {
  const { user, cookie } = await createSignedInUser({ name: "Stray Poster" });
  const res = await run<{ message: string }>(accountLayoutAction, formRequest("/account", { name: "Someone Else" }, { cookie }));
  expect(res.status).toBe(405);
  expect(res.headers.get("Allow")).toBe("GET");
  expect(res.data?.message).toMatch(/posts to \/account\?index/);
  expect((await getAccount(user.id))!.name).toBe("Stray Poster");
});

describe("license designations", () => {
  test("migration 0009 moves PsyD and PhD licenses (and pending sign-ups) to Psychologist, once per license", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-migrate-"));
    const migrations = path.join(dir, "drizzle");
    fs.mkdirSync(path.join(migrations, "meta"), { recursive: true });
    const journal = JSON.parse(fs.readFileSync("drizzle/meta/_journal.json", "utf8")) as { entries: Array<{ tag: string }> };
    const upTo = journal.entries.findIndex((e) => e.tag.startsWith("0009_"));
    for (const e of journal.entries.slice(0, upTo)) fs.copyFileSync(`drizzle/${e.tag}.sql`, path.join(migrations, `${e.tag}.sql`));
    fs.writeFileSync(path.join(migrations, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const db = new Database(path.join(dir, "old.db"));
    try {
      migrate(drizzle(db), { migrationsFolder: migrations });
      const user = db.prepare("insert into users (id, email, name, password_hash, role) values (?, ?, ?, ?, 'learner')");
      user.run("u1", "a@clinic.example", "A", "x");
      user.run("u2", "b@clinic.example", "B", "x");
      const license = db.prepare("insert into licenses (id, user_id, type, number, state) values (?, ?, ?, ?, ?)");
      license.run("l1", "u1", "PsyD", "PSY1", "CA");
      license.run("l2", "u1", "PhD", "PSY1", "CA"); // the same license listed twice
      license.run("l3", "u1", "LMFT", "M1", "CA");
      license.run("l4", "u2", "PhD", "PSY2", "NY");
      db.prepare("insert into pending_signups (id, email, token_hash, name, password_hash, licenses, expires_at) values ('p1', 'c@clinic.example', 'h', 'C', 'x', ?, 0)")
        .run(JSON.stringify([{ type: "PhD", number: "PSY3", state: "OR" }, { type: "LPC", number: "L3", state: "OR" }]));
      migrate(drizzle(db), { migrationsFolder: "drizzle" });
      expect(db.prepare("select user_id, type, number, state from licenses order by user_id, number").all()).toEqual([
        { user_id: "u1", type: "LMFT", number: "M1", state: "CA" },
        { user_id: "u1", type: "Psychologist", number: "PSY1", state: "CA" },
        { user_id: "u2", type: "Psychologist", number: "PSY2", state: "NY" },
      ]);
      expect(JSON.parse((db.prepare("select licenses from pending_signups").get() as { licenses: string }).licenses)).toEqual([
        { type: "Psychologist", number: "PSY3", state: "OR" },
        { type: "LPC", number: "L3", state: "OR" },
      ]);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
