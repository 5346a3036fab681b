import { count, eq } from "drizzle-orm";
import { signUp } from "#app/auth/accounts.server.ts";
import type { LicenseInput } from "#app/auth/forms.ts";
import { getDb } from "./client.server.ts";
import { users, type Role } from "./schema.ts";

export type DemoAccount = { role: Role; name: string; email: string; password: string; licenses: LicenseInput[] };

/** Documented in README.md; for local use and demos only (SEED_DEMO=false turns them off). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: "admin", name: "Dana Whitfield", email: "admin@kap-academy.test", password: "Sunrise-Harbor-42", licenses: [{ type: "LCSW", number: "LCSW-20417", state: "NY" }] },
  { role: "author", name: "Maya Chen", email: "author@kap-academy.test", password: "Quiet-Meadow-17", licenses: [{ type: "Psychologist", number: "PSY31881", state: "CA" }] },
  { role: "learner", name: "Jordan Rivera", email: "learner@kap-academy.test", password: "Gentle-River-58", licenses: [{ type: "LMFT", number: "LMFT104552", state: "CA" }, { type: "LPC", number: "LPC80213", state: "TX" }] },
  { role: "mentor", name: "Priya Anand", email: "mentor@kap-academy.test", password: "Steady-Lantern-63", licenses: [{ type: "LPC", number: "LPC71940", state: "OR" }] },
];

/** Creates the demo accounts when the database has no users at all. */
export async function seedDemoData(): Promise<{ seeded: boolean }> {
  const db = getDb();
  const { n } = db.select({ n: count() }).from(users).get()!;
  if (n > 0) return { seeded: false };
  for (const account of DEMO_ACCOUNTS) {
    const result = await signUp(account);
    if (!result.ok) throw new Error(`Could not seed ${account.email}: ${JSON.stringify(result.fieldErrors)}`);
  }
  return { seeded: true };
}

/** The demo accounts that exist in this database (for the start-up banner). */
export function existingDemoAccounts(): DemoAccount[] {
  const db = getDb();
  return DEMO_ACCOUNTS.filter((a) => db.select({ id: users.id }).from(users).where(eq(users.email, a.email)).get());
}
