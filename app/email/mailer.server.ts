import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "#app/env.server.ts";

export type OutgoingEmail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A short name of the message kind, e.g. "password-reset" (recorded, not sent). */
  template: string;
  /** Files made at delivery from these references (the queue row stays small, and holds no copy of a document). */
  attachments?: AttachmentRef[];
};

export type AttachmentRef = { kind: "certificate-pdf"; certificateId: string };

export type MailAttachment = { filename: string; contentType: string; content: Buffer };

/** A message as handed to the transport: its attachments rendered. */
export type RenderedEmail = Omit<OutgoingEmail, "attachments"> & { attachments?: MailAttachment[] };

export type Delivery = { transport: "smtp" | "outbox"; location: string | null };

let smtp: { url: string; transport: Transporter } | undefined;

/**
 * Hands one message to the transport: SMTP when SMTP_URL is set, otherwise (the
 * embedded default) an .eml file in OUTBOX_DIR, and the console says where, so
 * a fresh install works without a mail server. Requests never call this: they
 * enqueue (queue.server.ts), and the queue's sender delivers after the response.
 */
export async function deliverEmail(id: string, message: RenderedEmail): Promise<Delivery> {
  const env = getEnv();
  const mail = { from: env.MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html, attachments: message.attachments ?? [] };
  if (env.SMTP_URL) {
    if (smtp?.url !== env.SMTP_URL) smtp = { url: env.SMTP_URL, transport: nodemailer.createTransport(env.SMTP_URL) };
    await smtp.transport.sendMail(mail);
    return { transport: "smtp", location: null };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const info = await stream.sendMail(mail);
  const dir = path.resolve(env.OUTBOX_DIR);
  await fs.mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stamp}-${message.template}-${id}.eml`);
  await fs.writeFile(file, info.message as Buffer);
  console.log(`[mail] "${message.subject}" to ${message.to} written to ${file}`);
  return { transport: "outbox", location: file };
}
