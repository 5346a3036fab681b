import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { getAccount, logIn } from "#app/auth/accounts.server.ts";
import { signupSchema } from "#app/auth/forms.ts";
import { NAME_MAX_LENGTH, nameSchema } from "#app/auth/names.ts";
import { validateSessionToken } from "#app/auth/session.server.ts";
import { LOGIN_WINDOW_MS, recordLoginAttempt } from "#app/auth/throttle.server.ts";
import { listCertificates, verifyUrl } from "#app/certificates/certificates.server.ts";
import { layoutName, NAME_WIDTH, renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { formAnswer } from "#app/http/forms.server.ts";
import { headerValue, isSafeHeaderValue } from "#app/http/headers.ts";
import { safeRedirect } from "#app/http/redirect.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { action as profileAction } from "#app/routes/account._index.tsx";
import { action as loginAction, headers as loginHeaders } from "#app/routes/login.tsx";
import { action as signupAction } from "#app/routes/signup.tsx";
import { countRows, createSignedInUser, createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";
import { formRequest, run } from "#tests/route-utils.ts";

type Errors = { errors: Record<string, string[]> };
const ORIGIN = "http://localhost:3000";
let ipCounter = 0;
/** Each test signs in from its own address, so the IP throttle of one never touches another. */
const freshIp = () => `198.51.100.${++ipCounter}`;

async function signInWith(redirectTo: string) {
  const user = await createUser();
  const sessionsBefore = countRows("sessions");
  const res = await run(loginAction, formRequest("/login", { email: user.email, password: user.password, redirectTo }), { clientIp: freshIp() });
  return { user, res, sessionsBefore };
}

describe("finding 1: open redirect after sign-in", () => {
  // The probe's request: the browser decodes the query, so the form carries "/\t/evil.example".
  const probe = new URL(`${ORIGIN}/login?redirectTo=%2F%09%2Fevil.example`).searchParams.get("redirectTo")!;
  const smuggled = [probe, "//evil.example", "/\\evil.example", "\\\\evil.example", "/.//evil.example", "/a/..//evil.example", "https://evil.example/x", "javascript:alert(1)", "/\n/evil.example", " //evil.example", "http://localhost:3000@evil.example/"];

  test.each(smuggled)("finding 1: open redirect: %j after a correct password lands on this site", async (target) => {
    const { res } = await signInWith(target);
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toBe("/dashboard");
    expect(new URL(location, ORIGIN).origin).toBe(ORIGIN);
  });

  test("finding 1: open redirect: same-site targets are kept, rebuilt from the parsed URL", () => {
    expect(safeRedirect("/courses/kap?module=2#quiz", ORIGIN)).toBe("/courses/kap?module=2#quiz");
    expect(safeRedirect(`${ORIGIN}/certificates`, ORIGIN)).toBe("/certificates");
    expect(safeRedirect("/verify/ä", ORIGIN)).toBe("/verify/%C3%A4");
    // An encoded slash stays encoded: a path, never a host.
    expect(safeRedirect("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
    // Same scheme without slashes is a relative path, for browsers as for the parser.
    expect(safeRedirect("http:evil.example", ORIGIN)).toBe("/evil.example");
    for (const target of smuggled) expect(safeRedirect(target, ORIGIN)).toBe("/dashboard");
    expect(safeRedirect("/x".repeat(2000), ORIGIN)).toBe("/dashboard");
    expect(safeRedirect(undefined, ORIGIN, "/")).toBe("/");
  });

  test("finding 1: open redirect: a form's returnTo goes through the same sanitiser", () => {
    const navigate = new Request(`${ORIGIN}/progress`, { method: "POST", headers: { "Sec-Fetch-Mode": "navigate" } });
    expect(formAnswer(navigate, { ok: true }, { returnTo: "/courses/a/b/c#reflection-1" }).headers.get("Location")).toBe("/courses/a/b/c#reflection-1");
    expect(formAnswer(navigate, { ok: true }, { returnTo: "//evil.example/x" }).headers.get("Location")).toBe("/dashboard");
    expect(formAnswer(navigate, { ok: true }, { returnTo: "/courses/a\r\nX-Evil: 1" }).headers.get("Location")).toBe("/dashboard");
  });
});

describe("finding 5: CR/LF in redirectTo", () => {
  test.each(["/dashboard\r\nSet-Cookie: evil=1", "/courses\n", "/\r", "/ok%0d%0aX: y"])(
    "finding 5: CR/LF redirect: %j after a correct password answers a redirect with the session cookie, one session",
    async (target) => {
      const { user, res, sessionsBefore } = await signInWith(target);
      expect(res.status).toBe(302);
      const location = res.headers.get("Location")!;
      expect(isSafeHeaderValue(location)).toBe(true);
      expect(new URL(location, ORIGIN).origin).toBe(ORIGIN);
      const cookie = res.headers.get("Set-Cookie")!;
      expect(cookie).not.toMatch(/evil/);
      const token = cookie.split(";")[0]!.split("=")[1]!;
      expect((await validateSessionToken(token))?.user.id).toBe(user.id);
      expect(countRows("sessions")).toBe(sessionsBefore + 1);
    },
  );

  test("finding 5: CR/LF redirect: header values from input are checked before use", () => {
    expect(headerValue("Location", "/dashboard?x=1")).toBe("/dashboard?x=1");
    for (const bad of ["/a\r\nb", "/a\nb", "/a\u0000", "/\u00e9", "/a\u202e"]) {
      expect(isSafeHeaderValue(bad)).toBe(false);
      expect(() => headerValue("Location", bad)).toThrow(/Location header/);
    }
  });
});

describe("finding 7: names", () => {
  const refused: Array<[string, string, RegExp]> = [
    ["U+202E right-to-left override", "Ana \u202eziuR", /invisible text-direction character \(U\+202E RIGHT-TO-LEFT OVERRIDE\)/],
    ["U+200F right-to-left mark", "Ana\u200f Ruiz", /text-direction character \(U\+200F RIGHT-TO-LEFT MARK\)/],
    ["U+202A embedding", "\u202aAna Ruiz", /text-direction character \(U\+202A/],
    ["U+2066 isolate", "Ana \u2066Ruiz\u2069", /text-direction character \(U\+2066/],
    ["U+200B zero width space", "Ana\u200bRuiz", /invisible character \(U\+200B ZERO WIDTH SPACE\)/],
    ["U+200D joiner between Latin letters", "Ana\u200dRuiz", /invisible character \(U\+200D ZERO WIDTH JOINER\)/],
    ["U+2060 word joiner", "Ana\u2060 Ruiz", /invisible character \(U\+2060 WORD JOINER\)/],
    ["U+00AD soft hyphen", "Ana Ru\u00adiz", /invisible character \(U\+00AD SOFT HYPHEN\)/],
    ["tab", "Ana\tRuiz", /control character \(U\+0009/],
    ["line break", "Ana\nRuiz", /control character \(U\+000A/],
    ["NUL", "Ana\u0000Ruiz", /control character \(U\+0000/],
    ["line separator", "Ana\u2028Ruiz", /control character \(U\+2028/],
    ["private use", "Ana \ue000Ruiz", /not a letter of any script \(U\+E000\)/],
    ["no letters", "12 34", /Enter your name in letters/],
    ["markup", "<b>Ana</b>", /not allowed/],
    [`${NAME_MAX_LENGTH + 1} characters`, "A".repeat(NAME_MAX_LENGTH + 1), new RegExp(`at most ${NAME_MAX_LENGTH} characters`)],
  ];
  test.each(refused)("finding 7: names: %s is refused with a message naming it", (_label, name, message) => {
    const parsed = nameSchema.safeParse(name);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join(" ")).toMatch(message);
  });

  const accepted: Array<[string, string, string]> = [
    ["accents and apostrophe", "José Ñúñez-O'Brien", "José Ñúñez-O'Brien"],
    ["decomposed marks become composed", "Nguye\u0302\u0303n Thi\u0323 Minh", "Nguyễn Thị Minh"],
    ["CJK with an ideographic space", "山田\u3000太郎", "山田 太郎"],
    ["Persian with a zero-width non-joiner inside a word", "علی رضایی\u200cپور", "علی رضایی\u200cپور"],
    ["Devanagari with a zero-width joiner", "क्\u200dष मिश्रा", "क्\u200dष मिश्रा"],
    ["typographic apostrophe, dots, digits", "Dr. Sam O’Neil 3rd", "Dr. Sam O’Neil 3rd"],
    ["spaces collapsed", "  Ana   María\u00a0Ruiz ", "Ana María Ruiz"],
    [`exactly ${NAME_MAX_LENGTH} characters`, "Ä".repeat(NAME_MAX_LENGTH), "Ä".repeat(NAME_MAX_LENGTH)],
  ];
  test.each(accepted)("finding 7: names: %s is kept", (_label, name, stored) => {
    expect(nameSchema.parse(name)).toBe(stored);
  });

  test("finding 7: names: sign-up refuses a bidi control and writes nothing", async () => {
    const before = { users: countRows("users"), sessions: countRows("sessions") };
    const res = await run<Errors>(signupAction, formRequest("/signup", {
      name: "Ana \u202eziuR",
      email: "bidi@clinic.example",
      password: "quiet harbor at dawn",
      confirmPassword: "quiet harbor at dawn",
      licenseType: ["LPC"],
      licenseNumber: ["LPC 12345"],
      licenseState: ["TX"],
    }));
    expect(res.status).toBe(400);
    expect(res.data?.errors.name?.[0]).toMatch(/U\+202E RIGHT-TO-LEFT OVERRIDE/);
    expect({ users: countRows("users"), sessions: countRows("sessions") }).toEqual(before);
  });

  test("finding 7: names: the profile refuses a zero-width character and keeps the old name", async () => {
    const { user, cookie } = await createSignedInUser({ name: "Sam Okafor" });
    const res = await run<Errors>(profileAction, formRequest("/account", { name: "Sam\u200b Okafor", licenseType: ["LPC"], licenseNumber: ["LPC1"], licenseState: ["TX"] }, { cookie }));
    expect(res.status).toBe(400);
    expect(res.data?.errors.name?.[0]).toMatch(/U\+200B ZERO WIDTH SPACE/);
    expect((await getAccount(user.id))!.name).toBe("Sam Okafor");
    const saved = await run(profileAction, formRequest("/account", { name: "Sam  Okafor-Nwosu", licenseType: ["LPC"], licenseNumber: ["LPC1"], licenseState: ["TX"] }, { cookie }));
    expect(saved.status).toBe(302);
    expect((await getAccount(user.id))!.name).toBe("Sam Okafor-Nwosu");
  });

  // The longest names the rule accepts: a realistic one and one of the widest letters.
  const longest = [
    "Maria Guadalupe Wilhelmina Montgomery-Worthington MacWhirter de la Wolfe-Smith III",
    `${"WMWMWMWMW ".repeat(8).trim()}W`,
    "W".repeat(NAME_MAX_LENGTH),
  ].map((n) => n.slice(0, NAME_MAX_LENGTH));

  test("finding 7: names: the longest accepted names fit the certificate width (pdf-lib font metrics)", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRomanBold);
    for (const name of longest) {
      expect([...nameSchema.parse(name)]).toHaveLength(NAME_MAX_LENGTH);
      const { size, lines } = layoutName(name, font);
      expect(size).toBeGreaterThanOrEqual(10);
      expect(lines.length).toBeLessThanOrEqual(2);
      // Broken at a space, or between letters of a name without one.
      expect([lines.join(" "), lines.join("")]).toContain(name);
      for (const line of lines) expect(font.widthOfTextAtSize(line, size)).toBeLessThanOrEqual(NAME_WIDTH);
    }
  });

  test("finding 7: names: the PDF shows the whole longest name and draws nothing past the page (pdftotext)", async () => {
    const course = (await findCourse("fixture-course"))!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-name-"));
    for (const [i, name] of longest.slice(0, 2).entries()) {
      const user = await createUser({ name });
      await completeFixtureCourse(user.id, { attest: false });
      expect((await attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" })).ok).toBe(true);
      const cert = (await listCertificates(user.id))[0]!;
      const file = path.join(dir, `c${i}.pdf`);
      fs.writeFileSync(file, await renderCertificatePdf(cert.snapshot, { publicId: cert.publicId, verifyUrl: verifyUrl(cert.publicId), status: cert.status }));
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
      expect(text).toContain(name);
      // Every word's box, as poppler lays the page out, lies inside the inner frame (26 pt in).
      const bbox = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
      const page = /<page width="([\d.]+)"/.exec(bbox)!;
      const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)];
      expect(words.length).toBeGreaterThan(20);
      for (const [, xMin, xMax, word] of words) {
        expect(Number(xMin), word).toBeGreaterThanOrEqual(26);
        expect(Number(xMax), word).toBeLessThanOrEqual(Number(page[1]) - 26);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("finding 8: Retry-After on every 429", () => {
  test("finding 8: Retry-After: the failure that sets the lock says when it lifts, from the oldest counted failure", async () => {
    const user = await createUser();
    const ip = freshIp();
    const now = Date.now();
    // Four failures from this address ten minutes ago: the fifth locks it until they are 15 minutes old.
    for (let i = 0; i < 4; i++) recordLoginAttempt(`other${i}@clinic.example`, ip, false, now - 10 * 60_000 + i);
    const fifth = await logIn({ email: user.email, password: "wrong-password", ip, now });
    expect(fifth).toMatchObject({ ok: false, status: 429 });
    expect(!fifth.ok && fifth.retryAt?.getTime()).toBe(now - 10 * 60_000 + LOGIN_WINDOW_MS);
    expect(!fifth.ok && fifth.message).toMatch(/try again in 5 minutes/);
  });

  test("finding 8: Retry-After: the sign-in action sets it, in whole seconds, on the locking failure and on every locked attempt", async () => {
    const user = await createUser();
    const ctx = { clientIp: freshIp() };
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await run<Errors>(loginAction, formRequest("/login", { email: user.email, password: i === 6 ? user.password : "bad-password" }), ctx));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 429, 429, 429]);
    for (const a of answers.slice(4)) {
      const value = a.headers.get("Retry-After")!;
      expect(value).toMatch(/^\d+$/);
      expect(Number(value)).toBeGreaterThanOrEqual(LOGIN_WINDOW_MS / 1000 - 5);
      expect(Number(value)).toBeLessThanOrEqual(LOGIN_WINDOW_MS / 1000);
    }
    for (const a of answers.slice(0, 4)) expect(a.headers.get("Retry-After")).toBeNull();
  });

  test("finding 8: Retry-After: the route's headers pass it on to page and data responses", () => {
    const none = new Headers();
    const args = { loaderHeaders: none, parentHeaders: none, errorHeaders: undefined };
    expect(new Headers(loginHeaders({ ...args, actionHeaders: new Headers({ "Retry-After": "840" }) } as never)).get("Retry-After")).toBe("840");
    expect(new Headers(loginHeaders({ ...args, actionHeaders: none } as never)).get("Retry-After")).toBeNull();
  });
});

describe("finding 9: password rule and the email name", () => {
  const base = { name: "Cam Lee", password: "", confirmPassword: "", licenses: [{ type: "LPC", number: "1", state: "TX" }] };
  const messages = (email: string, password: string) =>
    signupSchema.safeParse({ ...base, email, password, confirmPassword: password }).error?.issues.map((i) => i.message) ?? [];
  const rule = "Do not use your email address in your password.";

  test("finding 9: password rule: a one-letter local part does not refuse passwords containing that letter", () => {
    expect(messages("c@clinic.example", "correct horse battery")).toEqual([]);
    expect(messages("ana@clinic.example", "banana bread at noon")).toEqual([]);
    expect(messages("c+ce@clinic.example", "concert cellos")).toEqual([]);
  });

  test("finding 9: password rule: a meaningful email name is still refused, however it is written", () => {
    expect(messages("cecilia.ward@clinic.example", "CeciliaWard-2024!")).toContain(rule);
    expect(messages("cecilia.ward@clinic.example", "my cecilia-ward pass")).toContain(rule);
    expect(messages("jordan+ce@clinic.example", "jordan rivers flow")).toContain(rule);
    expect(messages("c@clinic.example", "c@clinic.example-pass")).toContain(rule);
  });

  test("finding 9: password rule: sign-up with c@… and a password containing c is not refused", async () => {
    const email = `c@rule${Date.now()}.example`;
    const res = await run<Errors>(signupAction, formRequest("/signup", {
      name: "Cam Lee",
      email,
      password: "correct horse battery",
      confirmPassword: "correct horse battery",
      licenseType: ["LPC"],
      licenseNumber: ["LPC 4242"],
      licenseState: ["TX"],
    }));
    // Whatever sign-up answers next (an account, or a confirmation email), it is not a refusal.
    expect(res.status).toBeLessThan(400);
    expect(res.data?.errors ?? null).toBeNull();
  });
});
