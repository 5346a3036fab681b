/**
 * A mixed workload of active learners against the production server, on the
 * demo course (content/: 9 modules, 36 lessons, 9 quizzes). The learners are a
 * cohort spread over the course (learners.ts): each at a random lesson or quiz,
 * with what came before done. Each active learner, on average (open-loop
 * arrivals at these rates):
 * - every 30 s sends the lesson page's heartbeat (POST /progress, intent=heartbeat,
 *   multipart as the page's fetch sends it) for the lesson they are reading;
 * - every 3 minutes opens a page near their place: the current lesson again, the one
 *   before, or, having finished it (POST /progress intent=complete), the next
 *   lesson or the module's quiz page. A lesson opened is the document (GET) and
 *   the page's visit (POST /progress, intent=view);
 * - every 30 minutes takes the quiz they have reached, as a form posts it: the quiz
 *   page, "start" (a 302 back to it), the page with its questions, "submit" with
 *   answers mostly right (a 302 to the result) and the result. Passing moves them
 *   on to the next module; failing keeps them at the quiz for a retake.
 * Requests carry a browser's Accept-Encoding, so pages are compressed as for a
 * browser. Steps up the number of active learners and reports the largest served
 * with p99 under 100 ms and no errors. Every request must get the answer a working
 * site gives (the status, the redirect's target, the progress answer's `ok`).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { ACCEPT_ENCODING, prepareCohort, startServer, type CohortCourse, type CohortLearner } from "./server.ts";

const PORT = 3420;
const ORIGIN = `http://localhost:${PORT}`;
const P99_GOAL_MS = 100;

type Kind = "lesson page" | "view" | "heartbeat" | "complete" | "quiz page" | "quiz start" | "quiz submit" | "quiz result";
/** `failure` says what went wrong when not ok: an unexpected answer, or the socket error's code. */
type Sample = { kind: Kind; ms: number; ok: boolean; serverMs: number; failure?: string; detail?: string };
type Reply = { status: number; location: string | undefined; body: string };
type Body = { type: string; data: string };

/** A learner as the load generator sees them: where they are, and what they last read. */
type Learner = CohortLearner & { reading: string; busy: boolean; attempts: number; passed: number };

/** The course as a walk: each module's lessons, then its quiz. */
type Step = { module: number; lesson: number | null };

const random = Math.random;

class Cohort {
  readonly steps: Step[];
  readonly samples: Sample[] = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(readonly course: CohortCourse) {
    this.steps = course.modules.flatMap((m, i) => [...m.lessons.map((_, l): Step => ({ module: i, lesson: l })), ...(m.quiz ? [{ module: i, lesson: null }] : [])]);
  }

  close() {
    this.agent.destroy();
  }

  lessonUrl(module: number, lesson: number) {
    const m = this.course.modules[module]!;
    return `/courses/${this.course.id}/${m.slug}/${m.lessons[lesson]!}`;
  }

  quizUrl(module: number) {
    return `/courses/${this.course.id}/${this.course.modules[module]!.slug}/quiz`;
  }

  /** A prepared learner: reading their current lesson (at a quiz, the module's last), which they have opened. */
  join(l: CohortLearner): Learner {
    const s = this.steps[Math.min(l.step, this.steps.length - 1)]!;
    const reading = this.lessonUrl(s.module, s.lesson ?? this.course.modules[s.module]!.lessons.length - 1);
    return { ...l, reading, busy: false, attempts: 0, passed: 0 };
  }

  /** One request; resolves to its reply when the answer is what a working site gives, else null. */
  request(kind: Kind, method: "GET" | "POST", pathname: string, cookie: string, expected: (r: Reply) => boolean, options: { body?: Body; read?: boolean; navigate?: boolean; what?: string } = {}): Promise<Reply | null> {
    const { body, read = false, navigate = false, what } = options;
    const headers: http.OutgoingHttpHeaders = { cookie, host: `localhost:${PORT}`, "accept-encoding": ACCEPT_ENCODING };
    if (method === "POST") {
      // A form or fetch from our own page: what the server's cross-site check wants to see.
      Object.assign(headers, { origin: ORIGIN, "sec-fetch-site": "same-origin", "sec-fetch-mode": navigate ? "navigate" : "cors" });
    }
    if (body) Object.assign(headers, { "content-type": body.type, "content-length": Buffer.byteLength(body.data) });
    const started = performance.now();
    return new Promise((resolve) => {
      const done = (sample: Omit<Sample, "kind" | "ms">, reply: Reply | null) => {
        this.samples.push({ kind, ms: performance.now() - started, ...sample });
        resolve(reply);
      };
      const req = http.request({ host: "127.0.0.1", port: PORT, method, path: pathname, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        if (read) res.on("data", (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on("end", () => {
          let text = "";
          if (read) {
            const raw = Buffer.concat(chunks);
            const encoding = res.headers["content-encoding"];
            text = (encoding === "br" ? zlib.brotliDecompressSync(raw) : encoding === "gzip" ? zlib.gunzipSync(raw) : encoding === "deflate" ? zlib.inflateSync(raw) : raw).toString("utf8");
          }
          const reply: Reply = { status: res.statusCode ?? 0, location: res.headers.location, body: text };
          const ok = expected(reply);
          // The server's own time (Server-Timing), to tell its delays from queueing and the client's.
          const serverMs = Number(/dur=([\d.]+)/.exec(String(res.headers["server-timing"] ?? ""))?.[1] ?? NaN);
          const failure = ok ? undefined : `${kind}: ${reply.status}${read && reply.status === 200 && text.length < 300 ? ` ${text}` : ""}`;
          done({ ok, serverMs, failure, detail: ok ? undefined : `${method} ${pathname}${reply.location ? ` -> ${reply.location}` : ""}${what ? ` (${what})` : ""}` }, ok ? reply : null);
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => done({ ok: false, serverMs: NaN, failure: `${kind}: ${error.code ?? error.message}`, detail: `${method} ${pathname}` }, null));
      req.end(body?.data);
    });
  }

  /** The lesson tracker's POST (fetch with a FormData body: multipart). */
  progress(l: Learner, intent: "view" | "heartbeat" | "complete", lessonUrl: string) {
    const [, , courseId, moduleSlug, lessonSlug] = lessonUrl.split("/") as [string, string, string, string, string];
    const fields = { intent, courseId, moduleSlug, lessonSlug };
    // "Mark complete" is a fetcher form: urlencoded.
    const body = intent === "complete" ? { type: "application/x-www-form-urlencoded", data: new URLSearchParams(fields).toString() } : multipart(fields);
    // "Complete" before the lesson's minimum reading time is refused (409) by design: not an error.
    const expected = (r: Reply) => (r.status === 200 && jsonOk(r.body)) || (intent === "complete" && r.status === 409 && r.body.includes("reading time"));
    return this.request(intent, "POST", "/progress", l.cookie, expected, { body, read: true, what: `${l.userId} ${lessonUrl} step ${l.step}` });
  }

  /** A lesson opened: the document, then the page's visit. */
  async openLesson(l: Learner, lessonUrl: string) {
    if (!(await this.request("lesson page", "GET", lessonUrl, l.cookie, (r) => r.status === 200))) return;
    if (await this.progress(l, "view", lessonUrl)) l.reading = lessonUrl;
  }

  heartbeat(l: Learner) {
    return this.progress(l, "heartbeat", l.reading);
  }

  /** A page near the learner's place in the course. */
  async pageView(l: Learner) {
    const s = this.steps[l.step];
    if (!s) {
      // Done with the course: looking back at any lesson.
      const m = Math.floor(random() * this.course.modules.length);
      return this.openLesson(l, this.lessonUrl(m, Math.floor(random() * this.course.modules[m]!.lessons.length)));
    }
    const r = random();
    if (s.lesson === null) {
      // At the quiz: its page, or a look back at one of the module's lessons.
      if (r < 0.5) return void (await this.request("quiz page", "GET", this.quizUrl(s.module), l.cookie, (x) => x.status === 200));
      return this.openLesson(l, this.lessonUrl(s.module, Math.floor(random() * this.course.modules[s.module]!.lessons.length)));
    }
    const here = this.lessonUrl(s.module, s.lesson);
    if (r < 0.55) return this.openLesson(l, here);
    if (r < 0.7) {
      const before = this.steps[l.step - 1];
      if (before?.lesson != null) return this.openLesson(l, this.lessonUrl(before.module, before.lesson));
      return this.openLesson(l, here);
    }
    // Finished this lesson: marked complete (once its time is credited), then on to what comes next.
    const marked = await this.progress(l, "complete", here);
    if (marked?.status !== 200) return;
    l.step++;
    const next = this.steps[l.step];
    if (!next) return;
    if (next.lesson === null) return void (await this.request("quiz page", "GET", this.quizUrl(next.module), l.cookie, (x) => x.status === 200));
    return this.openLesson(l, this.lessonUrl(next.module, next.lesson));
  }

  /** Takes the quiz the learner has reached, as its forms post it (no JavaScript needed). */
  async takeQuiz(l: Learner) {
    const s = this.steps[l.step]!;
    const url = this.quizUrl(s.module);
    let page = await this.request("quiz page", "GET", url, l.cookie, (r) => r.status === 200, { read: true });
    if (!page) return;
    let form = quizForm(page.body);
    if (!form) {
      const start = forms(page.body).find((f) => f.inner.includes('name="intent" value="start"'));
      // Waiting out a retake's cool-down or the daily cap: the page says when; nothing to post.
      if (!start) return;
      const body = { type: "application/x-www-form-urlencoded", data: "intent=start" };
      if (!(await this.request("quiz start", "POST", start.action, l.cookie, (r) => r.status === 302 && r.location === url, { body, navigate: true }))) return;
      page = await this.request("quiz page", "GET", url, l.cookie, (r) => r.status === 200 && quizForm(r.body) !== null, { read: true });
      if (!page) return;
      form = quizForm(page.body)!;
    }
    const key = this.course.modules[s.module]!.key;
    const answers = new URLSearchParams({ intent: "submit", attemptId: form.attemptId });
    for (const [question, options] of form.questions) {
      // A learner who studied: nine answers in ten right.
      const right = key[question] ?? [];
      const chosen = random() < 0.9 ? right : [options.find((o) => !right.includes(o)) ?? options[0]!];
      for (const c of chosen) answers.append(`q-${question}`, c);
    }
    const result = `${url}/${form.attemptId}`;
    const body = { type: "application/x-www-form-urlencoded", data: answers.toString() };
    if (!(await this.request("quiz submit", "POST", form.action, l.cookie, (r) => r.status === 302 && r.location === result, { body, navigate: true }))) return;
    const shown = await this.request("quiz result", "GET", result, l.cookie, (r) => r.status === 200, { read: true });
    l.attempts++;
    if (shown && /Passed \(pass mark/.test(shown.body)) {
      l.passed++;
      l.step++;
    }
  }
}

/** The page's forms: where each posts (attributes as the HTML has them), and what is inside. */
function forms(html: string) {
  return [...html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, inner]) => {
    const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attributes!)?.[1]?.replaceAll("&amp;", "&");
    return { action: attribute("action") ?? "", className: attribute("class") ?? "", inner: inner! };
  });
}

/** The open attempt's form on a quiz page: where it posts, the attempt, each question's options. */
function quizForm(html: string): { action: string; attemptId: string; questions: Map<string, string[]> } | null {
  const form = forms(html).find((f) => f.className.split(" ").includes("quiz-form"));
  const attemptId = form && /name="attemptId" value="([^"]+)"/.exec(form.inner)?.[1];
  if (!form || !attemptId) return null;
  const questions = new Map<string, string[]>();
  for (const [, id, option] of form.inner.matchAll(/name="q-([^"]+)" value="([^"]+)"/g)) {
    if (!questions.has(id!)) questions.set(id!, []);
    questions.get(id!)!.push(option!);
  }
  return { action: form.action, attemptId, questions };
}

function multipart(fields: Record<string, string>): Body {
  const boundary = `----WebKitFormBoundary${Math.random().toString(36).slice(2, 10)}${Math.random().toString(36).slice(2, 10)}`;
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, data: `${parts.join("")}--${boundary}--\r\n` };
}

function jsonOk(body: string): boolean {
  try {
    return (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
};

/** Runs `learners` active learners for `seconds`, and reports what the requests saw. */
async function runLevel(cohort: Cohort, learners: Learner[], seconds: number, serverOutput: string[]) {
  const outputFrom = serverOutput.length;
  const samplesFrom = cohort.samples.length;
  const n = learners.length;
  const rates = { heartbeat: n / 30, page: n / 180, quiz: n / 1800 };
  const perSecond = rates.heartbeat + rates.page + rates.quiz;
  const interval = 1000 / perSecond;
  const pending: Array<Promise<unknown>> = [];
  /** A learner not in the middle of something else (a page or a quiz), near index `i`, that `fits`. */
  const find = (fits: (l: Learner) => boolean) => {
    const from = Math.floor(random() * n);
    for (let k = 0; k < Math.min(n, 200); k++) {
      const l = learners[(from + k) % n]!;
      if (!l.busy && fits(l)) return l;
    }
    return null;
  };
  const run = (l: Learner, work: Promise<unknown>) => {
    l.busy = true;
    pending.push(work.finally(() => (l.busy = false)));
  };
  const events = { heartbeat: 0, page: 0, quiz: 0, skipped: 0 };
  const start = performance.now();
  let count = 0;
  // How far the load generator itself fell behind its schedule: when this client and
  // the server stall together, the machine paused, not the server.
  let lag = 0;
  while (performance.now() - start < seconds * 1000) {
    const due = start + count * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    lag = Math.max(lag, performance.now() - due);
    count++;
    const pick = random() * perSecond;
    if (pick < rates.heartbeat) {
      // Heartbeats come from an open lesson whatever else the learner does.
      events.heartbeat++;
      pending.push(cohort.heartbeat(learners[Math.floor(random() * n)]!));
    } else if (pick < rates.heartbeat + rates.page) {
      const l = find(() => true);
      if (!l) events.skipped++;
      else {
        events.page++;
        run(l, cohort.pageView(l));
      }
    } else {
      // Quizzes are taken by learners who have reached one.
      const l = find((x) => cohort.steps[x.step]?.lesson === null);
      if (!l) events.skipped++;
      else {
        events.quiz++;
        run(l, cohort.takeQuiz(l));
      }
    }
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const samples = cohort.samples.slice(samplesFrom);
  const failures: Record<string, number> = {};
  for (const { failure } of samples) if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
  // The server marks requests over SLOW_REQUEST_MS (set below) "slow" in their JSON log line, with its event-loop delay.
  const slowLog = serverOutput.slice(outputFrom).filter((line) => line.startsWith("{") && line.includes('"slow":true'));
  const kinds = [...new Set(samples.map((s) => s.kind))];
  return {
    learners: n,
    "requests/s": Math.round(samples.length / elapsed),
    requests: samples.length,
    errors: samples.filter((x) => !x.ok).length,
    p50Ms: quantile(samples.map((x) => x.ms), 0.5),
    p99Ms: quantile(samples.map((x) => x.ms), 0.99),
    "server p99 ms": quantile(samples.map((x) => x.serverMs), 0.99),
    "server max ms": quantile(samples.map((x) => x.serverMs), 1),
    "client max lag ms": Math.round(lag),
    "slow requests logged": slowLog.length,
    events,
    byKind: Object.fromEntries(kinds.map((k) => {
      const of = samples.filter((s) => s.kind === k);
      return [k, { requests: of.length, p50Ms: quantile(of.map((s) => s.ms), 0.5), p99Ms: quantile(of.map((s) => s.ms), 0.99), errors: of.filter((s) => !s.ok).length }];
    })),
    failures,
    failureExamples: samples.filter((x) => !x.ok).slice(0, 5).map((x) => `${x.failure}: ${x.detail}`),
    slowLog: slowLog.slice(0, 20),
  };
}

/** Where the active learners are in the course: how many at each module, and at a quiz. */
function spread(cohort: Cohort, learners: Learner[]) {
  const atModule = cohort.course.modules.map(() => 0);
  let atQuiz = 0;
  let done = 0;
  for (const l of learners) {
    const s = cohort.steps[l.step];
    if (!s) done++;
    else {
      atModule[s.module]!++;
      if (s.lesson === null) atQuiz++;
    }
  }
  return { byModule: atModule.join("/"), atQuiz, finished: done };
}

/** `workers` is WEB_CONCURRENCY: 1 is what `npm start` runs; 2 is one per core of this machine. */
export async function benchMixed(
  workers = 1,
  levels = (process.env.BENCH_MIXED_LEVELS ?? "2000,5000,10000,15000,20000,25000,30000,40000").split(",").map(Number),
  seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 10),
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-bench-mixed-"));
  const file = path.join(dir, "db.sqlite");
  const WARM_UP = Math.min(2000, levels[0] ?? 2000);
  let cohort: Cohort | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    // The cohort grows as the levels need more learners (prepared between steps, never during one).
    const first = prepareCohort(file, 0, Math.max(WARM_UP, levels[0] ?? 0));
    const c = (cohort = new Cohort(first.course));
    const learners: Learner[] = first.learners.map((l) => c.join(l));
    const grow = (to: number) => {
      if (learners.length >= to) return;
      const more = prepareCohort(file, learners.length, to - learners.length).learners;
      learners.push(...more.map((l) => c.join(l)));
    };
    server = await startServer(dir, PORT, { CONTENT_DIR: "content", SEED_DEMO: "false", WEB_CONCURRENCY: String(workers), SLOW_REQUEST_MS: String(P99_GOAL_MS) });
    // Warm up (JIT, caches, first renders of every page) before measuring: each lesson and
    // quiz page a few times (with two workers, each serves some), then a short load.
    const pages = [...c.steps.filter((s) => s.lesson !== null).map((s) => c.lessonUrl(s.module, s.lesson!)), ...c.course.modules.map((_, i) => c.quizUrl(i))];
    for (let round = 0; round < 2 * workers; round++) {
      await Promise.all(pages.map((url, i) => c.request(url.endsWith("/quiz") ? "quiz page" : "lesson page", "GET", url, learners[(i + round) % learners.length]!.cookie, () => true)));
    }
    await runLevel(c, learners.slice(0, WARM_UP), 5, server.output);
    const results = [];
    for (const level of levels) {
      grow(level);
      const active = learners.slice(0, level);
      const where = spread(c, active);
      const r = await runLevel(c, active, seconds, server.output);
      results.push({ ...r, cohort: where });
      if (r.errors || r.p99Ms >= P99_GOAL_MS) break;
    }
    const passing = results.filter((r) => !r.errors && r.p99Ms < P99_GOAL_MS);
    const quizzes = learners.reduce((a, l) => a + l.attempts, 0);
    return {
      workers,
      seconds,
      acceptEncoding: ACCEPT_ENCODING,
      results,
      largestServed: passing.at(-1)?.learners ?? 0,
      quizAttempts: quizzes,
      quizPassRate: quizzes ? Math.round((learners.reduce((a, l) => a + l.passed, 0) / quizzes) * 100) / 100 : null,
    };
  } finally {
    cohort?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
