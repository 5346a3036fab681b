/** What the HTTP benchmarks share: prepared learners and a production server of their own. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export type BenchLearner = { userId: string; cookie: string; attemptId: string; answers: Record<string, string[]> };

/** Learners with sessions and open quiz attempts, in a new database file (see learners.ts). */
export function prepareLearners(databasePath: string, count: number): BenchLearner[] {
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/bench/learners.ts", databasePath, String(count)], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString("utf8")) as BenchLearner[];
}

/** The quiz form a browser would post to submit `learner`'s attempt. */
export function submissionForm(learner: BenchLearner): string {
  const form = new URLSearchParams({ intent: "submit", attemptId: learner.attemptId });
  for (const [id, answer] of Object.entries(learner.answers)) for (const a of answer) form.append(`q-${id}`, a);
  return form.toString();
}

/** Stops a server and waits until it has exited (and its port is free). */
function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}

/**
 * Starts `npm run serve`'s server on the production build and waits until it
 * answers. `output` collects what it prints (the slow-request log, errors).
 */
export async function startServer(dir: string, port: number, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ stop(): Promise<void>; output: string[] }> {
  const server = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_PATH: path.join(dir, "db.sqlite"),
      OUTBOX_DIR: path.join(dir, "outbox"),
      SIGNING_KEY_PATH: path.join(dir, "key.json"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [server.stdout!, server.stderr!]) {
    let rest = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      output.push(...lines);
    });
  }
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) break;
    if (await fetch(`http://localhost:${port}/healthz`).then((r) => r.ok).catch(() => false)) return { stop: () => stop(server), output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop(server);
  throw new Error(`The benchmark server on port ${port} did not start. It printed:\n${output.slice(-20).join("\n")}`);
}
