import { describe, expect, test } from "vitest";
import { passwords } from "#app/auth/password.server.ts";

describe("argon2id password hashing", () => {
  test("hashes with argon2id and verifies only the right password", async () => {
    const hash = await passwords.hash("quiet harbor at dawn");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain("quiet harbor");
    expect(await passwords.verify(hash, "quiet harbor at dawn")).toBe(true);
    expect(await passwords.verify(hash, "quiet harbor at dusk")).toBe(false);
  });

  test("the same password hashes differently each time (salted)", async () => {
    const [a, b] = await Promise.all([passwords.hash("same password!"), passwords.hash("same password!")]);
    expect(a).not.toBe(b);
  });

  test("a malformed stored hash fails verification instead of throwing", async () => {
    expect(await passwords.verify("not-a-hash", "anything")).toBe(false);
  });
});
