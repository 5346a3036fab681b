/**
 * The HTTP server: Express with React Router's own adapter.
 *
 *   npm start      build, then serve the production build (NODE_ENV=production)
 *   npm run dev    Vite in middleware mode, with live reload
 *
 * It loads the app only through the server build's entry (app/server.ts): in
 * production build/server/index.js, in development the same module through Vite.
 * Everything a request needs beyond static files (sessions, cross-site refusal,
 * security headers, Server-Timing) is React Router middleware; the request log
 * and the streaming body limit sit here, in front of everything.
 *
 * With WEB_CONCURRENCY=N (production), a primary process prepares the database
 * once, then N workers share the port (node:cluster) and one SQLite file in WAL
 * mode; a worker that dies is replaced.
 */
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import type { RouterContextProvider, ServerBuild } from "react-router";

/** What app/server.ts exports (the server folder imports no app source, so it is spelled out here). */
type AppEntry = {
  build: ServerBuild;
  serverConfig(): { port: number; mode: string; workers: number; trustProxy: number; databasePath: string };
  prepareDatabase(): Promise<void>;
  prepareWorker(): void;
  finishWork(): Promise<void>;
  serveClusterMetrics(): void;
  limitRequestBody(req: http.IncomingMessage, res: http.ServerResponse): void;
  requestLogger(): (req: http.IncomingMessage, res: http.ServerResponse, clientIp: string) => { id: string };
  createLoadContext(clientIp: string, record?: { id: string }): RouterContextProvider;
  isHealthy(): boolean;
  demoAccounts(): Array<{ role: string; email: string; password: string }>;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const production = process.env.NODE_ENV === "production";

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
/** The app's entry: the built one, or (in development) Vite's current version of the source. */
const loadEntry = vite
  ? () => vite.ssrLoadModule("./app/server.ts") as Promise<AppEntry>
  : await import(pathToFileURL(path.join(root, "build/server/index.js")).href).then((entry: AppEntry) => () => Promise.resolve(entry));

let entry: AppEntry;
let config: ReturnType<AppEntry["serverConfig"]>;
try {
  entry = await loadEntry();
  config = entry.serverConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

if (cluster.isPrimary) await entry.prepareDatabase();
if (cluster.isPrimary && config.workers > 1) runPrimary(config.workers);
else serve();

function printBanner() {
  const url = `http://localhost:${config.port}`;
  console.log(`\nKAP Academy is running at ${url} (${config.mode}; database ${config.databasePath}${config.workers > 1 ? `; ${config.workers} workers` : ""})`);
  const demo = entry.demoAccounts();
  if (demo.length) {
    console.log("Demo accounts (turn off with SEED_DEMO=false):");
    for (const a of demo) console.log(`  ${a.role.padEnd(8)} ${a.email.padEnd(26)} password: ${a.password}`);
  }
}

function runPrimary(count: number) {
  // One scrape of /metrics (answered by any worker) gathers every worker's metrics here.
  entry.serveClusterMetrics();
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
    setTimeout(() => process.exit(exitCode), 10_000).unref();
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

function serve() {
  entry.prepareWorker();
  const app = express();
  app.disable("x-powered-by");
  // A hop count N: the client is the N-th X-Forwarded-For entry from the right, the
  // address the outermost trusted proxy saw; entries further left are the client's own words.
  app.set("trust proxy", config.trustProxy);

  // First for every request: its id (X-Request-Id), then one log line when answered.
  const observe = entry.requestLogger();
  // Its record rides on res.locals (Express's per-request store) to the app's load context.
  app.use((req, res, next) => {
    res.locals.requestRecord = observe(req, res, req.ip ?? req.socket.remoteAddress ?? "unknown");
    next();
  });

  app.get("/healthz", (_req, res) => {
    const ok = entry.isHealthy();
    res.status(ok ? 200 : 503).type("text/plain").set("Cache-Control", "no-store").send(ok ? "ok" : "database unavailable");
  });

  const noSniff = (res: http.ServerResponse) => res.setHeader("X-Content-Type-Options", "nosniff");
  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Text compresses to a fifth or less; a phone on a slow network feels it most.
    app.use(compression());
    // Hashed file names: a new build is a new URL, so these are cached for good.
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", setHeaders: noSniff }));
    app.use(express.static("build/client", { maxAge: "1h", setHeaders: noSniff }));
  }
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));

  const handleRequest = (current: AppEntry) =>
    createRequestHandler({
      build: current.build,
      mode: config.mode,
      getLoadContext: (req, res) => current.createLoadContext(req.ip ?? req.socket.remoteAddress ?? "unknown", res.locals.requestRecord),
    });
  if (vite) {
    app.all("*", (req, res, next) => void loadEntry().then((current) => handleRequest(current)(req, res, next), next));
  } else {
    app.all("*", handleRequest(entry));
  }

  // The body limit wraps the request before Express or React Router sees a byte of it.
  const server = http.createServer((req, res) => {
    entry.limitRequestBody(req, res);
    app(req, res);
  });
  server.listen(config.port, () => {
    if (cluster.isPrimary) printBanner();
  });
  // Idle connections stay open longer than browsers' heartbeats (30 s) and the usual
  // proxy idle timeout (60 s): with Node's 5 s default, a client or proxy reusing a
  // connection just as the server closes it sees a reset instead of an answer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(error.code === "EADDRINUSE" ? `Port ${config.port} is already in use: stop the other server or set PORT.` : error.message);
    process.exit(1);
  });

  // Graceful shutdown: stop accepting, let requests in flight finish, finish the app's
  // background work (a mail send, the audit anchor's checkpoint), then exit.
  function shutdown() {
    server.close(() => void entry.finishWork().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 8_000).unref();
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // A worker does not outlive its primary, however the primary ended.
  if (cluster.isWorker) process.on("disconnect", () => process.exit(0));
}
