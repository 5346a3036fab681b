import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { ceBrokerProfession } from "./ce-broker.ts";
import { EXPORT_COLUMNS, iterateCompletions, iterateExportValues, type CompletionFilter, type CompletionRow } from "./completions.server.ts";

/** Whether a spreadsheet would read this text as the start of a formula (=, +, -, @, tab, CR). */
export function formulaLike(value: string): boolean {
  const first = value.charCodeAt(0);
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
}

/**
 * Completion exports, streamed row by row (constant memory): CSV (RFC 4180),
 * XLSX (exceljs streaming writer, no shared strings), JSON lines, and CE
 * Broker's roster upload layout.
 */

export const EXPORT_FORMATS = ["csv", "xlsx", "jsonl", "cebroker-csv", "cebroker-xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * CSV only: a cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets
 * a leading apostrophe, so it arrives as text (a CSV has no cell types to say so).
 * Numbers are written as numbers. XLSX writes the text as it is, in a Text-format
 * string cell instead. It reads the first character's code rather than run a regex: it runs
 * for every cell of an export.
 */
export function neutralise(value: string): string {
  return formulaLike(value) ? `'${value}` : value;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field (RFC 4180), the only place CSV cells are written: text is
 * neutralised, then quoted (quotes doubled) when it holds a quote, comma or
 * line break; numbers are written as they are; an absent value (null) is an empty field.
 */
export function csvField(value: string | number | null | undefined): string {
  if (typeof value !== "string") return value === null || value === undefined ? "" : String(value);
  const text = neutralise(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(values: Array<string | number | null>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += i === 0 ? csvField(values[i]) : `,${csvField(values[i])}`;
  return `${line}\r\n`;
}

type Cell = string | number | null;
/** Date columns hold YYYY-MM-DD (or ""): written as text in CSV (csvDate), as date cells in XLSX (xlsxDateFormat). */
type Kind = "text" | "number" | "date";
type Table = { header: string[]; kinds: Kind[]; csvDate: (iso: string) => string; xlsxDateFormat: string; rows: Iterable<Cell[]> };

const KINDS: Partial<Record<(typeof EXPORT_COLUMNS)[number][0], Kind>> = {
  ceHours: "number",
  postTestScorePercent: "number",
  activeHours: "number",
  completionDate: "date",
  evaluationDate: "date",
  reportedToCeBroker: "date",
};

function standardTable(filter: CompletionFilter, onRow?: () => void): Table {
  return {
    header: EXPORT_COLUMNS.map(([, label]) => label),
    kinds: EXPORT_COLUMNS.map(([key]) => KINDS[key] ?? "text"),
    csvDate: (iso) => iso,
    xlsxDateFormat: "yyyy-mm-dd",
    rows: (function* () {
      for (const values of iterateExportValues(filter)) {
        onRow?.();
        yield values;
      }
    })(),
  };
}

/**
 * CE Broker's Excel upload columns A-J, as listed in /work/shared/ce-requirements.md
 * section 3 (from help.cebroker.com, "Creating Excel Files" and "Creating Excel Files -
 * Partial Course Credit", articles 15226514662548 and 15226532103572). What we write:
 *   A provider tracking number, digits only (the "50-" prefix removed);
 *   B CE Broker course tracking number without "20-" (required here: we refuse a
 *     roster without it, so C, the alternative to B, stays blank);
 *   D publishing number: blank (optional; self-paced "Anytime" courses need none);
 *   E the license number as the learner entered it (as the state database shows it);
 *   F completion date MM/DD/YYYY, zero-padded (a date cell with that format in XLSX);
 *   G `State=XX`; H `Profession=CODE` (app/admin/ce-broker.ts);
 *   I subject-area code: blank (the course's hours are not split by subject area);
 *   J hours earned: the course's CE hours.
 * Differences from the source: the help article fills J only for partial credit
 * ("leave hours empty for full credit"); we always fill it with the full credit (issue
 * 19 asks for it, and the value is then visible in the file), which CE Broker should
 * read as full credit. The article's example date is unpadded (12/3/2008); we pad
 * (12/03/2008), which Excel reads as the same date. Both are to be confirmed with CE
 * Broker support before a first upload.
 */
export const CE_BROKER_HEADER = [
  "Provider tracking number",
  "CE Broker course tracking number",
  "Provider course ID",
  "Publishing number",
  "Licensee license number",
  "Completion date",
  "Licensee state",
  "Profession code",
  "Subject area code",
  "Hours earned",
];

/** YYYY-MM-DD as MM/DD/YYYY, zero-padded. */
export function usDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${m!.padStart(2, "0")}/${d!.padStart(2, "0")}/${y}`;
}

export type CeBrokerSettings = { providerNumber: string; courseNumbers: Record<string, string | undefined> };

/**
 * Why a CE Broker roster of these courses cannot be produced yet, one sentence per
 * missing setting, naming it; [] when nothing is missing. CE Broker cannot match a
 * roster without the provider and course tracking numbers, so we refuse rather than
 * hand over a file the upload would reject.
 */
export function ceBrokerProblems(settings: CeBrokerSettings, courseIds: string[]): string[] {
  const problems: string[] = [];
  if (!settings.providerNumber.trim()) {
    problems.push("The provider tracking number is not set: set CE_BROKER_PROVIDER_NUMBER (digits, with or without the 50- prefix) in the server's environment and restart it.");
  }
  for (const id of courseIds) {
    if (!settings.courseNumbers[id]?.trim()) problems.push(`Course "${id}" has no CE Broker course tracking number: set ceBroker.courseNumber (digits, with or without the 20- prefix) in its course.yaml.`);
  }
  return problems;
}

export class CeBrokerNotConfigured extends Error {
  constructor(readonly problems: string[]) {
    super(`The CE Broker roster cannot be produced. ${problems.join(" ")}`);
    this.name = "CeBrokerNotConfigured";
  }
}

function ceBrokerTable(filter: CompletionFilter, settings: CeBrokerSettings, onRow?: (row: CompletionRow) => void): Table {
  const provider = settings.providerNumber.trim().replace(/^50-/, "").replace(/\D/g, "");
  return {
    header: CE_BROKER_HEADER,
    kinds: ["text", "text", "text", "text", "text", "date", "text", "text", "text", "number"],
    csvDate: usDate,
    xlsxDateFormat: "mm/dd/yyyy",
    rows: (function* () {
      for (const row of iterateCompletions(filter, { ceBroker: true })) {
        // The callers check first (ceBrokerProblems); this keeps a file without the numbers from ever being written.
        const problems = ceBrokerProblems(settings, [row.courseId]);
        if (problems.length) throw new CeBrokerNotConfigured(problems);
        onRow?.(row);
        yield [
          provider,
          settings.courseNumbers[row.courseId]!.trim().replace(/^20-/, ""),
          "",
          "",
          row.licenseNumber,
          row.completionDate,
          `State=${row.licenseState}`,
          `Profession=${ceBrokerProfession(row.licenseType)}`,
          "",
          row.ceHours,
        ];
      }
    })(),
  };
}

/** Lines are handed to the stream in batches: one chunk per row would cost more than the rows. */
function* batched(lines: Iterable<string>, size = 512): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === size) {
      yield batch.join("");
      batch = [];
    }
  }
  if (batch.length) yield batch.join("");
}

function csvStream(table: Table, bom: boolean): Readable {
  const dates = table.kinds.flatMap((k, i) => (k === "date" ? [i] : []));
  return Readable.from(
    batched(
      (function* () {
        yield (bom ? "\uFEFF" : "") + csvLine(table.header);
        for (const r of table.rows) {
          for (const i of dates) if (r[i]) r[i] = table.csvDate(String(r[i]));
          yield csvLine(r);
        }
      })(),
    ),
    { objectMode: false },
  );
}

function jsonlStream(filter: CompletionFilter, onRow?: () => void): Readable {
  return Readable.from(
    batched(
      (function* () {
        for (const values of iterateExportValues(filter)) {
          onRow?.();
          const out = Object.fromEntries(EXPORT_COLUMNS.map(([key], i) => [key, values[i]]));
          yield `${JSON.stringify(out)}\n`;
        }
      })(),
    ),
  );
}

/** YYYY-MM-DD as the UTC midnight exceljs turns into the Excel day number of that date. */
function excelDate(iso: string): Date {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

/**
 * XLSX with typed cells: dates as date cells (a day number with a date format, so a
 * spreadsheet sorts and computes with them), hours and scores as numbers, and text as
 * text. Text a spreadsheet would read as a formula is written unchanged as a string
 * cell (never evaluated) in the Text number format ("@"), so editing it keeps it text;
 * no apostrophe is added. (The quote-prefix style would be the exact equivalent, but
 * exceljs 4.4 cannot write it, and we do not reach into its internals.)
 */
function xlsxStream(table: Table, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  // Shared style objects: exceljs registers each once.
  const dateStyle = { numFmt: table.xlsxDateFormat };
  const textStyle = { numFmt: "@" };
  const kinds = table.kinds;
  void (async () => {
    try {
      sheet.addRow(table.header).commit();
      let n = 0;
      for (const r of table.rows) {
        const values: Array<string | number | Date | null> = r.map((v, i) => {
          if (v === null || v === "") return null;
          if (kinds[i] === "date") return excelDate(String(v));
          if (kinds[i] === "number") return Number(v);
          return String(v);
        });
        const row = sheet.addRow(values);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v instanceof Date) row.getCell(i + 1).style = dateStyle;
          else if (typeof v === "string" && formulaLike(v)) row.getCell(i + 1).style = textStyle;
        }
        row.commit();
        // Let the stream drain now and then, so memory stays flat.
        if (++n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

export type ExportOptions = { bom?: boolean; ceBroker?: CeBrokerSettings; onRow?: () => void };

export function exportStream(format: ExportFormat, filter: CompletionFilter, options: ExportOptions = {}): Readable {
  const settings = options.ceBroker ?? { providerNumber: "", courseNumbers: {} };
  if (format.startsWith("cebroker")) {
    const problems = ceBrokerProblems(settings, []);
    if (problems.length) throw new CeBrokerNotConfigured(problems);
  }
  switch (format) {
    case "csv":
      return csvStream(standardTable(filter, options.onRow), options.bom ?? false);
    case "jsonl":
      return jsonlStream(filter, options.onRow);
    case "xlsx":
      return xlsxStream(standardTable(filter, options.onRow), "Completions");
    case "cebroker-csv":
      return csvStream(ceBrokerTable(filter, settings, options.onRow), false);
    case "cebroker-xlsx":
      return xlsxStream(ceBrokerTable(filter, settings, options.onRow), "Roster");
  }
}

export const EXPORT_TYPES: Record<ExportFormat, { contentType: string; extension: string }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  jsonl: { contentType: "application/x-ndjson; charset=utf-8", extension: "jsonl" },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" },
  "cebroker-csv": { contentType: "text/csv; charset=utf-8", extension: "csv" },
  "cebroker-xlsx": { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" },
};
