import { describe, expect, test } from "vitest";
import { licenseSchema, licensesFromForm, signupSchema } from "#app/auth/forms.ts";
import { LICENSE_TYPE_CODES } from "#app/auth/licenses.ts";
import { ceBrokerProfession } from "#app/admin/ce-broker.ts";
import { safeRedirect } from "#app/http/redirect.ts";
import { passwordSchema } from "#app/auth/password-rules.ts";

function passwordMessages(p: string): string[] {
  const r = passwordSchema.safeParse(p);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("password rules", () => {
  test("each rule has its own message", () => {
    expect(passwordMessages("")).toContain("Enter a password.");
    expect(passwordMessages("short")).toContain("Use at least 10 characters.");
    expect(passwordMessages("x".repeat(129))).toContain("Use at most 128 characters.");
    expect(passwordMessages("aaaaaaaaaaaa")).toContain("Use more than one repeated character.");
    expect(passwordMessages("Password123")).toContain("This password is too common; choose another.");
  });

  test("a long passphrase is accepted", () => {
    expect(passwordMessages("quiet harbor at dawn")).toEqual([]);
  });
});

describe("licenses", () => {
  test("numbers are stored without spaces, upper-cased", () => {
    expect(licenseSchema.parse({ type: "LPC", number: " lpc 12 345 ", state: "TX" }).number).toBe("LPC12345");
  });

  test("designations, not degrees: PsyD and PhD are no longer offered; Other takes free text, stored as written or as the listed type it names", () => {
    expect(LICENSE_TYPE_CODES).not.toContain("PsyD");
    expect(LICENSE_TYPE_CODES).not.toContain("PhD");
    for (const code of ["LPC", "LPCC", "LMHC", "LCPC", "LMFT", "LCSW", "LICSW", "Psychologist", "MD", "DO", "NP", "APRN", "PA", "RN", "PharmD", "Other"]) expect(LICENSE_TYPE_CODES).toContain(code);
    expect(licenseSchema.safeParse({ type: "PsyD", number: "PSY1", state: "CA" }).error!.issues[0]!.message).toBe("Choose a license type.");
    expect(licenseSchema.parse({ type: "Other", other: " CADC-II ", number: "C1", state: "OR" })).toEqual({ type: "CADC-II", number: "C1", state: "OR" });
    expect(licenseSchema.parse({ type: "Other", other: "licensed psychologist", number: "P1", state: "OR" }).type).toBe("Psychologist");
    expect(licenseSchema.parse({ type: "Other", other: "lmft", number: "M1", state: "OR" }).type).toBe("LMFT");
    // A listed type ignores a stray designation.
    expect(licenseSchema.parse({ type: "RN", other: "whatever", number: "R1", state: "OR" })).toEqual({ type: "RN", number: "R1", state: "OR" });
    const degree = licenseSchema.safeParse({ type: "Other", other: "PsyD", number: "P1", state: "OR" });
    expect(degree.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["other", 'PsyD is a degree, not a license: choose the license it led to (a psychologist chooses "Licensed Psychologist").']]);
    expect(licenseSchema.safeParse({ type: "Other", other: "=cmd()", number: "P1", state: "OR" }).error!.issues[0]!.message).toMatch(/^Write the designation with letters/);
    expect(ceBrokerProfession("Psychologist")).toBe(ceBrokerProfession("PsyD"));
    expect(ceBrokerProfession("NP")).toBe("APRN");
  });

  test("unknown type, state or malformed number are refused with clear messages", () => {
    const r = licenseSchema.safeParse({ type: "Wizard", number: "12#4", state: "ZZ" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain("Choose a license type.");
    expect(messages).toContain("Choose the state that issued the license.");
    expect(messages).toContain("Use only letters, digits, dots, dashes or slashes in the license number.");
  });

  test("rows are read in order and blank rows are skipped", () => {
    const form = new FormData();
    for (const [t, o, n, s] of [["LPC", "", "1", "TX"], ["", "", "", ""], ["Other", "CADC", "2", "CA"]]) {
      form.append("licenseType", t!);
      form.append("licenseTypeOther", o!);
      form.append("licenseNumber", n!);
      form.append("licenseState", s!);
    }
    expect(licensesFromForm(form)).toEqual([
      { type: "LPC", other: "", number: "1", state: "TX" },
      { type: "Other", other: "CADC", number: "2", state: "CA" },
    ]);
  });

  test("sign-up needs at least one license, and no duplicates", () => {
    const base = { name: "Ana Ruiz", email: "ana@example.org", password: "quiet harbor at dawn", confirmPassword: "quiet harbor at dawn" };
    const none = signupSchema.safeParse({ ...base, licenses: [] });
    expect(none.error?.issues.map((i) => i.message)).toContain("Add at least one license.");
    const l = { type: "LPC", number: "1", state: "TX" };
    const twice = signupSchema.safeParse({ ...base, licenses: [l, l] });
    expect(twice.error?.issues.map((i) => i.message)).toContain("The same license is listed twice.");
  });
});

describe("redirects after sign-in", () => {
  const origin = "http://localhost:3000";
  test("only same-site paths are followed", () => {
    expect(safeRedirect("/admin/users?page=2", origin)).toBe("/admin/users?page=2");
    expect(safeRedirect("https://evil.example", origin)).toBe("/dashboard");
    expect(safeRedirect("//evil.example", origin)).toBe("/dashboard");
    expect(safeRedirect("/\\evil.example", origin)).toBe("/dashboard");
    expect(safeRedirect(undefined, origin)).toBe("/dashboard");
  });
});
