import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { emails } from "#app/db/schema.ts";
import { getEnv } from "#app/env.server.ts";

export type OutgoingEmail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A short name of the message kind, e.g. "password-reset" (recorded, not sent). */
  template: string;
};

export type SentEmail = { id: string; transport: "smtp" | "outbox"; location: string | null };

let smtp: Transporter | undefined;

/**
 * Sends through SMTP when SMTP_URL is set. Otherwise (the embedded default) the
 * message is written as an .eml file to OUTBOX_DIR and the console says where,
 * so a fresh install works without a mail server.
 */
export async function sendEmail(message: OutgoingEmail): Promise<SentEmail> {
  const env = getEnv();
  const id = createId();
  const mail = { from: env.MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html };
  let sent: SentEmail;
  if (env.SMTP_URL) {
    smtp ??= nodemailer.createTransport(env.SMTP_URL);
    await smtp.sendMail(mail);
    sent = { id, transport: "smtp", location: null };
  } else {
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
    const info = await stream.sendMail(mail);
    const dir = path.resolve(env.OUTBOX_DIR);
    await fs.mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(dir, `${stamp}-${message.template}-${id}.eml`);
    await fs.writeFile(file, info.message as Buffer);
    console.log(`[mail] "${message.subject}" to ${message.to} written to ${file}`);
    sent = { id, transport: "outbox", location: file };
  }
  getDb()
    .insert(emails)
    .values({ id, to: message.to, subject: message.subject, template: message.template, transport: sent.transport, location: sent.location })
    .run();
  return sent;
}
