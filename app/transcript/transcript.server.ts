import { asc, eq, sql } from "drizzle-orm";
import { getDb } from "#app/db/client.server.ts";
import { certificates, licenses, users, type LicenseRef } from "#app/db/schema.ts";
import { licenseKey, licenseLabel, listExternalEntries } from "./entries.server.ts";
import { inPeriod, type Period } from "./period.ts";

/**
 * A learner's CE transcript: platform certificates (valid ones counted; revoked
 * and replaced ones listed and not counted) and self-reported CE from elsewhere,
 * in one list by date, with totals for a period overall and per license. Hours
 * are summed in hundredths, so 0.1 + 0.2 is 0.3.
 */

export type TranscriptRow = {
  kind: "platform" | "external";
  id: string;
  date: string;
  title: string;
  provider: string;
  approval: string;
  licenses: LicenseRef[];
  hundredths: number;
  status: "valid" | "revoked" | "replaced" | "self-reported";
  counted: boolean;
  /** The certificate's public id (platform rows). */
  reference: string | null;
  hasFile: boolean;
};

export type Totals = { platform: number; selfReported: number; all: number };
export type LicenseTotals = Totals & { license: LicenseRef; label: string };
export type Transcript = {
  learner: { name: string; licenses: LicenseRef[] };
  period: Period;
  rows: TranscriptRow[];
  totals: Totals;
  perLicense: LicenseTotals[];
};

export const SELF_REPORTED = "Self-reported";

/** The platform-issued part: every certificate of the learner, as issued. */
export function platformRows(userId: string): TranscriptRow[] {
  return getDb()
    .select()
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(asc(certificates.issuedAt))
    .all()
    .map((c) => ({
      kind: "platform" as const,
      id: c.id,
      date: c.snapshot.completedAt.slice(0, 10),
      title: c.snapshot.course.title,
      provider: c.snapshot.provider.name,
      approval: c.snapshot.approvals.map((a) => `${a.body} ${a.providerNumber}`).join("; "),
      licenses: c.snapshot.licenses,
      hundredths: Math.round(c.snapshot.ceHours * 100),
      status: c.status,
      counted: c.status === "valid",
      reference: c.publicId,
      hasFile: false,
    }));
}

async function externalRows(userId: string): Promise<TranscriptRow[]> {
  return (await listExternalEntries(userId)).map((e) => ({
    kind: "external" as const,
    id: e.id,
    date: e.completedOn,
    title: e.title,
    provider: e.provider,
    approval: [e.accreditingBody, e.approvalNumber].filter(Boolean).join(" "),
    licenses: e.licenses,
    hundredths: e.ceHundredths,
    status: "self-reported" as const,
    counted: true,
    reference: null,
    hasFile: e.fileName !== null,
  }));
}

/** Sums counted rows overall and per license; `held` licenses are listed even with no hours. */
export function summarise(rows: TranscriptRow[], held: LicenseRef[]): { totals: Totals; perLicense: LicenseTotals[] } {
  const totals: Totals = { platform: 0, selfReported: 0, all: 0 };
  const per = new Map<string, LicenseTotals>();
  const entry = (l: LicenseRef) => {
    const key = licenseKey(l);
    let t = per.get(key);
    if (!t) per.set(key, (t = { license: l, label: licenseLabel(l), platform: 0, selfReported: 0, all: 0 }));
    return t;
  };
  for (const l of held) entry(l);
  for (const row of rows) {
    if (!row.counted) continue;
    const part = row.kind === "platform" ? "platform" : "selfReported";
    totals[part] += row.hundredths;
    totals.all += row.hundredths;
    // A row naming the same license twice still counts once toward it.
    for (const key of new Set(row.licenses.map(licenseKey))) {
      const t = entry(row.licenses.find((l) => licenseKey(l) === key)!);
      t[part] += row.hundredths;
      t.all += row.hundredths;
    }
  }
  return { totals, perLicense: [...per.values()] };
}

const byDate = (a: TranscriptRow, b: TranscriptRow) => (a.date === b.date ? a.title.localeCompare(b.title) : a.date < b.date ? -1 : 1);

export async function buildTranscript(userId: string, period: Period): Promise<Transcript | null> {
  const db = getDb();
  const user = db.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
  if (!user) return null;
  const held = db.select({ type: licenses.type, number: licenses.number, state: licenses.state }).from(licenses).where(eq(licenses.userId, userId)).orderBy(sql`rowid`).all();
  const rows = [...platformRows(userId), ...(await externalRows(userId))].filter((r) => inPeriod(r.date, period)).sort(byDate);
  return { learner: { name: user.name, licenses: held }, period, rows, ...summarise(rows, held) };
}

/** For an administrator: the platform-issued part only, all time (self-reported CE stays private to the learner). */
export function platformTranscript(userId: string, held: LicenseRef[]) {
  const rows = platformRows(userId).sort(byDate);
  return { rows, ...summarise(rows, held) };
}
