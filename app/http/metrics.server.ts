import cluster from "node:cluster";
import client from "prom-client";

/**
 * Prometheus metrics (prom-client), served at /metrics (app/routes/metrics.ts).
 * One registry per process, kept on globalThis so that a module reload in
 * development does not register every metric twice. With WEB_CONCURRENCY > 1
 * a worker asks the primary, which gathers every worker's registry
 * (prom-client's AggregatorRegistry), so one scrape covers all of them.
 */
function createMetrics() {
  const registry = new client.Registry();
  // Process and Node metrics: CPU, memory, handles, GC, and event-loop delay
  // (nodejs_eventloop_lag_seconds and its percentiles).
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let mailQueueSize: () => number = () => 0;
  let mailFailedCount: () => number = () => 0;
  return {
    registry,
    requestDuration: new client.Histogram({
      name: "kap_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by route pattern (\"other\": static files, /healthz and paths no route matches) and status class",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    heartbeats: new client.Counter({ name: "kap_heartbeats_credited_total", help: "Lesson heartbeats accepted (each credits the seconds since the learner's previous beat, possibly none)", registers }),
    secondsCredited: new client.Counter({ name: "kap_active_seconds_credited_total", help: "Seconds of time on task credited by heartbeats", registers }),
    quizSubmissions: new client.Counter({ name: "kap_quiz_submissions_total", help: "Graded quiz submissions recorded (a replayed submission is not counted again)", labelNames: ["result"] as const, registers }),
    certificatesIssued: new client.Counter({ name: "kap_certificates_issued_total", help: "Certificates issued on completion (reissues not included)", registers }),
    mailQueue: new client.Gauge({
      name: "kap_mail_queue_size",
      help: "Emails waiting to be sent",
      registers,
      // Read when scraped; the queue is shared (the database), so workers report the same number.
      aggregator: "max",
      collect() {
        this.set(mailQueueSize());
      },
    }),
    mailFailed: new client.Gauge({
      name: "kap_mail_failed",
      help: "Emails given up on after every attempt, until an administrator retries them (/admin/emails)",
      registers,
      aggregator: "max",
      collect() {
        this.set(mailFailedCount());
      },
    }),
    setMailQueueSize(read: () => number) {
      mailQueueSize = read;
    },
    setMailFailedCount(read: () => number) {
      mailFailedCount = read;
    },
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const store = globalThis as typeof globalThis & { __kapMetrics?: Metrics };
const metrics: Metrics = (store.__kapMetrics ??= createMetrics());

/** One request's duration, labelled by the route pattern React Router matched (low cardinality: never the path). */
export function observeRequestDuration(route: string, method: string, status: number, seconds: number): void {
  metrics.requestDuration.observe({ route, method, status: `${Math.floor(status / 100)}xx` }, seconds);
}

/** A heartbeat accepted, crediting `seconds` (0 when too soon after the previous one). */
export function countHeartbeat(seconds: number): void {
  metrics.heartbeats.inc();
  if (seconds > 0) metrics.secondsCredited.inc(seconds);
}

export function countQuizSubmission(passed: boolean): void {
  metrics.quizSubmissions.inc({ result: passed ? "passed" : "failed" });
}

export function countCertificateIssued(): void {
  metrics.certificatesIssued.inc();
}

/** For the mail queue: how to read its current length (read at each scrape). */
export function reportMailQueueSize(read: () => number): void {
  metrics.setMailQueueSize(read);
}

/** For the mail queue: how to read its count of failed messages (read at each scrape). */
export function reportMailFailedCount(read: () => number): void {
  metrics.setMailFailedCount(read);
}

const REQUEST = "kap:metrics-request";
const REPLY = "kap:metrics-reply";
type Reply = { type: typeof REPLY; id: number; text?: string; error?: string };

/** The Prometheus text for this process, or for every worker when this is one of several. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const contentType = metrics.registry.contentType;
  if (!cluster.isWorker || !process.send) return { contentType, body: await metrics.registry.metrics() };
  return { contentType, body: await askPrimary() };
}

let nextId = 0;
let workerReady = false;
const waiting = new Map<number, (reply: Reply) => void>();

/** In a worker: answer the primary's aggregator with this registry, and route its replies to waiting scrapes. */
function prepareWorker() {
  if (workerReady) return;
  workerReady = true;
  client.AggregatorRegistry.setRegistries([metrics.registry]);
  new client.AggregatorRegistry(); // adds prom-client's listener for the primary's requests
  process.on("message", (message: Reply) => {
    if (message?.type !== REPLY) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
}

function askPrimary(): Promise<string> {
  prepareWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error("The primary process did not gather the workers' metrics within 5 s."));
    }, 5000);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      if (reply.text !== undefined) resolve(reply.text);
      else reject(new Error(reply.error ?? "metrics unavailable"));
    });
    process.send!({ type: REQUEST, id });
  });
}

/** In a worker: be ready for the primary's requests from the start, so no worker is missing from a scrape. */
export function prepareWorkerMetrics(): void {
  if (cluster.isWorker) prepareWorker();
}

/** In the primary of several workers: gather every worker's metrics when one of them is scraped. */
export function serveClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  cluster.on("message", (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== REQUEST) return;
    const reply = (body: Omit<Reply, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: REPLY, id: message.id, ...body });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: Error) => reply({ error: error.message }),
    );
  });
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses (how Node reports IPv4 on a dual-stack socket). */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return ip === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
