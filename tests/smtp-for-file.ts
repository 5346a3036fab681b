/**
 * The loopback SMTP server (tests/smtp.ts) wired into a vitest file. Kept apart
 * from tests/smtp.ts because Playwright files import that one, and vitest cannot
 * be imported outside its own runner.
 */
import { afterAll, beforeAll } from "vitest";
import { reloadEnv } from "#app/env.server.ts";
import { startLoopbackSmtp, type LoopbackSmtp } from "./smtp.ts";

/**
 * For a test file: a loopback server that the mailer's SMTP_URL points at from
 * beforeAll to afterAll. The handle can be used at the top level of the file;
 * `beforeClose` runs first at the end (e.g. to let the queue finish sending).
 */
export function loopbackSmtpForFile(options: { beforeClose?: () => Promise<void> } = {}): Omit<LoopbackSmtp, "close"> {
  let server: LoopbackSmtp | undefined;
  const running = () => {
    if (!server) throw new Error("The loopback SMTP server starts in beforeAll; use it inside a test.");
    return server;
  };
  beforeAll(async () => {
    server = await startLoopbackSmtp();
    process.env.SMTP_URL = server.url;
    reloadEnv();
  });
  afterAll(async () => {
    await options.beforeClose?.();
    delete process.env.SMTP_URL;
    reloadEnv();
    await server?.close();
  });
  return {
    get url() {
      return running().url;
    },
    get received() {
      return running().received;
    },
    get refuse() {
      return running().refuse;
    },
    set refuse(value: boolean) {
      running().refuse = value;
    },
    waitFor: (match, timeoutMs) => running().waitFor(match, timeoutMs),
  };
}
