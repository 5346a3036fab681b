/** What the HTTP benchmarks share: prepared learners and a production server of their own. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** What Chrome sends, so pages come compressed as a browser gets them (br). BENCH_ACCEPT_ENCODING="" asks for none. */
export const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? "gzip, deflate, br, zstd";

/** The lesson the page benchmarks load (a long one, with references and the lesson's own script). */
export const DEMO_LESSON = "/courses/kap-foundations/pharmacology/routes-and-bioavailability";

/** Signs in as the demo learner (the server must run with SEED_DEMO=true); returns the `kap_session` cookie. */
export async function signInDemoLearner(base: string): Promise<string> {
  const login = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "learner@kap-academy.test", password: "Gentle-River-58" }),
    redirect: "manual",
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  if (login.status !== 302 || !cookie?.startsWith("kap_session=")) throw new Error(`Signing in as the demo learner answered ${login.status}, without a session cookie.`);
  return cookie;
}

export type BenchLearner = { userId: string; cookie: string; attemptId: string; answers: Record<string, string[]> };

/** Learners with sessions and open quiz attempts, in a new database file (see learners.ts). */
export function prepareLearners(databasePath: string, count: number): BenchLearner[] {
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/bench/learners.ts", databasePath, String(count)], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString("utf8")) as BenchLearner[];
}

/** The demo course as the cohort walks it: modules' lessons (slugs), quizzes and answer keys. */
export type CohortCourse = {
  id: string;
  passMark: number;
  modules: Array<{ slug: string; lessons: string[]; quiz: boolean; key: Record<string, string[]> }>;
};
/** `step` is the learner's place in the course: each module's lessons, then its quiz. */
export type CohortLearner = { userId: string; cookie: string; step: number };

/**
 * Learners number `first` to `first + count - 1` of a cohort on the demo course,
 * each at a random point of it (learners.ts), added to `databasePath`. Needs the
 * production build (the course comes from its catalog). A server may be running
 * on the file: these learners are new to it.
 */
export function prepareCohort(databasePath: string, first: number, count: number, seed = 1): { course: CohortCourse; learners: CohortLearner[] } {
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/bench/learners.ts", databasePath, String(count), "cohort", String(first), String(seed)], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString("utf8")) as { course: CohortCourse; learners: CohortLearner[] };
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
 * answers. `output` collects what it prints (slow requests' log lines, errors).
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
      // The server logs every request as a JSON line; keep only the slow ones and anything else it says.
      output.push(...lines.filter((line) => !line.startsWith("{") || line.includes('"slow":true')));
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
