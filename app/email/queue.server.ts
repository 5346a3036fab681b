import { and, count, desc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import { appendAudit } from "#app/audit/audit.server.ts";
import { getDb, type DB } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { emails } from "#app/db/schema.ts";
import { reportMailFailedCount } from "#app/http/metrics.server.ts";
import { renderAttachments } from "./attachments.server.ts";
import { deliverEmail, type AttachmentRef, type OutgoingEmail } from "./mailer.server.ts";
import { getEnv } from "#app/env.server.ts";

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

/** A queued message older than this has been waiting too long: the admin page lists it. */
export const LONG_QUEUED_MS = 15 * 60_000;

type Tx = Pick<DB, "insert">;

/** The row's JSON body: kept until the message is sent (so a failed one can be retried), then discarded. */
type Body = { text: string; html: string; attachments?: AttachmentRef[] };

/** Queues one message; returns its id. Never waits for the mail server. */
export function enqueueEmail(message: OutgoingEmail, tx: Tx = getDb(), now: Date = new Date()): string {
  const id = createId();
  const body: Body = { text: message.text, html: message.html, ...(message.attachments?.length ? { attachments: message.attachments } : {}) };
  tx.insert(emails)
    .values({ id, to: message.to, subject: message.subject, template: message.template, status: "queued", body: JSON.stringify(body), nextAttemptAt: now, createdAt: now })
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

/** Messages given up on, for the metrics and the admin home. */
export function mailFailedCount(): number {
  return getDb().select({ n: count() }).from(emails).where(eq(emails.status, "failed")).get()!.n;
}

reportMailFailedCount(mailFailedCount);

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
    if (row.body === null) throw new Error("The message's body was discarded; it cannot be sent.");
    const { attachments: refs, ...body } = JSON.parse(row.body) as Body;
    const rendered = refs?.length ? await renderAttachments(refs) : { attachments: [], notes: [] };
    for (const note of rendered.notes) {
      body.text += `\n\nNote: ${note}`;
      body.html = withNote(body.html, note);
    }
    const done = await deliverEmail(row.id, { to: row.to, subject: row.subject, template: row.template, ...body, attachments: rendered.attachments });
    db.update(emails).set({ status: "sent", body: null, transport: done.transport, location: done.location, sentAt: new Date(), lastError: null, nextAttemptAt: null }).where(eq(emails.id, row.id)).run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const giveUp = row.attempts >= MAX_ATTEMPTS;
    console.error(`[mail] "${row.subject}" to ${row.to} failed (attempt ${row.attempts}${giveUp ? ", giving up" : ""}): ${message}`);
    db.update(emails)
      // A failed message keeps its body, so an administrator can retry it (admin.emails.tsx).
      .set(giveUp ? { status: "failed", lastError: message, nextAttemptAt: null } : { status: "queued", lastError: message, nextAttemptAt: new Date(Date.now() + RETRY_BASE_MS * 2 ** (row.attempts - 1)) })
      .where(eq(emails.id, row.id))
      .run();
  }
  return true;
}

/** A note as the last paragraph of the message's card (templates.ts's layout), or at the end. */
function withNote(html: string, note: string): string {
  const escaped = note.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  const paragraph = `<p><strong>Note:</strong> ${escaped}</p>\n`;
  const end = html.lastIndexOf("</div>");
  return end < 0 ? html + paragraph : html.slice(0, end) + paragraph + html.slice(end);
}

let timer: NodeJS.Timeout | undefined;

/**
 * In each serving process at start-up: delivers what a previous run left
 * queued, then looks again every MAIL_POLL_SECONDS (30) for retries and expired leases.
 */
export function startMailQueue(): void {
  if (timer) return;
  void drainMailQueue();
  timer = setInterval(() => void drainMailQueue(), getEnv().MAIL_POLL_SECONDS * 1000);
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


export const MAIL_PROBLEMS_PAGE_SIZE = 50;

/**
 * What the admin page lists: messages given up on, and messages still waiting
 * after LONG_QUEUED_MS (a mail server refusing, or no sender running). Never
 * the body: it may hold a sign-in or reset link.
 */
export function listMailProblems({ page, now = new Date() }: { page: number; now?: Date }) {
  const db = getDb();
  const where = or(eq(emails.status, "failed"), and(inArray(emails.status, ["queued", "sending"]), lt(emails.createdAt, new Date(now.getTime() - LONG_QUEUED_MS))));
  const total = db.select({ n: count() }).from(emails).where(where).get()!.n;
  const rows = db
    .select({
      id: emails.id,
      to: emails.to,
      subject: emails.subject,
      template: emails.template,
      status: emails.status,
      attempts: emails.attempts,
      lastError: emails.lastError,
      createdAt: emails.createdAt,
      nextAttemptAt: emails.nextAttemptAt,
      retryable: sql<number>`${emails.status} = 'failed' and ${emails.body} is not null`,
    })
    .from(emails)
    .where(where)
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(MAIL_PROBLEMS_PAGE_SIZE)
    .offset((page - 1) * MAIL_PROBLEMS_PAGE_SIZE)
    .all();
  return { rows: rows.map((r) => ({ ...r, retryable: Boolean(r.retryable) })), total, pages: Math.max(1, Math.ceil(total / MAIL_PROBLEMS_PAGE_SIZE)) };
}

export type RetryResult = { ok: true } | { ok: false; message: string };

/**
 * An administrator's "retry now": a failed message goes back to the queue with
 * a fresh set of attempts, due at once, and the action is audited.
 */
export function retryFailedEmail(actorId: string, id: string, now: Date = new Date()): RetryResult {
  const result = getDb().transaction((tx): RetryResult => {
    const row = tx.select().from(emails).where(eq(emails.id, id)).get();
    if (!row) return { ok: false, message: "That message does not exist." };
    if (row.status !== "failed") return { ok: false, message: `This message is ${row.status === "sent" ? "already sent" : "already queued"}; only a failed message can be retried.` };
    if (row.body === null) return { ok: false, message: "This message failed before failed messages kept their text, so it cannot be sent again." };
    tx.update(emails).set({ status: "queued", attempts: 0, nextAttemptAt: now }).where(and(eq(emails.id, id), eq(emails.status, "failed"))).run();
    appendAudit(tx, { actorId, action: "email.retried", entityType: "email", entityId: id, before: { status: row.status, template: row.template, attempts: row.attempts, lastError: row.lastError }, after: { status: "queued" }, at: now });
    return { ok: true };
  });
  if (result.ok) scheduleDrain();
  return result;
}
