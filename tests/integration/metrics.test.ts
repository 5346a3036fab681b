import { describe, expect, test } from "vitest";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { emails } from "#app/db/schema.ts";
import { mailQueueSize } from "#app/email/queue.server.ts";
import { countCertificateIssued, countHeartbeat, countQuizSubmission, isLoopback, metricsText, reportMailQueueSize } from "#app/http/metrics.server.ts";

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("metrics", () => {
  test("counters and the mail queue gauge read in Prometheus text format", async () => {
    reportMailQueueSize(mailQueueSize);
    const before = (await metricsText()).body;
    countHeartbeat(30);
    countHeartbeat(0);
    countQuizSubmission(true);
    countQuizSubmission(false);
    countCertificateIssued();
    // Two messages waiting in the shared queue (the emails table), one already sent.
    const now = new Date();
    for (const status of ["queued", "sending", "sent"] as const) {
      getDb().insert(emails).values({ id: createId(), to: "x@example.org", subject: "s", template: "test", status, body: "{}", nextAttemptAt: new Date(now.getTime() + 3_600_000), createdAt: now }).run();
    }
    const { body, contentType } = await metricsText();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, "kap_heartbeats_credited_total") - sample(before, "kap_heartbeats_credited_total")).toBe(2);
    expect(sample(body, "kap_active_seconds_credited_total") - sample(before, "kap_active_seconds_credited_total")).toBe(30);
    expect(sample(body, 'kap_quiz_submissions_total{result="passed"}') - sample(before, 'kap_quiz_submissions_total{result="passed"}')).toBe(1);
    expect(sample(body, 'kap_quiz_submissions_total{result="failed"}') - sample(before, 'kap_quiz_submissions_total{result="failed"}')).toBe(1);
    expect(sample(body, "kap_certificates_issued_total") - sample(before, "kap_certificates_issued_total")).toBe(1);
    expect(sample(body, "kap_mail_queue_size")).toBe(2);
    expect(body).toContain("nodejs_eventloop_lag_seconds");
  });

  test("loopback is 127.0.0.0/8 and ::1, also IPv4-mapped; nothing else", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(ip), ip).toBe(true);
    for (const ip of ["10.0.0.1", "192.168.1.1", "::ffff:10.0.0.1", "203.0.113.5", "unknown", "", "127.0.0.1.evil", "fe80::1"]) expect(isLoopback(ip), ip).toBe(false);
  });
});
