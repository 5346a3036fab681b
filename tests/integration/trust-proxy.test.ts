import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, test } from "vitest";
import { parseEnv } from "#app/env.server.ts";
import { action as loginAction } from "#app/routes/login.tsx";
import { formRequest, run } from "#tests/route-utils.ts";

/** The client address Express reports for a request with these headers, with `trust proxy` set as server/index.ts sets it. */
async function clientIpBehind(trustProxy: string, forwardedFor: string | undefined): Promise<string> {
  const app = express();
  app.set("trust proxy", parseEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY);
  app.get("/", (req, res) => void res.send(req.ip));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {} });
    return await res.text();
  } finally {
    server.close();
  }
}

describe("TRUST_PROXY", () => {
  test("finding 3: TRUST_PROXY=true is refused with a message asking for the number of proxies", () => {
    expect(() => parseEnv({ TRUST_PROXY: "true" })).toThrow("TRUST_PROXY: use the number of reverse proxies in front of the app (e.g. 1), not true");
    expect(() => parseEnv({ TRUST_PROXY: "false" })).toThrow(/TRUST_PROXY: use the number of reverse proxies in front of the app \(e\.g\. 1\), not false \(0 when clients connect directly\)/);
    expect(() => parseEnv({ TRUST_PROXY: "-1" })).toThrow(/TRUST_PROXY: must be the number of reverse proxies in front of the app, from 0 to 10/);
    expect(() => parseEnv({ TRUST_PROXY: "1.5" })).toThrow(/TRUST_PROXY: must be the number/);
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
  });

  test("finding 3: with one trusted hop the client is the last X-Forwarded-For entry (what the proxy saw), not the first (what the client wrote)", async () => {
    expect(await clientIpBehind("1", "198.51.100.1, 127.0.0.1")).toBe("127.0.0.1");
    expect(await clientIpBehind("1", "203.0.113.9")).toBe("203.0.113.9");
    // Two proxies: the entry the first proxy appended (second from the right).
    expect(await clientIpBehind("2", "198.51.100.1, 203.0.113.9, 10.0.0.2")).toBe("203.0.113.9");
    // No proxy trusted: X-Forwarded-For is ignored, the socket's address counts.
    expect(await clientIpBehind("0", "198.51.100.1")).toMatch(/127\.0\.0\.1$/);
  });

  test("finding 3: 8 sign-in failures with a spoofed leftmost X-Forwarded-For entry are throttled", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const clientIp = await clientIpBehind("1", `198.51.100.${i}, 127.0.0.1`);
      // A different email each time, so only the address can throttle.
      const res = await run(loginAction, formRequest("/login", { email: `nobody${i}@example.org`, password: "wrong-password-1" }), { clientIp });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    // Five failures from 127.0.0.1 lock it (the fifth answer already says so).
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});
