import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { validateSessionToken } from "#app/auth/session.server.ts";
import { getDb } from "#app/db/client.server.ts";
import { licenses, users } from "#app/db/schema.ts";
import { drainMailQueue } from "#app/email/queue.server.ts";
import { action as signupAction, loader as signupLoader } from "#app/routes/signup.tsx";
import { countRows, createSignedInUser, outboxFiles, readEml } from "#tests/db-utils.ts";
import { formRequest, getRequest, run } from "#tests/route-utils.ts";

type Errors = { errors: Record<string, string[]> };

let n = 0;
function validFields(): Record<string, string | string[]> {
  n += 1;
  return {
    name: "Ana María Ruiz",
    email: `ana${n}@clinic.example`,
    password: "quiet harbor at dawn",
    confirmPassword: "quiet harbor at dawn",
    licenseType: ["LPC"],
    licenseNumber: ["LPC 12345"],
    licenseState: ["TX"],
  };
}

/** The confirmation link emailed to `to`, once the queue has sent it. */
async function confirmationLink(to: string): Promise<URL> {
  await drainMailQueue();
  const body = outboxFiles().map(readEml).filter((b) => b.includes(`To: ${to}`)).at(-1);
  const match = body?.match(/http:\/\/localhost:3000\/signup\?token=[a-z0-9]+/);
  if (!match) throw new Error(`no sign-up link emailed to ${to}`);
  return new URL(match[0]);
}

async function signup(fields: Record<string, string | string[]>) {
  return run<Errors>(signupAction, formRequest("/signup", fields));
}

describe("sign-up", () => {
  test("a valid sign-up emails a link; following it creates the user with licenses and signs them in", async () => {
    const fields: Record<string, string | string[]> = { ...validFields(), licenseType: ["LPC", "LMFT"], licenseNumber: ["LPC 12345", "lmft-778"], licenseState: ["TX", "CA"] };
    const res = await run<{ sentTo: string }>(signupAction, formRequest("/signup", fields));
    expect(res.status).toBe(200);
    expect(res.data?.sentTo).toBe(fields.email);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(getDb().select().from(users).where(eq(users.email, fields.email as string)).get()).toBeUndefined();

    const link = await confirmationLink(fields.email as string);
    const page = await run<{ confirm: { name: string; email: string; problem: null } }>(signupLoader, getRequest(`${link.pathname}${link.search}`));
    expect(page.data?.confirm).toMatchObject({ name: "Ana María Ruiz", email: fields.email, problem: null });
    const confirmed = await run(signupAction, formRequest("/signup", { intent: "confirm", token: link.searchParams.get("token")! }));
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/dashboard?notice=welcome");
    const cookie = confirmed.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^kap_session=[a-z0-9]+\.[a-z0-9]+; Path=\/; HttpOnly; SameSite=Lax/);
    const user = getDb().select().from(users).where(eq(users.email, fields.email as string)).get()!;
    expect(user).toMatchObject({ name: "Ana María Ruiz", role: "learner" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const rows = getDb().select().from(licenses).where(eq(licenses.userId, user.id)).all();
    expect(rows.map((l) => [l.type, l.number, l.state]).sort()).toEqual([["LMFT", "LMFT-778", "CA"], ["LPC", "LPC12345", "TX"]]);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    expect((await validateSessionToken(token))?.user.id).toBe(user.id);

    // The link works once.
    const again = await run<{ errors: Record<string, string[]> }>(signupAction, formRequest("/signup", { intent: "confirm", token: link.searchParams.get("token")! }));
    expect(again.status).toBe(400);
    expect(again.data?.errors.form?.[0]).toMatch(/already been used/);
    expect(countRows("users")).toBe(1);
  });

  const badInputs: Array<[string, (f: Record<string, string | string[]>) => void, string, string]> = [
    ["missing name", (f) => (f.name = ""), "name", "Enter your full legal name."],
    ["one-letter name", (f) => (f.name = "A"), "name", "Enter your full legal name as it appears on your license."],
    ["markup in name", (f) => (f.name = "<script>"), "name", "Your name contains characters that are not allowed."],
    ["missing email", (f) => (f.email = ""), "email", "Enter your email address."],
    ["malformed email", (f) => (f.email = "ana@"), "email", "Enter a valid email address, like name@example.com."],
    ["short password", (f) => { f.password = "short"; f.confirmPassword = "short"; }, "password", "Use at least 10 characters."],
    ["common password", (f) => { f.password = "password123"; f.confirmPassword = "password123"; }, "password", "This password is too common; choose another."],
    ["mismatched confirmation", (f) => (f.confirmPassword = "something else entirely"), "confirmPassword", "The two passwords do not match."],
    ["no license", (f) => { f.licenseType = [""]; f.licenseNumber = [""]; f.licenseState = [""]; }, "licenses", "Add at least one license."],
    ["unknown license type", (f) => (f.licenseType = ["Shaman"]), "licenses.0.type", "Choose a license type."],
    ["license without number", (f) => (f.licenseNumber = [""]), "licenses.0.number", "Enter the license number."],
    ["license number with symbols", (f) => (f.licenseNumber = ["12$45"]), "licenses.0.number", "Use only letters, digits, dots, dashes or slashes in the license number."],
    ["unknown state", (f) => (f.licenseState = ["XX"]), "licenses.0.state", "Choose the state that issued the license."],
    ["same license twice", (f) => { f.licenseType = ["LPC", "LPC"]; f.licenseNumber = ["1", "1"]; f.licenseState = ["TX", "TX"]; }, "licenses", "The same license is listed twice."],
  ];

  test.each(badInputs)("%s: a clear message and no row written", async (_label, mutate, field, message) => {
    const fields = validFields();
    mutate(fields);
    const before = { users: countRows("users"), licenses: countRows("licenses"), sessions: countRows("sessions") };
    const res = await signup(fields);
    expect(res.status).toBe(400);
    expect(res.data?.errors[field]).toContain(message);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect({ users: countRows("users"), licenses: countRows("licenses"), sessions: countRows("sessions") }).toEqual(before);
  });

  test("a password containing the email name is refused", async () => {
    const fields = { ...validFields(), email: "marguerite@clinic.example", password: "marguerite-2026!", confirmPassword: "marguerite-2026!" };
    const res = await signup(fields);
    expect(res.data?.errors.password).toContain("Do not use your email address in your password.");
  });

  test("a signed-in user is sent to the dashboard instead", async () => {
    const { cookie } = await createSignedInUser();
    const before = countRows("users");
    const res = await run(signupAction, formRequest("/signup", validFields(), { cookie }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/dashboard");
    expect(countRows("users")).toBe(before);
  });
});
