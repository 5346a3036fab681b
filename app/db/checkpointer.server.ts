import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints off the request path (decision 010).
 *
 * SQLite checkpoints on the connection whose commit takes the WAL past
 * `wal_autocheckpoint` pages (1,000 by default). That commit then copies pages
 * into the database file and waits for fsync. In a request, on the event loop,
 * this usually took about 5 ms, and on this shared storage now and then
 * 0.2-1.2 s, stalling every learner at once. So a worker thread with its own
 * connection checkpoints once a second instead (PASSIVE: it never waits for
 * readers or writers), and the server's connections raise their own threshold
 * to REQUEST_CHECKPOINT_PAGES, a backstop for when this thread is not running.
 */
export const REQUEST_CHECKPOINT_PAGES = 10_000;

const CHECKPOINTER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
}, workerData.everyMs);
`;

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(file: string, everyMs = 1_000): Checkpointer {
  // Resolved here: code run with `eval` resolves modules from the working directory.
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, everyMs, driver } });
  // The backstop threshold still bounds the WAL when checkpoints fail, so say so and go on.
  worker.on("message", (message: string) => console.error(`WAL checkpoint failed: ${message}`));
  worker.on("error", (error) => console.error(`The WAL checkpointer stopped: ${error.message}`));
  worker.unref();
  return {
    async stop() {
      await worker.terminate();
    },
  };
}
