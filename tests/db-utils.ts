import fs from "node:fs";
import path from "node:path";
import { signUp } from "#app/auth/accounts.server.ts";
import type { LicenseInput } from "#app/auth/forms.ts";
import type { Role } from "#app/auth/roles.ts";
import { createSession } from "#app/auth/session.server.ts";
import { getDb } from "#app/db/client.server.ts";

let counter = 0;

/** A real user row (argon2-hashed password) with one license. */
export async function createUser(overrides: { role?: Role; password?: string; email?: string; name?: string; licenses?: LicenseInput[] } = {}) {
  counter += 1;
  const email = overrides.email ?? `user${counter}-${Date.now()}@clinic.example`;
  const password = overrides.password ?? "correct-horse-battery";
  const result = await signUp({
    name: overrides.name ?? `Test Clinician ${counter}`,
    email,
    password,
    role: overrides.role ?? "learner",
    licenses: overrides.licenses ?? [{ type: "LMFT", number: `LMFT${1000 + counter}`, state: "CA" }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return { ...result.user, password };
}

/** A user with a session cookie, as a browser would hold it. */
export async function createSignedInUser(overrides: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(overrides);
  const { token } = await createSession(user.id);
  return { user, token, cookie: `kap_session=${token}` };
}

export function countRows(table: string): number {
  return (getDb().$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

export function outboxFiles(): string[] {
  const dir = process.env.OUTBOX_DIR!;
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).map((f) => path.join(dir, f)).sort();
}

/** Decodes a quoted-printable .eml body enough to read links from it. */
export function readEml(file: string): string {
  return fs
    .readFileSync(file, "utf8")
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
