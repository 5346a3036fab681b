import { z } from "zod";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./limits.ts";

// A short list of passwords that meet the length rule but are guessed first.
const COMMON_PASSWORDS = new Set([
  "1234567890",
  "12345678910",
  "0123456789",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "qwertyuiop",
  "qwerty1234",
  "qwerty12345",
  "1q2w3e4r5t",
  "iloveyou12",
  "letmein123",
  "welcome123",
  "abcdefghij",
  "abc1234567",
  "therapist1",
  "ketamine123",
  "changeme123",
  "administrator",
]);

/** The password rules, each with its own message; shared by the forms and the server. */
export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(1, "Enter a password.")
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
  .refine((p) => !/^(.)\1*$/.test(p), "Use more than one repeated character.")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "This password is too common; choose another.");

/**
 * Shorter local parts ("c", "ana") turn up inside ordinary words and phrases by
 * chance, so refusing them would refuse good passwords.
 */
export const EMAIL_NAME_MIN_LENGTH = 4;

const alphanumeric = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * Whether the password contains the email address, or its name (the local part,
 * without a "+tag" and compared without dots, dashes or case) when that name is
 * long enough to mean something.
 */
export function containsEmailName(password: string, email: string): boolean {
  const lower = password.toLowerCase();
  const address = email.trim().toLowerCase();
  if (address && lower.includes(address)) return true;
  const local = alphanumeric(address.split("@")[0]!.split("+")[0]!);
  return local.length >= EMAIL_NAME_MIN_LENGTH && alphanumeric(password).includes(local);
}
