import { z } from "zod";
import { DEGREES, JURISDICTION_CODES, LICENSE_TYPE_CODES, listedLicenseType, MAX_LICENSES, OTHER_LICENSE_TYPE } from "./licenses.ts";
import { nameSchema } from "./names.ts";
import { containsEmailName, passwordSchema } from "./password-rules.ts";

export { nameSchema };

/**
 * Form schemas for the account pages. They hold no server code, so the same
 * rules and messages can be shown to the user and enforced by the actions.
 */

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const licenseSchema = z.object({
  type: z.enum(LICENSE_TYPE_CODES, { error: "Choose a license type." }),
  /** The designation, when the type is "Other" (stored as the type). */
  other: z
    .string()
    .trim()
    .max(30, "A license designation has at most 30 characters.")
    .regex(/^([A-Za-z][A-Za-z0-9 .\-/()]*)?$/, "Write the designation with letters, digits, spaces, dots, dashes or slashes, starting with a letter, e.g. CADC-II.")
    .optional(),
  number: z
    .string({ error: "Enter the license number." })
    // CE Broker matches numbers as the state database shows them, without spaces.
    .transform((n) => n.replace(/\s+/g, "").toUpperCase())
    .pipe(
      z
        .string()
        .min(1, "Enter the license number.")
        .max(30, "A license number has at most 30 characters.")
        .regex(/^[A-Z0-9][A-Z0-9.\-/]*$/, "Use only letters, digits, dots, dashes or slashes in the license number."),
    ),
  state: z.enum(JURISDICTION_CODES, { error: "Choose the state that issued the license." }),
})
  .superRefine((l, ctx) => {
    if (l.type !== OTHER_LICENSE_TYPE) return;
    const other = l.other ?? "";
    if (!other) ctx.addIssue({ code: "custom", path: ["other"], message: "Enter the designation of your license, as your board writes it (e.g. CADC-II)." });
    else if (DEGREES.some((d) => d.toLowerCase() === other.replace(/\./g, "").toLowerCase())) {
      ctx.addIssue({ code: "custom", path: ["other"], message: `${other} is a degree, not a license: choose the license it led to (a psychologist chooses "Licensed Psychologist").` });
    }
  })
  // "Other" is stored as the designation written, or as the listed type it names.
  .transform(({ other, ...l }) => (l.type === OTHER_LICENSE_TYPE ? { ...l, type: listedLicenseType(other!) ?? other! } : l));

export type LicenseInput = z.infer<typeof licenseSchema>;

export const licensesSchema = z
  .array(licenseSchema)
  .min(1, "Add at least one license.")
  .max(MAX_LICENSES, `Add at most ${MAX_LICENSES} licenses.`)
  .refine(
    (list) => new Set(list.map((l) => `${l.type}|${l.number}|${l.state}`)).size === list.length,
    "The same license is listed twice.",
  );

export const signupSchema = z
  .object({
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the password." }),
    licenses: licensesSchema,
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  })
  .refine((v) => !containsEmailName(v.password, v.email), {
    path: ["password"],
    message: "Do not use your email address in your password.",
  });

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024, "That password is too long."),
  redirectTo: z.string().optional(),
});

export const profileSchema = z.object({
  name: nameSchema,
  licenses: licensesSchema,
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(1024),
    newPassword: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one.",
  });

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z
  .object({
    token: z.string({ error: "This reset link is incomplete." }).min(1, "This reset link is incomplete.").max(200),
    password: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  });

/** Field name -> messages, as the forms show them. */
export type FieldErrors = Record<string, string[]>;

/** An error about the whole form rather than one field. */
export function formError(message: string): FieldErrors {
  return { form: [message] };
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Reads license rows from a form: parallel fields `licenseType`, `licenseTypeOther`
 * (the designation, for "Other"), `licenseNumber`, `licenseState`, one value per row. Entirely blank rows are ignored.
 */
export function licensesFromForm(form: FormData): Array<Record<string, string>> {
  const types = form.getAll("licenseType").map(String);
  const others = form.getAll("licenseTypeOther").map(String);
  const numbers = form.getAll("licenseNumber").map(String);
  const states = form.getAll("licenseState").map(String);
  const rows = Math.min(Math.max(types.length, numbers.length, states.length), 50);
  const out: Array<Record<string, string>> = [];
  for (let i = 0; i < rows; i++) {
    const row = { type: types[i] ?? "", other: others[i] ?? "", number: numbers[i] ?? "", state: states[i] ?? "" };
    if (!row.type && !row.other.trim() && !row.number.trim() && !row.state) continue;
    out.push(row);
  }
  return out;
}
