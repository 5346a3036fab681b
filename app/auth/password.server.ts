import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1). Algorithm 2 = Argon2id.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing behind an object so tests can count how often the expensive
 * work runs (throttled sign-ins must cost no hashing).
 */
export const passwords = {
  async hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  },
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      // A malformed stored hash is a failed verification, never a crash.
      return false;
    }
  },
};

/**
 * A hash of a random password, verified against when the email is unknown so
 * that response time does not reveal which emails have accounts.
 */
let decoyHash: Promise<string> | undefined;
export function getDecoyHash(): Promise<string> {
  decoyHash ??= passwords.hash(crypto.randomUUID());
  return decoyHash;
}
