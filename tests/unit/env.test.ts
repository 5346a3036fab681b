import { describe, expect, test } from "vitest";
import { parseEnv } from "#app/env.server.ts";

describe("environment", () => {
  test("defaults give a working embedded setup", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_PATH).toBe("./data/kap-academy.db");
    expect(env.SEED_DEMO).toBe(true);
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.OUTBOX_DIR).toBe("./data/outbox");
  });

  test("values are read and converted", () => {
    const env = parseEnv({ PORT: "8080", SEED_DEMO: "false", DATABASE_PATH: "/srv/kap.db", SMTP_URL: "smtp://u:p@mail:587" });
    expect(env).toMatchObject({ PORT: 8080, SEED_DEMO: false, DATABASE_PATH: "/srv/kap.db", SMTP_URL: "smtp://u:p@mail:587" });
  });

  test("a bad value is named in the error", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT: must be a whole number/);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT: must be between 1 and 65535/);
    expect(() => parseEnv({ SEED_DEMO: "maybe" })).toThrow(/SEED_DEMO/);
    expect(() => parseEnv({ SMTP_URL: "mail.example.org" })).toThrow(/SMTP_URL: must be an smtp:\/\//);
    expect(() => parseEnv({ PUBLIC_URL: "not a url" })).toThrow(/PUBLIC_URL/);
  });

  test("several bad values are all reported", () => {
    try {
      parseEnv({ PORT: "x", NODE_ENV: "staging" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/NODE_ENV/);
    }
  });
});
