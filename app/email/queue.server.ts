import { and, count, eq, gt, inArray } from "drizzle-orm";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { emails } from "#app/db/schema.ts";
import { deliverEmail, type OutgoingEmail } from "./mailer.server.ts";

/**
 * The mail queue. A request only inserts a `queued` row (in its own
 * transaction when it has one, so the message exists exactly when the change it
 * announces does) and answers; the sender in the same process delivers it after
 * the response. The queue lives in the `emails` table, so a crash or restart
 * loses nothing: a claimed message carries a lease, and an expired lease makes it
 * claimable again (delivery is at least once). Several worker processes drain
 * the one table; a claim is a single conditional UPDATE, so each message goes to
 * one sender at a time.
 */

const LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 30_000;
const POLL_MS = 30_000;

type Tx = Pick<DB, "insert">;

/** Queues one message; returns its id. Never waits for the mail server. */
export function enqueueEmail(message: OutgoingEmail, tx: Tx = getDb(), now: Date = new Date()): string {
  const id = createId();
  tx.insert(emails)
    .values({ id, to: message.to, subject: message.subject, template: message.template, status: "queued", body: JSON.stringify({ text: message.text, html: message.html }), nextAttemptAt: now, createdAt: now })
    .run();
  scheduleDrain();
  return id;
}

/** Messages to `to` (any state) since `since`: a per-address limit that costs the same whether or not an account exists. */
export function emailsSentTo(to: string, templates: string[], since: Date, tx: Pick<DB, "select"> = getDb()): number {
  return tx.select({ n: count() }).from(emails).where(and(eq(emails.to, to), inArray(emails.template, templates), gt(emails.createdAt, since))).get()!.n;
}

/** Messages waiting or being sent, for the metrics. */
export function mailQueueSize(): number {
  return getDb().select({ n: count() }).from(emails).where(inArray(emails.status, ["queued", "sending"])).get()!.n;
}

let draining: Promise<void> | undefined;
let again = false;
let scheduled = false;

function scheduleDrain(): void {
  if (scheduled) return;
  scheduled = true;
  // After the current synchronous work: the caller's transaction commits and the request answers first.
  setImmediate(() => {
    scheduled = false;
    void drainMailQueue();
  });
}

/** Delivers every message that is due; resolves when none is left (one drain per process at a time). */
export function drainMailQueue(): Promise<void> {
  if (draining) {
    again = true;
    return draining;
  }
  draining = (async () => {
    do {
      again = false;
      while (await deliverNext());
    } while (again);
  })()
    .catch((error: unknown) => console.error("[mail] the mail queue stopped:", error))
    .finally(() => (draining = undefined));
  return draining;
}

/** Claims the oldest due message (or one whose sender's lease ran out) and delivers it. */
async function deliverNext(now: number = Date.now()): Promise<boolean> {
  const row = getDb().$client
    .prepare(
      `update emails set status = 'sending', attempts = attempts + 1, next_attempt_at = @lease
       where id = (select id from emails where status in ('queued', 'sending') and next_attempt_at <= @now order by next_attempt_at, created_at limit 1)
       returning id, "to", subject, template, body, attempts`,
    )
    .get({ now, lease: now + LEASE_MS }) as { id: string; to: string; subject: string; template: string; body: string | null; attempts: number } | undefined;
  if (!row) return false;
  const db = getDb();
  try {
    const body = JSON.parse(row.body ?? "{}") as { text: string; html: string };
    const done = await deliverEmail(row.id, { to: row.to, subject: row.subject, template: row.template, ...body });
    db.update(emails).set({ status: "sent", body: null, transport: done.transport, location: done.location, sentAt: new Date(), lastError: null, nextAttemptAt: null }).where(eq(emails.id, row.id)).run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const giveUp = row.attempts >= MAX_ATTEMPTS;
    console.error(`[mail] "${row.subject}" to ${row.to} failed (attempt ${row.attempts}${giveUp ? ", giving up" : ""}): ${message}`);
    db.update(emails)
      .set(giveUp ? { status: "failed", body: null, lastError: message, nextAttemptAt: null } : { status: "queued", lastError: message, nextAttemptAt: new Date(Date.now() + RETRY_BASE_MS * 2 ** (row.attempts - 1)) })
      .where(eq(emails.id, row.id))
      .run();
  }
  return true;
}

let timer: NodeJS.Timeout | undefined;

/**
 * In each serving process at start-up: delivers what a previous run left
 * queued, then looks again every 30 s for retries and expired leases.
 */
export function startMailQueue(): void {
  if (timer) return;
  void drainMailQueue();
  timer = setInterval(() => void drainMailQueue(), POLL_MS);
  timer.unref();
}

export function stopMailQueue(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = undefined;
  return draining ?? Promise.resolve();
}

/** For tests: the row of a queued or sent message. */
export function emailRow(id: string) {
  return getDb().select().from(emails).where(eq(emails.id, id)).get();
}

