/**
 * The HTTP server: Express in front of the Remix request handler.
 * It applies what must hold for every request before any route runs (cross-site
 * refusal, security headers, session resolution), migrates the database and
 * seeds the demo accounts at start-up.
 *
 *   npm start         build, then serve the production build
 *   npm run dev       Vite dev server with live reload
 *
 * With WEB_CONCURRENCY=N (production), a primary process prepares the database
 * and signing key once, then N workers share the port (node:cluster) and one
 * SQLite file in WAL mode; a worker that dies is replaced.
 */
import cluster from "node:cluster";
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { getEnv, type Env } from "#app/env.server.ts";

let env: Env;
try {
  env = getEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const production = env.NODE_ENV === "production";

const { getDb, migrateDatabase } = await import("#app/db/client.server.ts");
const { REQUEST_CHECKPOINT_PAGES, startCheckpointer } = await import("#app/db/checkpointer.server.ts");
const { seedDemoData, existingDemoAccounts } = await import("#app/db/seed.server.ts");
const { pruneLoginAttempts } = await import("#app/auth/throttle.server.ts");
const { deleteExpiredSessions, readSessionToken, sessionCookie, validateSessionToken } = await import("#app/auth/session.server.ts");
const { crossSiteRefusal } = await import("#app/http/csrf.server.ts");
const { securityHeaders } = await import("#app/http/headers.server.ts");
const { remixHandler } = await import("#app/http/express-adapter.server.ts");
const { slowRequestLog } = await import("#app/http/slow-requests.server.ts");
const { expressMessages } = await import("#app/http/express-messages.server.ts");

const workers = production ? env.WEB_CONCURRENCY : 1;
if (cluster.isPrimary) {
  migrateDatabase();
  if (env.SEED_DEMO) await seedDemoData();
  pruneLoginAttempts();
  await deleteExpiredSessions();
  // One per database, in the primary: requests no longer pay for checkpoints (decision 010).
  startCheckpointer(env.DATABASE_PATH);
}
if (cluster.isPrimary && workers > 1) {
  // Created here, once, so workers never race to generate different keys.
  await (await import("#app/certificates/credential.server.ts")).getSigningKey();
  runPrimary(workers);
} else {
  await serveHttp();
}

function printBanner() {
  const url = `http://localhost:${env.PORT}`;
  console.log(`\nKAP Academy is running at ${url} (${env.NODE_ENV}; database ${env.DATABASE_PATH}${workers > 1 ? `; ${workers} workers` : ""})`);
  const demo = env.SEED_DEMO ? existingDemoAccounts() : [];
  if (demo.length) {
    console.log("Demo accounts (turn off with SEED_DEMO=false):");
    for (const a of demo) console.log(`  ${a.role.padEnd(8)} ${a.email.padEnd(26)} password: ${a.password}`);
  }
}

function runPrimary(count: number) {
  let stopping = false;
  let exitCode = 0;
  const listened = new Set<number>();
  cluster.on("listening", (worker) => {
    listened.add(worker.id);
    if (listened.size === count) printBanner();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(exitCode), 4000).unref();
  };
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listened.has(worker.id)) {
      // It never served: restarting would fail the same way (port taken, broken build).
      console.error(`worker ${worker.process.pid} failed to start (${signal ?? code}); stopping`);
      exitCode = 1;
      stop();
      return;
    }
    console.error(`worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (let i = 0; i < count; i++) cluster.fork();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function serveHttp() {
  // The checkpointer thread keeps the WAL short; this connection checkpoints only as a backstop.
  getDb().$client.pragma(`wal_autocheckpoint = ${REQUEST_CHECKPOINT_PAGES}`);
  const viteDevServer = production
    ? undefined
    : await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }));

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  if (env.SLOW_REQUEST_MS > 0) app.use(slowRequestLog(env.SLOW_REQUEST_MS));

  // Security headers on every response, with a fresh CSP nonce per request.
  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders({ nonce, https: req.protocol === "https", dev: !production }))) {
      res.setHeader(name, value);
    }
    next();
  });

  app.get("/healthz", (_req, res) => {
    try {
      getDb().$client.prepare("select 1").get();
      res.status(200).type("text/plain").send("ok");
    } catch {
      res.status(503).type("text/plain").send("database unavailable");
    }
  });

  // No form here needs more than a few kilobytes: refuse large bodies before anything reads them.
  const MAX_BODY_BYTES = 1024 * 1024;
  app.use((req, res, next) => {
    const length = Number(req.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.status(413).type("text/plain").send("Request too large.");
      return;
    }
    next();
  });

  // Actions read forms only: any other body type is refused up front (415), not half-parsed.
  const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)(;|$)/i;
  app.use((req, res, next) => {
    const type = req.get("content-type");
    if (!["GET", "HEAD", "OPTIONS"].includes(req.method) && type && !FORM_TYPES.test(type)) {
      res.status(415).type("text/plain").send("Send forms as application/x-www-form-urlencoded or multipart/form-data.");
      return;
    }
    next();
  });

  // State-changing requests must come from this origin.
  app.use((req, res, next) => {
    const refusal = crossSiteRefusal({
      method: req.method,
      ownOrigin: `${req.protocol}://${req.get("host")}`,
      origin: req.get("origin"),
      secFetchSite: req.get("sec-fetch-site"),
    });
    if (refusal) {
      res.status(403).type("text/plain").send(refusal);
      return;
    }
    next();
  });

  // Static files all have an extension; pages never do, so they skip the file lookups.
  const fileLike = (serve: express.RequestHandler): express.RequestHandler => (req, res, next) =>
    /\.[a-z0-9]+$/i.test(req.path) ? serve(req, res, next) : next();
  if (viteDevServer) {
    app.use(viteDevServer.middlewares);
  } else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(fileLike(express.static("build/client", { maxAge: "1h" })));
  }
  app.use(fileLike(express.static("public", { maxAge: "1h" })));
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  const build = viteDevServer
    ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild);

  const handler = remixHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: async (req, res) => {
      // Resolve the session once; when it slid forward, send the new expiry.
      const token = readSessionToken(req.get("cookie"));
      const auth = token ? await validateSessionToken(token) : null;
      if (auth?.renewed && token) {
        const https = req.protocol === "https";
        res.append("Set-Cookie", sessionCookie(token, auth.session.expiresAt, https));
      }
      return { clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown", auth, cspNonce: res.locals.cspNonce as string };
    },
  });
  app.all("*", handler);

  // Not app.listen(): requests are created with Express's prototypes (decision 011).
  const server = http.createServer(expressMessages(app), app).listen(env.PORT, () => {
    if (cluster.isPrimary) printBanner();
  });
  // Idle connections stay open longer than browsers' heartbeats (30 s) and the usual
  // proxy idle timeout (60 s): with Node's 5 s default, a client or proxy reusing a
  // connection just as the server closes it sees a reset instead of an answer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(error.code === "EADDRINUSE" ? `Port ${env.PORT} is already in use: stop the other server or set PORT.` : error.message);
    process.exit(1);
  });

  function shutdown() {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // A worker does not outlive its primary, however the primary ended.
  if (cluster.isWorker) process.on("disconnect", () => process.exit(0));
}
