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
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string | number): string {
  const text = typeof value === "number" ? String(value) : neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV record: the same as joining csvField of each value, without a regex per field. */
export function csvLine(values: Array<string | number | null>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let text = typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
    if (typeof value === "string" && text.length) {
      const first = text.charCodeAt(0);
      // = + - @ tab CR: a spreadsheet would read a formula.
      if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13) text = `'${text}`;
      if (NEEDS_QUOTES.test(text)) text = `"${text.replace(/"/g, '""')}"`;
    }
    line += i === 0 ? text : `,${text}`;
  }
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
        sheet.addRow(r.map((v) => (typeof v === "number" ? v : neutralise(v)))).commit();
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
