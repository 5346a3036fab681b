import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { ceBrokerProfession } from "./ce-broker.ts";
import { EXPORT_COLUMNS, iterateCompletions, iterateExportValues, type CompletionFilter, type CompletionRow } from "./completions.server.ts";

/**
 * Completion exports, streamed row by row (constant memory): CSV (RFC 4180),
 * XLSX (exceljs streaming writer, no shared strings), JSON lines, and CE
 * Broker's roster upload layout.
 */

export const EXPORT_FORMATS = ["csv", "xlsx", "jsonl", "cebroker-csv", "cebroker-xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a
 * leading apostrophe, so it arrives as text. Numbers are written as numbers.
 * It reads the first character's code rather than run a regex: it runs for every cell of an export.
 */
export function neutralise(value: string): string {
  const first = value.charCodeAt(0);
  return first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13 ? `'${value}` : value;
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

type Table = { header: string[]; rows: Iterable<Array<string | number>> };

function standardTable(filter: CompletionFilter, onRow?: () => void): Table {
  return {
    header: EXPORT_COLUMNS.map(([, label]) => label),
    rows: (function* () {
      for (const values of iterateExportValues(filter)) {
        onRow?.();
        yield values;
      }
    })(),
  };
}

/** CE Broker's upload columns A-J (help.cebroker.com, "Creating Excel files"). */
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

function usDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${m}/${d}/${y}`;
}

export type CeBrokerSettings = { providerNumber: string; courseNumbers: Record<string, string | undefined> };

function ceBrokerTable(filter: CompletionFilter, settings: CeBrokerSettings, onRow?: (row: CompletionRow) => void): Table {
  return {
    header: CE_BROKER_HEADER,
    rows: (function* () {
      for (const row of iterateCompletions(filter, { ceBroker: true })) {
        onRow?.(row);
        yield [
          settings.providerNumber.replace(/^50-/, "").replace(/\D/g, ""),
          (settings.courseNumbers[row.courseId] ?? "").replace(/^20-/, ""),
          settings.courseNumbers[row.courseId] ? "" : row.courseId,
          "",
          row.licenseNumber,
          usDate(row.completionDate),
          `State=${row.licenseState}`,
          `Profession=${ceBrokerProfession(row.licenseType)}`,
          "",
          "",
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
  return Readable.from(
    batched(
      (function* () {
        yield (bom ? "\uFEFF" : "") + csvLine(table.header);
        for (const r of table.rows) yield csvLine(r);
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

function xlsxStream(table: Table, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  void (async () => {
    try {
      sheet.addRow(table.header).commit();
      let n = 0;
      for (const r of table.rows) {
        sheet.addRow(r.map((v) => (typeof v === "string" ? neutralise(v) : v))).commit();
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
