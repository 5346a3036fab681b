import { z } from "zod";
import { getDb, openReadOnly } from "#app/db/client.server.ts";
import { CERTIFICATE_STATUSES } from "#app/db/schema.ts";
import { publicOrigin } from "#app/env.server.ts";
import { appendAudit } from "#app/audit/audit.server.ts";
import { DEFAULT_COURSE_MINIMUM } from "#app/content/schemas.ts";
import { scorePercent, scorePercentSql } from "#app/certificates/score.ts";

/**
 * Completion records for CE administrators: one row per certificate and license
 * held at issue (a learner licensed in two states appears once per license, as
 * boards and CE Broker count them). The same filter drives the admin page, every
 * export format and the command line. Reporting to CE Broker is tracked per row,
 * i.e. per certificate and license (table ce_broker_reports).
 */

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date written as YYYY-MM-DD.")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "That is not a real date.");

export const SORTS = ["completed", "name", "course", "status"] as const;

export const completionFilterSchema = z
  .object({
    course: z.string().trim().max(100).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    state: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "A state is a two-letter code, e.g. CA.").optional(),
    licenseType: z.string().trim().max(20).optional(),
    status: z.enum(CERTIFICATE_STATUSES, { error: "Status is valid, revoked or replaced." }).optional(),
    q: z.string().trim().max(100).optional(),
    sort: z.enum(SORTS, { error: `Sort by ${SORTS.join(", ")}.` }).default("completed"),
    dir: z.enum(["asc", "desc"]).default("desc"),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    /** CE Broker roster: include licenses already reported. */
    includeReported: z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true").default(false),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "The end date is before the start date." });

export type CompletionFilter = z.infer<typeof completionFilterSchema>;

/** Reads a filter from query parameters; empty values count as absent. */
export function parseCompletionFilter(params: URLSearchParams) {
  const raw = Object.fromEntries([...params.entries()].filter(([, v]) => v.trim() !== ""));
  return completionFilterSchema.safeParse(raw);
}

export type CompletionRow = {
  certificateId: string;
  verifyUrl: string;
  learnerName: string;
  email: string;
  licenseType: string;
  licenseNumber: string;
  licenseState: string;
  courseId: string;
  courseTitle: string;
  courseVersion: string;
  ceHours: number;
  completionDate: string;
  /** Whole percentage, the one rule for every export and page (app/certificates/score.ts). */
  postTestScorePercent: number;
  evaluationDate: string;
  status: string;
  /** The day this license was reported to CE Broker for this certificate (YYYY-MM-DD), or "". */
  reportedToCeBroker: string;
  /** Credited active time on the lessons, in hours (two decimals). */
  activeHours: number;
  /** "below minimum" when the active time is under the course's courseMinimum share of its CE hours; "" otherwise. */
  timeFlag: string;
  /** Internal ids, for links and actions (not exported). */
  userId: string;
  internalId: string;
};

export const EXPORT_COLUMNS: Array<[keyof CompletionRow, string]> = [
  ["certificateId", "Certificate ID"],
  ["verifyUrl", "Verify URL"],
  ["learnerName", "Learner name"],
  ["email", "Email"],
  ["licenseType", "License type"],
  ["licenseNumber", "License number"],
  ["licenseState", "License state"],
  ["courseId", "Course ID"],
  ["courseTitle", "Course title"],
  ["courseVersion", "Course version"],
  ["ceHours", "CE hours"],
  ["completionDate", "Completion date"],
  ["postTestScorePercent", "Post-test score (%)"],
  ["evaluationDate", "Evaluation date"],
  ["status", "Status"],
  ["reportedToCeBroker", "Reported to CE Broker"],
  ["activeHours", "Active hours"],
  ["timeFlag", "Time flag"],
];

/**
 * SQL: the completion's active time is below the minimum recorded with it.
 * Completions recorded before minimums existed are held to the default share
 * (half the CE hours), so they are flagged too.
 */
const BELOW_MINIMUM = `cm.active_seconds < coalesce(cm.minimum_seconds, (c.snapshot ->> '$.ceHours') * 3600 * ${DEFAULT_COURSE_MINIMUM})`;

const ORDER: Record<(typeof SORTS)[number], string> = {
  completed: "cm.completed_at",
  name: "c.snapshot ->> '$.learnerName' collate nocase",
  course: "c.snapshot ->> '$.course.title' collate nocase",
  status: "c.status",
};

function query(f: CompletionFilter, options: { ceBroker?: boolean } = {}) {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.course) {
    where.push("c.course_id = @course");
    params.course = f.course;
  }
  if (f.from) {
    where.push("cm.completed_at >= @from");
    params.from = Date.parse(`${f.from}T00:00:00Z`);
  }
  if (f.to) {
    where.push("cm.completed_at < @to");
    params.to = Date.parse(`${f.to}T00:00:00Z`) + 86_400_000;
  }
  if (f.state) {
    where.push("l.value ->> '$.state' = @state");
    params.state = f.state;
  }
  if (f.licenseType) {
    where.push("l.value ->> '$.type' = @licenseType");
    params.licenseType = f.licenseType;
  }
  if (f.status) {
    where.push("c.status = @status");
    params.status = f.status;
  }
  if (f.q) {
    where.push("(c.snapshot ->> '$.learnerName' like @q escape '\\' or u.email like @q escape '\\' or c.public_id like @q escape '\\')");
    params.q = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  }
  if (options.ceBroker) {
    where.push("c.status = 'valid'", "l.value is not null");
    if (!f.includeReported) where.push("r.reported_at is null");
  }
  const from = `from certificates c
    join users u on u.id = c.user_id
    join completions cm on cm.id = c.completion_id
    left join json_each(c.snapshot, '$.licenses') l
    left join ce_broker_reports r on r.certificate_id = c.id and r.license_type = l.value ->> '$.type'
      and r.license_number = l.value ->> '$.number' and r.license_state = l.value ->> '$.state'`;
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  return { from, whereSql, params, order: `${ORDER[f.sort]} ${f.dir}, c.public_id ${f.dir}, l.key` };
}

const SELECT = `select c.id as internalId, c.user_id as userId, c.public_id as certificateId,
  c.snapshot ->> '$.learnerName' as learnerName, u.email as email,
  coalesce(l.value ->> '$.type', '') as licenseType, coalesce(l.value ->> '$.number', '') as licenseNumber, coalesce(l.value ->> '$.state', '') as licenseState,
  c.course_id as courseId, c.snapshot ->> '$.course.title' as courseTitle, c.snapshot ->> '$.course.version' as courseVersion,
  c.snapshot ->> '$.ceHours' as ceHours, cm.completed_at as completedAt, c.snapshot ->> '$.postTestScore' as postTestScore,
  c.snapshot ->> '$.evaluationDate' as evaluationDate, c.status as status, r.reported_at as reportedAt,
  cm.active_seconds as activeSeconds, ${BELOW_MINIMUM} as belowMinimum`;

type RawRow = Omit<CompletionRow, "verifyUrl" | "completionDate" | "reportedToCeBroker" | "activeHours" | "timeFlag" | "postTestScorePercent"> & { postTestScore: number; completedAt: number; reportedAt: number | null; activeSeconds: number; belowMinimum: number };

function toRow(r: RawRow, origin: string): CompletionRow {
  return {
    certificateId: r.certificateId,
    verifyUrl: `${origin}/verify/${r.certificateId}`,
    learnerName: r.learnerName,
    email: r.email,
    licenseType: r.licenseType,
    licenseNumber: r.licenseNumber,
    licenseState: r.licenseState,
    courseId: r.courseId,
    courseTitle: r.courseTitle,
    courseVersion: r.courseVersion,
    ceHours: Number(r.ceHours),
    completionDate: new Date(r.completedAt).toISOString().slice(0, 10),
    postTestScorePercent: scorePercent(Number(r.postTestScore)),
    evaluationDate: String(r.evaluationDate ?? "").slice(0, 10),
    status: r.status,
    reportedToCeBroker: r.reportedAt ? new Date(r.reportedAt).toISOString().slice(0, 10) : "",
    activeHours: Math.round((r.activeSeconds / 3600) * 100) / 100,
    timeFlag: r.belowMinimum ? "below minimum" : "",
    userId: r.userId,
    internalId: r.internalId,
  };
}

export const PAGE_SIZE = 50;

export async function listCompletions(f: CompletionFilter): Promise<{ rows: CompletionRow[]; total: number; pages: number }> {
  const db = getDb().$client;
  const { from, whereSql, params, order } = query(f);
  const total = (db.prepare(`select count(*) as n ${from} ${whereSql}`).get(params) as { n: number }).n;
  const rows = db.prepare(`${SELECT} ${from} ${whereSql} order by ${order} limit ${PAGE_SIZE} offset ${(f.page - 1) * PAGE_SIZE}`).all(params) as RawRow[];
  const origin = publicOrigin();
  return { rows: rows.map((r) => toRow(r, origin)), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export function countCompletions(f: CompletionFilter, options: { ceBroker?: boolean } = {}): number {
  const { from, whereSql, params } = query(f, options);
  return (getDb().$client.prepare(`select count(*) as n ${from} ${whereSql}`).get(params) as { n: number }).n;
}

/**
 * The export columns (EXPORT_COLUMNS, in order), formatted by SQLite: dates as
 * YYYY-MM-DD in UTC, numbers as numbers, absent values as ''. Exports read rows as
 * arrays of these, which costs a third of building a CompletionRow for each.
 */
const EXPORT_SELECT = `select c.public_id, @origin || '/verify/' || c.public_id,
  c.snapshot ->> '$.learnerName', u.email,
  coalesce(l.value ->> '$.type', ''), coalesce(l.value ->> '$.number', ''), coalesce(l.value ->> '$.state', ''),
  c.course_id, c.snapshot ->> '$.course.title', c.snapshot ->> '$.course.version',
  c.snapshot ->> '$.ceHours', strftime('%Y-%m-%d', cm.completed_at / 1000, 'unixepoch'), ${scorePercentSql("c.snapshot ->> '$.postTestScore'")},
  substr(coalesce(c.snapshot ->> '$.evaluationDate', ''), 1, 10), c.status,
  coalesce(strftime('%Y-%m-%d', r.reported_at / 1000, 'unixepoch'), ''),
  round(cm.active_seconds / 3600.0, 2), case when ${BELOW_MINIMUM} then 'below minimum' else '' end`;

/** The export query and its parameters (also used by the export benchmark's raw baseline). */
export function exportQuery(f: CompletionFilter): { sql: string; params: Record<string, string | number> } {
  const { from, whereSql, params, order } = query(f);
  return { sql: `${EXPORT_SELECT} ${from} ${whereSql} order by ${order}`, params: { ...params, origin: publicOrigin() } };
}

/** Every matching row as export values, one at a time (constant memory, whatever the count). */
export function* iterateExportValues(f: CompletionFilter): Generator<Array<string | number>> {
  const { sql, params } = exportQuery(f);
  const db = openReadOnly();
  try {
    yield* db.prepare(sql).raw().iterate(params) as IterableIterator<Array<string | number>>;
  } finally {
    db.close();
  }
}

/** Every matching row, one at a time (constant memory, whatever the count). */
export function* iterateCompletions(f: CompletionFilter, options: { ceBroker?: boolean } = {}): Generator<CompletionRow> {
  const { from, whereSql, params, order } = query(f, options);
  const origin = publicOrigin();
  const db = openReadOnly();
  try {
    for (const r of db.prepare(`${SELECT} ${from} ${whereSql} order by ${order}`).iterate(params) as IterableIterator<RawRow>) {
      yield toRow(r, origin);
    }
  } finally {
    db.close();
  }
}

export function listCourseIds(): string[] {
  return (getDb().$client.prepare("select distinct course_id as id from certificates order by 1").all() as Array<{ id: string }>).map((r) => r.id);
}

/** The courses a CE Broker roster of this filter would list (each needs its course tracking number). */
export function ceBrokerCourseIds(f: CompletionFilter): string[] {
  const { from, whereSql, params } = query(f, { ceBroker: true });
  return (getDb().$client.prepare(`select distinct c.course_id as id ${from} ${whereSql} order by 1`).all(params) as Array<{ id: string }>).map((r) => r.id);
}

/**
 * Marks the valid, not yet reported licenses of a filter's completions as reported
 * to CE Broker (one row per certificate and license, as the roster lists them),
 * with an audit entry. Returns how many licenses were marked.
 */
export async function markReportedToCeBroker(actorId: string, f: CompletionFilter, now: Date = new Date()): Promise<number> {
  const { from, whereSql, params } = query({ ...f, includeReported: false }, { ceBroker: true });
  const db = getDb();
  return db.transaction((tx) => {
    const rows = db.$client
      .prepare(`select distinct c.id as id, c.public_id as publicId, l.value ->> '$.type' as type, l.value ->> '$.number' as number, l.value ->> '$.state' as state ${from} ${whereSql}`)
      .all(params) as Array<{ id: string; publicId: string; type: string; number: string; state: string }>;
    const insert = db.$client.prepare("insert or ignore into ce_broker_reports (certificate_id, license_type, license_number, license_state, reported_at) values (?, ?, ?, ?, ?)");
    for (const r of rows) insert.run(r.id, r.type, r.number, r.state, now.getTime());
    if (rows.length) {
      appendAudit(tx, {
        actorId,
        action: "certificates.reported_to_ce_broker",
        entityType: "certificate",
        entityId: `${rows.length} licenses`,
        after: { licenses: rows.map((r) => ({ certificate: r.publicId, type: r.type, number: r.number, state: r.state })), reportedAt: now.toISOString() },
        at: now,
      });
    }
    return rows.length;
  });
}
