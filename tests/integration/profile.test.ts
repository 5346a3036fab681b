import { describe, expect, test } from "vitest";
import { getAccount } from "#app/auth/accounts.server.ts";
import { validateSessionToken } from "#app/auth/session.server.ts";
import { action as passwordAction } from "#app/routes/account.password.tsx";
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
      licenseType: ["LPC", "PsyD"],
      licenseNumber: ["LPC1", "PSY 9921"],
      licenseState: ["TX", "NY"],
    }, { cookie }));
    expect(saved.status).toBe(302);
    const account = (await getAccount(user.id))!;
    expect(account.name).toBe("Dr. Sam Okafor");
    expect(account.licenses.map((l) => `${l.type} ${l.number} ${l.state}`).sort()).toEqual(["LPC LPC1 TX", "PsyD PSY9921 NY"]);

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
