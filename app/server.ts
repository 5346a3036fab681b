/**
 * The server build's entry (vite.config.ts): React Router's build, and the
 * start-up work that belongs to the app. The production server (server/index.ts)
 * loads the app only through this module, so every module exists once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as build from "virtual:react-router/server-build";
import { RouterContextProvider } from "react-router";
import { deleteExpiredSessions } from "#app/auth/session.server.ts";
import { pruneLoginAttempts } from "#app/auth/throttle.server.ts";
import { getSigningKey } from "#app/certificates/credential.server.ts";
import { REQUEST_CHECKPOINT_PAGES, startCheckpointer } from "#app/db/checkpointer.server.ts";
import { getDb, migrateDatabase } from "#app/db/client.server.ts";
import { existingDemoAccounts, seedDemoData } from "#app/db/seed.server.ts";
import { flushCheckpoints } from "#app/audit/anchor.server.ts";
import { mailQueueSize, startMailQueue, stopMailQueue } from "#app/email/queue.server.ts";
import { getEnv } from "#app/env.server.ts";
import { requestObserver, type RequestRecord } from "#app/http/log.server.ts";
import { prepareWorkerMetrics, reportMailQueueSize } from "#app/http/metrics.server.ts";
import { clientIpContext, requestRecordContext } from "#app/middleware/context.ts";

export { build };
export { limitRequestBody } from "#app/middleware/body-limit.server.ts";
export { serveClusterMetrics } from "#app/http/metrics.server.ts";

/** What the HTTP server needs to know: validated once, with messages that name the variable. */
export function serverConfig() {
  const env = getEnv();
  return {
    port: env.PORT,
    mode: env.NODE_ENV,
    workers: env.NODE_ENV === "production" ? env.WEB_CONCURRENCY : 1,
    trustProxy: env.TRUST_PROXY,
    databasePath: env.DATABASE_PATH,
  };
}

/**
 * Once per database, before any request: migrations, demo accounts, pruning, the
 * signing key (so workers never race to create different keys) and the WAL
 * checkpointer (one per database, off the request path: decision 010).
 */
export async function prepareDatabase(): Promise<void> {
  const env = getEnv();
  migrateDatabase();
  if (env.SEED_DEMO) await seedDemoData();
  pruneLoginAttempts();
  await deleteExpiredSessions();
  await getSigningKey();
  startCheckpointer(env.DATABASE_PATH);
}

/**
 * In each serving process: the checkpointer keeps the WAL short, so this connection
 * checkpoints only as a backstop; the mail queue delivers what a previous run left
 * queued and retries failed sends.
 */
export function prepareWorker(): void {
  getDb().$client.pragma(`wal_autocheckpoint = ${REQUEST_CHECKPOINT_PAGES}`);
  prepareWorkerMetrics();
  reportMailQueueSize(mailQueueSize);
  startMailQueue();
}

/** On shutdown, after the last request: finish a send in progress and write the audit anchor's pending checkpoint. */
export async function finishWork(): Promise<void> {
  await Promise.all([stopMailQueue(), flushCheckpoints()]);
}

/** Called first for every request: its id, then the log line and duration metric once answered. */
export function requestLogger(): (req: IncomingMessage, res: ServerResponse, clientIp: string) => RequestRecord {
  return requestObserver();
}

/** The per-request context loaders and actions start from; middleware adds the session and nonce. */
export function createLoadContext(clientIp: string, record?: RequestRecord): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(clientIpContext, clientIp);
  if (record) context.set(requestRecordContext, record);
  return context;
}

/** For /healthz: the database answers. */
export function isHealthy(): boolean {
  try {
    getDb().$client.prepare("select 1").get();
    return true;
  } catch {
    return false;
  }
}

/** The demo accounts in this database, for the start-up banner. */
export function demoAccounts() {
  return getEnv().SEED_DEMO ? existingDemoAccounts() : [];
}
