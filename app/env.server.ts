import { z } from "zod";

/**
 * Configuration from the environment, validated once. A bad value stops the
 * process with a message that names the variable, instead of failing later.
 */
const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    error: 'must be one of "true" or "false"',
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * How many reverse proxies stand in front of the app. "true" would make Express
 * believe the leftmost X-Forwarded-For entry, which the client writes itself, so
 * only a count is accepted: the client is the address the last trusted proxy saw.
 */
const proxyHops = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (/^(true|false|yes|no|on|off)$/i.test(value)) {
      ctx.addIssue({ code: "custom", message: `use the number of reverse proxies in front of the app (e.g. 1), not ${value} (0 when clients connect directly)` });
      return z.NEVER;
    }
    if (!/^\d{1,2}$/.test(value) || Number(value) > 10) {
      ctx.addIssue({ code: "custom", message: "must be the number of reverse proxies in front of the app, from 0 to 10 (e.g. 1)" });
      return z.NEVER;
    }
    return Number(value);
  });

const EnvSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"], {
      error: 'must be "development", "production" or "test"',
    })
    .default("development"),
  PORT: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(3000),
  DATABASE_PATH: z.string().trim().min(1, "must not be empty").default("./data/kap-academy.db"),
  SEED_DEMO: booleanFlag.default(true),
  /** The folder holding courses/ (content/README.md). */
  CONTENT_DIR: z.string().trim().min(1, "must not be empty").default("./content"),
  /** smtp(s)://user:pass@host:port; when unset, mail goes to OUTBOX_DIR as .eml files. */
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/.+/, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default("KAP Academy <no-reply@kap-academy.test>"),
  OUTBOX_DIR: z.string().trim().min(1, "must not be empty").default("./data/outbox"),
  /** The public origin used in links inside emails, e.g. https://ce.example.org */
  PUBLIC_URL: z
    .url({ error: "must be an absolute URL such as https://ce.example.org" })
    .optional(),
  /** Ed25519 key that signs Open Badges credentials; generated on first use. Keep it out of git. */
  SIGNING_KEY_PATH: z.string().trim().min(1, "must not be empty").default("./data/signing-key.json"),
  /** CE Broker provider tracking number for roster uploads (digits; "50-" prefix optional). */
  CE_BROKER_PROVIDER_NUMBER: z.string().trim().regex(/^(50-)?\d+$/, "must be digits, optionally starting with 50-").optional(),
  /** Server processes sharing the port in production (one per CPU core is usual). */
  WEB_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 64")
    .max(64, "must be between 1 and 64")
    .default(1),
  /** Requests slower than this many milliseconds are logged (0 turns the log off). */
  SLOW_REQUEST_MS: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").default(1000),
  /**
   * Seconds between a lesson page's heartbeats. Each beat credits the time since the
   * learner's previous one, at most this plus a grace (half of it, at least 5 s), so a
   * shorter interval never earns more than the time that passed.
   */
  HEARTBEAT_SECONDS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 300")
    .max(300, "must be between 1 and 300")
    .default(30),
  /** Seconds between the mail queue's looks for retries that are due and expired leases. */
  MAIL_POLL_SECONDS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 600")
    .max(600, "must be between 1 and 600")
    .default(30),
  /** Reverse proxies in front of the app whose X-Forwarded-For / -Proto / -Host are believed (0: none). */
  TRUST_PROXY: proxyHops.default(0),
  /** Request log lines: one JSON object per line, or a short human-readable line. */
  LOG_FORMAT: z.enum(["json", "pretty"], { error: 'must be "json" or "pretty"' }).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files often produce them.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(cleaned[String(issue.path[0])])})`,
    );
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Reads process.env again on the next getEnv() (tests that start a service, e.g. a loopback SMTP server, after set-up). */
export function reloadEnv(): void {
  cached = undefined;
}

/** Origin used for absolute links (emails); falls back to the local server. */
export function publicOrigin(): string {
  const env = getEnv();
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
