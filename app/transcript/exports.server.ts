import { PDFDocument, rgb, type PDFPage } from "pdf-lib";
import { createTextWriter } from "#app/certificates/fonts.server.ts";
import { csvLine } from "#app/admin/exports.server.ts";
import { rowCells, TRANSCRIPT_COLUMNS } from "./columns.ts";
import { formatHours } from "./period.ts";
import type { Transcript } from "./transcript.server.ts";

/** The transcript as CSV (the page's columns, then the period's totals) and as a PDF document. */

const SELF_REPORTED_NOTE = "Self-reported entries were recorded by the learner and have not been verified by KAP Academy.";

export function transcriptFileName(t: Transcript, ext: "csv" | "pdf"): string {
  const span = [t.period.from ?? "start", t.period.to ?? "today"].join("_to_");
  return `ce-transcript_${span}.${ext}`;
}

export function transcriptCsv(t: Transcript, generatedAt: Date = new Date()): string {
  const lines: string[] = [];
  lines.push(csvLine(["CE transcript", t.learner.name]));
  lines.push(csvLine(["Licenses", t.learner.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ")]));
  lines.push(csvLine(["Period", t.period.label]));
  lines.push(csvLine(["Generated", generatedAt.toISOString().slice(0, 10)]));
  lines.push(csvLine(["Note", SELF_REPORTED_NOTE]));
  lines.push(csvLine([]));
  lines.push(csvLine([...TRANSCRIPT_COLUMNS]));
  for (const row of t.rows) lines.push(csvLine(rowCells(row)));
  lines.push(csvLine([]));
  lines.push(csvLine(["Totals for the period", "Platform certificates (CE hours)", "Self-reported (CE hours)", "All (CE hours)"]));
  lines.push(csvLine(["All licenses", t.totals.platform / 100, t.totals.selfReported / 100, t.totals.all / 100]));
  for (const l of t.perLicense) lines.push(csvLine([l.label, l.platform / 100, l.selfReported / 100, l.all / 100]));
  return lines.join("");
}

const INK = rgb(0.12, 0.16, 0.2);
const MUTED = rgb(0.35, 0.4, 0.45);
const RULE = rgb(0.78, 0.82, 0.86);

/**
 * ALL text of the transcript PDF goes through this writer: the Unicode writer
 * of the certificates (Noto fonts, any script, right to left where needed). Its
 * draw is async (fonts embed on first use); the layout below is synchronous, so
 * draws are chained in order and `done()` waits for them before saving.
 */
function textWriter(doc: PDFDocument) {
  const writer = createTextWriter(doc);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    width: (text: string, size: number, isBold?: boolean) => writer.width(text, size, isBold ? "bold" : "regular"),
    draw: (page: PDFPage, text: string, x: number, y: number, size: number, opts: { bold?: boolean; muted?: boolean } = {}) => {
      chain = chain.then(() => writer.draw(page, text, { x, y, size, weight: opts.bold ? "bold" : "regular", color: opts.muted ? MUTED : INK }));
    },
    done: () => chain,
  };
}

type Writer = ReturnType<typeof textWriter>;

function wrap(w: Writer, text: string, size: number, width: number, bold?: boolean): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && w.width(next, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
    // A word wider than the column is cut into pieces that fit.
    while (w.width(line, size, bold) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && w.width(line.slice(0, cut), size, bold) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

// US Letter portrait; column widths add up to the 540 pt between the margins.
const PAGE = { width: 612, height: 792, margin: 36 };
const PDF_COLUMNS: Array<{ title: string; width: number; cell: (cells: string[]) => string; right?: boolean }> = [
  { title: "Date", width: 58, cell: (c) => c[0]! },
  { title: "Course or activity / provider", width: 176, cell: (c) => `${c[1]} - ${c[2]}${c[3] ? ` (${c[3]})` : ""}` },
  { title: "Source", width: 88, cell: (c) => c[4]! },
  { title: "Status", width: 70, cell: (c) => c[5]! },
  { title: "Counts toward", width: 106, cell: (c) => c[6]! },
  { title: "CE hours", width: 42, cell: (c) => c[7]!, right: true },
];
const SIZE = 8.5;
const LINE = 11;

export async function transcriptPdf(t: Transcript, generatedAt: Date = new Date()): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`CE transcript: ${t.learner.name}`);
  doc.setProducer("KAP Academy");
  doc.setCreationDate(generatedAt);
  const w = textWriter(doc);
  const left = PAGE.margin;
  const bottom = PAGE.margin + 24;
  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;

  const paragraph = (text: string, size: number, opts: { bold?: boolean; muted?: boolean } = {}) => {
    for (const line of wrap(w, text, size, PAGE.width - 2 * PAGE.margin, opts.bold)) {
      y -= size + 3;
      w.draw(page, line, left, y, size, opts);
    }
  };
  const tableHeader = () => {
    let x = left;
    y -= LINE;
    for (const col of PDF_COLUMNS) {
      w.draw(page, col.title, col.right ? x + col.width - 4 - w.width(col.title, SIZE, true) : x, y, SIZE, { bold: true });
      x += col.width;
    }
    y -= 4;
    page.drawLine({ start: { x: left, y }, end: { x: PAGE.width - PAGE.margin, y }, thickness: 0.75, color: RULE });
  };
  const newPage = (withHeader: boolean) => {
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
    w.draw(page, `CE transcript: ${t.learner.name} (${t.period.label}), continued`, left, (y -= 10), 9, { muted: true });
    y -= 6;
    if (withHeader) tableHeader();
  };
  const room = (height: number, withHeader: boolean) => {
    if (y - height < bottom) newPage(withHeader);
  };

  paragraph("Continuing education transcript", 18, { bold: true });
  y -= 6;
  paragraph(`Learner: ${t.learner.name}`, 11, { bold: true });
  paragraph(`Licenses: ${t.learner.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ") || "none recorded"}`, 10);
  paragraph(`Period: ${t.period.label}`, 10);
  paragraph(`Generated: ${generatedAt.toISOString().slice(0, 10)}`, 10);
  paragraph(`Self-reported: ${SELF_REPORTED_NOTE} Revoked and replaced certificates are listed and not counted.`, 9, { muted: true });
  y -= 8;

  tableHeader();
  if (t.rows.length === 0) paragraph("No CE recorded in this period.", 10, { muted: true });
  for (const row of t.rows) {
    const cells = rowCells(row);
    const wrapped = PDF_COLUMNS.map((col) => wrap(w, col.cell(cells), SIZE, col.width - 6));
    const height = Math.max(...wrapped.map((l) => l.length)) * LINE + 4;
    room(height, true);
    let x = left;
    wrapped.forEach((lines, i) => {
      const col = PDF_COLUMNS[i]!;
      lines.forEach((line, n) => w.draw(page, line, col.right ? x + col.width - 4 - w.width(line, SIZE) : x, y - LINE * (n + 1), SIZE));
      x += col.width;
    });
    y -= height;
    page.drawLine({ start: { x: left, y: y + 1 }, end: { x: PAGE.width - PAGE.margin, y: y + 1 }, thickness: 0.4, color: RULE });
  }

  // Totals: overall, then per license; platform and self-reported apart and together.
  room(LINE * (t.perLicense.length + 4) + 20, false);
  y -= 14;
  paragraph("Totals for the period (CE hours)", 12, { bold: true });
  const totalCols = [{ title: "", width: 240 }, { title: "Platform certificates", width: 110 }, { title: "Self-reported", width: 90 }, { title: "All", width: 100 }];
  const totalLine = (cells: string[], bold: boolean) => {
    let x = left;
    y -= LINE + 2;
    cells.forEach((c, i) => {
      for (const [n, line] of wrap(w, c, 9, totalCols[i]!.width - 6, bold).slice(0, 1).entries()) w.draw(page, line, x, y - n * LINE, 9, { bold });
      x += totalCols[i]!.width;
    });
  };
  totalLine(totalCols.map((c) => c.title), true);
  totalLine(["All licenses", formatHours(t.totals.platform), formatHours(t.totals.selfReported), formatHours(t.totals.all)], true);
  for (const l of t.perLicense) {
    room(LINE + 4, false);
    totalLine([l.label, formatHours(l.platform), formatHours(l.selfReported), formatHours(l.all)], false);
  }

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = `Page ${i + 1} of ${pages.length}`;
    w.draw(p, label, PAGE.width - PAGE.margin - w.width(label, 8), PAGE.margin - 12, 8, { muted: true });
    w.draw(p, `KAP Academy CE transcript · ${t.learner.name} · generated ${generatedAt.toISOString().slice(0, 10)}`, left, PAGE.margin - 12, 8, { muted: true });
  });
  await w.done();
  return doc.save();
}
