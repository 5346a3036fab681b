import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "#app/audit/audit.server.ts";
import type { FieldErrors } from "#app/auth/forms.ts";
import { getDb } from "#app/db/client.server.ts";
import { createId } from "#app/db/ids.ts";
import { externalCe, licenses, type ExternalCe, type LicenseRef } from "#app/db/schema.ts";
import { isRealDate } from "./period.ts";

/**
 * CE a learner earned elsewhere (self-reported): add, edit, delete, each audited
 * in the same transaction. Every read and write names the owner, so another
 * learner's entry is simply not found.
 */

export const MAX_CE_HOURS = 100;
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const FILE_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** The file's type from its first bytes: a name or a Content-Type header proves nothing. */
export function sniffFileType(bytes: Uint8Array): FileType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

export const licenseKey = (l: LicenseRef) => `${l.type}|${l.number}|${l.state}`;
export const licenseLabel = (l: LicenseRef) => `${l.type} ${l.number} (${l.state})`;

const text = (max: number, label: string) =>
  z.string().trim().min(1, `Enter the ${label}.`).max(max, `The ${label} may be at most ${max} characters.`);
const optional = (max: number, label: string) =>
  z.string().trim().max(max, `The ${label} may be at most ${max} characters.`).transform((v) => v || null);

/** Today as YYYY-MM-DD where the learner may be: 14 hours ahead of UTC (the earliest time zone). */
function latestToday(now: Date): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

function entrySchema(now: Date) {
  return z.object({
    provider: text(200, "provider's name"),
    title: text(300, "course title"),
    // One message per problem, checked in order (an empty field is only "enter it").
    ceHours: z.string().trim().transform((v, ctx) => {
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (!v) return fail("Enter the CE hours.");
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(v)) return fail("Enter the CE hours as a number with at most two decimals, e.g. 1.5.");
      const hundredths = Math.round(Number(v) * 100);
      if (hundredths <= 0) return fail("CE hours must be more than 0.");
      if (hundredths > MAX_CE_HOURS * 100) return fail(`CE hours may be at most ${MAX_CE_HOURS} for one entry.`);
      return hundredths;
    }),
    completedOn: z
      .string()
      .trim()
      .min(1, "Enter the completion date.")
      .refine((d) => !d || isRealDate(d), "Enter the completion date as a real date (YYYY-MM-DD).")
      .refine((d) => !isRealDate(d) || d <= latestToday(now), "The completion date cannot be in the future.")
      .refine((d) => !isRealDate(d) || d >= "1950-01-01", "The completion date is too far in the past."),
    accreditingBody: optional(120, "accrediting body"),
    approvalNumber: optional(80, "approval number"),
  });
}

export type EntryFile = { name: string; type: FileType; data: Buffer };
export type EntryInput = z.output<ReturnType<typeof entrySchema>> & { licenses: LicenseRef[] };
/** What a form may change about the file: keep it, replace it, or remove it. */
export type FileChange = { kind: "keep" } | { kind: "remove" } | { kind: "replace"; file: EntryFile };

export type EntryResult = { ok: true; entry: ExternalCe } | { ok: false; fieldErrors: FieldErrors; values: Record<string, string | string[]> };

/** The learner's licenses now, plus any an existing entry already names (a license later removed from the profile stays choosable). */
export function licenseChoices(userId: string, existing: LicenseRef[] = []): LicenseRef[] {
  const held = getDb().select({ type: licenses.type, number: licenses.number, state: licenses.state }).from(licenses).where(eq(licenses.userId, userId)).orderBy(sql`rowid`).all();
  const keys = new Set(held.map(licenseKey));
  return [...held, ...existing.filter((l) => !keys.has(licenseKey(l)))];
}

/** Reads and validates an entry form (fields, licenses ticked as `license` keys, file as `file`). Nothing is written here. */
export async function parseEntryForm(userId: string, form: FormData, existing?: ExternalCe, now: Date = new Date()): Promise<{ ok: true; input: EntryInput; file: FileChange } | { ok: false; fieldErrors: FieldErrors; values: Record<string, string | string[]> }> {
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const values = {
    provider: field("provider"),
    title: field("title"),
    ceHours: field("ceHours"),
    completedOn: field("completedOn"),
    accreditingBody: field("accreditingBody"),
    approvalNumber: field("approvalNumber"),
  };
  const ticked = form.getAll("license").filter((v): v is string => typeof v === "string");
  const fieldErrors: FieldErrors = {};
  const parsed = entrySchema(now).safeParse(values);
  if (!parsed.success) for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);

  const choices = licenseChoices(userId, existing?.licenses);
  const chosen = choices.filter((l) => ticked.includes(licenseKey(l)));
  if (ticked.length === 0) fieldErrors.licenses = ["Choose at least one license this CE counts toward."];
  else if (chosen.length !== new Set(ticked).size) fieldErrors.licenses = ["Choose only among your own licenses."];

  let file: FileChange = { kind: "keep" };
  const upload = form.get("file");
  if (upload instanceof File && upload.size > 0) {
    if (upload.size > MAX_FILE_BYTES) fieldErrors.file = [`The certificate file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB.`];
    else {
      const data = Buffer.from(await upload.arrayBuffer());
      const type = sniffFileType(data);
      if (!type) fieldErrors.file = ["The certificate file must be a PDF, PNG or JPEG."];
      else file = { kind: "replace", file: { name: safeFileName(upload.name, type), type, data } };
    }
  } else if (form.get("removeFile") === "on") file = { kind: "remove" };

  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, fieldErrors, values: { ...values, license: ticked } };
  return { ok: true, input: { ...parsed.data, licenses: chosen }, file };
}

function safeFileName(name: string, type: FileType): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[^\w.\- ()]+/g, "_").slice(-120).trim();
  return base || `certificate.${type === "application/pdf" ? "pdf" : type === "image/png" ? "png" : "jpg"}`;
}

/** What the audit log records of an entry: its fields and the file's name, size and hash, not its bytes. */
function auditView(e: ExternalCe) {
  return {
    provider: e.provider,
    title: e.title,
    ceHours: e.ceHundredths / 100,
    completedOn: e.completedOn,
    accreditingBody: e.accreditingBody,
    approvalNumber: e.approvalNumber,
    licenses: e.licenses,
    file: e.fileData ? { name: e.fileName, type: e.fileType, bytes: e.fileData.length, sha256: createHash("sha256").update(e.fileData).digest("hex") } : null,
    selfReported: true,
  };
}

function columns(input: EntryInput) {
  return {
    provider: input.provider,
    title: input.title,
    ceHundredths: input.ceHours,
    completedOn: input.completedOn,
    accreditingBody: input.accreditingBody,
    approvalNumber: input.approvalNumber,
    licenses: input.licenses,
  };
}

function fileColumns(change: FileChange) {
  if (change.kind === "replace") return { fileName: change.file.name, fileType: change.file.type, fileData: change.file.data };
  if (change.kind === "remove") return { fileName: null, fileType: null, fileData: null };
  return {};
}

export async function addExternalEntry(userId: string, form: FormData, now: Date = new Date()): Promise<EntryResult> {
  const parsed = await parseEntryForm(userId, form, undefined, now);
  if (!parsed.ok) return parsed;
  const db = getDb();
  const entry = db.transaction((tx) => {
    const row = tx
      .insert(externalCe)
      .values({ id: createId(), userId, ...columns(parsed.input), ...fileColumns(parsed.file), createdAt: now, updatedAt: now })
      .returning()
      .get();
    appendAudit(tx, { actorId: userId, action: "external-ce.added", entityType: "external_ce", entityId: row.id, after: auditView(row), at: now });
    return row;
  });
  return { ok: true, entry };
}

export async function updateExternalEntry(userId: string, entryId: string, form: FormData, now: Date = new Date()): Promise<EntryResult | null> {
  const existing = await findExternalEntry(userId, entryId);
  if (!existing) return null;
  const parsed = await parseEntryForm(userId, form, existing, now);
  if (!parsed.ok) return parsed;
  const db = getDb();
  const entry = db.transaction((tx) => {
    const row = tx
      .update(externalCe)
      .set({ ...columns(parsed.input), ...fileColumns(parsed.file), updatedAt: now })
      .where(and(eq(externalCe.id, entryId), eq(externalCe.userId, userId)))
      .returning()
      .get();
    appendAudit(tx, { actorId: userId, action: "external-ce.updated", entityType: "external_ce", entityId: entryId, before: auditView(existing), after: auditView(row), at: now });
    return row;
  });
  return { ok: true, entry };
}

/** Deletes the owner's entry; false when there is none of theirs by that id. */
export async function deleteExternalEntry(userId: string, entryId: string, now: Date = new Date()): Promise<boolean> {
  const db = getDb();
  return db.transaction((tx) => {
    const existing = tx.select().from(externalCe).where(and(eq(externalCe.id, entryId), eq(externalCe.userId, userId))).get();
    if (!existing) return false;
    tx.delete(externalCe).where(and(eq(externalCe.id, entryId), eq(externalCe.userId, userId))).run();
    appendAudit(tx, { actorId: userId, action: "external-ce.deleted", entityType: "external_ce", entityId: entryId, before: auditView(existing), at: now });
    return true;
  });
}

export async function findExternalEntry(userId: string, entryId: string): Promise<ExternalCe | null> {
  return getDb().select().from(externalCe).where(and(eq(externalCe.id, entryId), eq(externalCe.userId, userId))).get() ?? null;
}

/** The owner's entries without their file bytes (a transcript never needs them). */
export async function listExternalEntries(userId: string) {
  return getDb()
    .select({
      id: externalCe.id,
      provider: externalCe.provider,
      title: externalCe.title,
      ceHundredths: externalCe.ceHundredths,
      completedOn: externalCe.completedOn,
      accreditingBody: externalCe.accreditingBody,
      approvalNumber: externalCe.approvalNumber,
      licenses: externalCe.licenses,
      fileName: externalCe.fileName,
    })
    .from(externalCe)
    .where(eq(externalCe.userId, userId))
    .orderBy(asc(externalCe.completedOn), asc(externalCe.createdAt))
    .all();
}
