import type { TranscriptRow } from "./transcript.server.ts";
import { formatHours } from "./period.ts";

/** The transcript's columns, shared by the page, the CSV and the PDF so the three always agree. */
export const TRANSCRIPT_COLUMNS = ["Date", "Course or activity", "Provider", "Accreditation / approval", "Source", "Status", "Counts toward", "CE hours", "Certificate ID"] as const;

export const STATUS_TEXT: Record<TranscriptRow["status"], string> = {
  valid: "Valid",
  revoked: "Revoked (not counted)",
  replaced: "Replaced (not counted)",
  "self-reported": "Self-reported",
};

export const SOURCE_TEXT: Record<TranscriptRow["kind"], string> = {
  platform: "KAP Academy certificate",
  external: "Self-reported (earned elsewhere)",
};

export function rowCells(row: TranscriptRow): string[] {
  return [
    row.date,
    row.title,
    row.provider,
    row.approval,
    SOURCE_TEXT[row.kind],
    STATUS_TEXT[row.status],
    row.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; "),
    formatHours(row.hundredths),
    row.reference ?? "",
  ];
}
