import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { scorePercent } from "./score.ts";
import type { CertificateSnapshot } from "./snapshot.server.ts";

/**
 * The certificate as a one-page PDF, US Letter landscape, drawn with pdf-lib's
 * standard fonts. Every snapshot field is on the page, with the verification
 * URL and a QR code for it.
 */

const NAVY = rgb(0.078, 0.227, 0.4);
const TEAL = rgb(0.122, 0.435, 0.4);
const INK = rgb(0.12, 0.16, 0.2);
const MUTED = rgb(0.35, 0.4, 0.45);
const RULE = rgb(0.78, 0.82, 0.86);

/** The standard PDF fonts cover Windows-1252 only: fold anything else to its closest form. */
export function toWinAnsi(text: string): string {
  const replacements: Record<string, string> = { "\u2264": "<=", "\u2265": ">=", "\u2192": "->", "\u2212": "-", "\u00a0": " ", "\u2010": "-", "\u2011": "-" };
  return [...text]
    .map((ch) => {
      if (replacements[ch]) return replacements[ch];
      const code = ch.codePointAt(0)!;
      if (code < 0x100 || "\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u2122".includes(ch)) return ch;
      const folded = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      return [...folded].every((c) => c.codePointAt(0)! < 0x100) ? folded : "?";
    })
    .join("");
}

// Text width scales linearly with size: measure each word once at size 1.
const widths = new WeakMap<PDFFont, Map<string, number>>();
function unitWidth(font: PDFFont, text: string): number {
  let cache = widths.get(font);
  if (!cache) widths.set(font, (cache = new Map()));
  let w = cache.get(text);
  if (w === undefined) cache.set(text, (w = font.widthOfTextAtSize(text, 1)));
  return w;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const words = toWinAnsi(text).split(/\s+/).filter(Boolean);
  const space = unitWidth(font, " ") * size;
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  for (const word of words) {
    const w = unitWidth(font, word) * size;
    if (line && lineWidth + space + w > width) {
      lines.push(line);
      line = word;
      lineWidth = w;
    } else {
      line = line ? `${line} ${word}` : word;
      lineWidth = line === word ? w : lineWidth + space + w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function centered(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color = INK) {
  const safe = toWinAnsi(text);
  const width = font.widthOfTextAtSize(safe, size);
  page.drawText(safe, { x: (page.getWidth() - width) / 2, y, size, font, color });
}

/** Largest size (down to `min`) at which the text fits the width on one line. */
function fitSize(text: string, font: PDFFont, size: number, width: number, min: number): number {
  let s = size;
  while (s > min && font.widthOfTextAtSize(toWinAnsi(text), s) > width) s -= 0.5;
  return s;
}

/** The name sits between the frame's margins: 80 pt each side of the page. */
export const NAME_WIDTH = 792 - 160;
/** One line from 26 pt down to 14 pt; then two lines from 18 pt down to 10 pt. */
const NAME_SIZES = { oneLine: [26, 14], twoLines: [18, 10] } as const;

/** The best place to break a name in two: the narrowest longer half, at a space if one fits. */
function splitInTwo(text: string, font: PDFFont, width: number, minSize: number): [string, string] {
  const best = (cuts: number[]): [string, string] | null => {
    let pick: [string, string] | null = null;
    let pickWidth = Infinity;
    for (const cut of cuts) {
      const a = text.slice(0, cut).trim();
      const b = text.slice(cut).trim();
      if (!a || !b) continue;
      const w = Math.max(unitWidth(font, a), unitWidth(font, b));
      if (w < pickWidth) [pick, pickWidth] = [[a, b], w];
    }
    return pick && pickWidth * minSize <= width ? pick : null;
  };
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  const everywhere = Array.from({ length: text.length - 1 }, (_, i) => i + 1);
  // A name with no space that fits, e.g. one very long word, is broken between letters.
  return best(spaces) ?? best(everywhere) ?? [text.slice(0, Math.ceil(text.length / 2)), text.slice(Math.ceil(text.length / 2))];
}

/**
 * How the learner's name is set so that it always fits the page: the largest
 * size on one line, else on two lines; a name longer than the name rule allows
 * (an older record) goes below the floor rather than past the edge.
 */
export function layoutName(name: string, font: PDFFont, width: number = NAME_WIDTH): { size: number; lines: string[] } {
  const text = toWinAnsi(name).replace(/\s+/g, " ").trim();
  const fits = (line: string, size: number) => unitWidth(font, line) * size <= width;
  for (let size: number = NAME_SIZES.oneLine[0]; size >= NAME_SIZES.oneLine[1]; size -= 0.5) {
    if (fits(text, size)) return { size, lines: [text] };
  }
  const [floor, ceiling] = [NAME_SIZES.twoLines[1], NAME_SIZES.twoLines[0]];
  const lines = splitInTwo(text, font, width, floor);
  for (let size: number = ceiling; size >= floor; size -= 0.5) {
    if (lines.every((l) => fits(l, size))) return { size, lines };
  }
  const widest = Math.max(...lines.map((l) => unitWidth(font, l)));
  return { size: Math.floor((width / widest) * 10) / 10, lines };
}

function paragraph(page: PDFPage, text: string, x: number, y: number, width: number, font: PDFFont, size: number, color = INK, leading = size * 1.25): number {
  for (const line of wrap(text, font, size, width)) {
    page.drawText(line, { x, y, size, font, color });
    y -= leading;
  }
  return y;
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

export async function renderCertificatePdf(s: CertificateSnapshot, meta: { publicId: string; verifyUrl: string; status: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(toWinAnsi(`Certificate of completion: ${s.course.title}`));
  pdf.setAuthor(toWinAnsi(s.provider.name));
  pdf.setSubject(toWinAnsi(`${s.learnerName}, ${s.ceHours} CE hours, certificate ${meta.publicId}`));
  pdf.setCreationDate(new Date(s.completedAt));
  const page = pdf.addPage([792, 612]);
  const serif = await pdf.embedFont(StandardFonts.TimesRoman);
  const serifBold = await pdf.embedFont(StandardFonts.TimesRomanBold);
  const sans = await pdf.embedFont(StandardFonts.Helvetica);
  const sansBold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const W = page.getWidth();
  const H = page.getHeight();

  // Frame: an outer navy rule and an inner thin teal rule.
  page.drawRectangle({ x: 18, y: 18, width: W - 36, height: H - 36, borderColor: NAVY, borderWidth: 3 });
  page.drawRectangle({ x: 26, y: 26, width: W - 52, height: H - 52, borderColor: TEAL, borderWidth: 0.8 });

  if (meta.status !== "valid") {
    centered(page, meta.status === "revoked" ? "REVOKED" : "REPLACED: see the verification page for the current certificate", H - 44, sansBold, 11, rgb(0.7, 0.1, 0.1));
  }

  // Header.
  centered(page, s.provider.name.toUpperCase(), H - 62, sansBold, 10, TEAL);
  centered(page, "Certificate of Completion", H - 100, serifBold, 30, NAVY);
  centered(page, "Continuing education: self-paced home study", H - 120, sans, 10, MUTED);

  // Learner: a name on two lines moves the line above it up to make room.
  const name = layoutName(s.learnerName, serifBold, W - 160);
  centered(page, "This certifies that", name.lines.length > 1 ? H - 140 : H - 150, serif, 12, INK);
  if (name.lines.length === 1) centered(page, name.lines[0]!, H - 180, serifBold, name.size, INK);
  else name.lines.forEach((line, i) => centered(page, line, H - 182 - (i - 1) * name.size * 1.1, serifBold, name.size, INK));
  page.drawLine({ start: { x: 196, y: H - 188 }, end: { x: W - 196, y: H - 188 }, thickness: 0.6, color: RULE });
  const licenseLine = s.licenses.length ? `License${s.licenses.length > 1 ? "s" : ""}: ${s.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ")}` : "License: not provided";
  centered(page, licenseLine, H - 202, sans, fitSize(licenseLine, sans, 9.5, W - 120, 6.5), INK);

  // Course.
  centered(page, "has completed the course", H - 224, serif, 12, INK);
  const titleSize = fitSize(s.course.title, serifBold, 18, W - 140, 11);
  centered(page, s.course.title, H - 246, serifBold, titleSize, NAVY);
  centered(page, `Course ID ${s.course.id} · content version ${s.course.version}`, H - 260, sans, 8.5, MUTED);

  // Key facts in a row of four.
  const facts: Array<[string, string]> = [
    ["CE hours", `${s.ceHours} (60-minute hours)`],
    ["Completed", formatDate(s.completedAt)],
    ["Format", "Self-paced home study"],
    ["Level", s.level[0]!.toUpperCase() + s.level.slice(1)],
  ];
  const colW = (W - 120) / facts.length;
  facts.forEach(([label, value], i) => {
    const x = 60 + i * colW;
    page.drawText(label.toUpperCase(), { x, y: H - 286, size: 7, font: sansBold, color: TEAL });
    page.drawText(toWinAnsi(value), { x, y: H - 299, size: 10.5, font: sansBold, color: INK });
  });
  const details = `Delivery: ${s.deliveryFormat}. Post-test score ${scorePercent(s.postTestScore)}% (average of module quizzes). Evaluation submitted ${formatDate(s.evaluationDate)}; attestation signed ${formatDate(s.attestationDate)}.`;
  paragraph(page, details, 60, H - 316, W - 120, sans, 8, MUTED);

  page.drawLine({ start: { x: 60, y: H - 336 }, end: { x: W - 60, y: H - 336 }, thickness: 0.6, color: RULE });

  // Two columns: objectives (left) and approvals (right), sized to fit above the footer.
  const leftX = 60;
  const rightX = 408;
  const colWidth = 324;
  const top = H - 352;
  const bottom = 128;
  page.drawText("LEARNING OBJECTIVES", { x: leftX, y: top, size: 7, font: sansBold, color: TEAL });
  page.drawText("APPROVALS", { x: rightX, y: top, size: 7, font: sansBold, color: TEAL });

  const objectiveBlocks = s.objectives.map((o, i) => ({ text: `${i + 1}. ${o}`, font: sans, gap: 1.5 }));
  const approvalBlocks = s.approvals.length
    ? s.approvals.flatMap((a) => [
        { text: `${a.body}${a.sample ? " (SAMPLE statement for a demo provider, not a real approval)" : ""}: ${a.credits} ${a.creditType}; provider no. ${a.providerNumber}; approval period ${a.period}.`, font: sansBold, gap: 0 },
        { text: a.statement, font: sans, gap: 3 },
      ])
    : [{ text: "No accreditor approval is stated for this course.", font: sans, gap: 0 }];
  for (const [blocks, x] of [[objectiveBlocks, leftX], [approvalBlocks, rightX]] as const) {
    const height = (size: number) => blocks.reduce((h, b) => h + wrap(b.text, b.font, size, colWidth).length * size * 1.22 + b.gap, 0);
    let size = 7.6;
    while (size > 5 && height(size) > top - 11 - bottom) size -= 0.2;
    let y = top - 11;
    for (const b of blocks) y = paragraph(page, b.text, x, y, colWidth, b.font, size, INK, size * 1.22) - b.gap;
  }

  // Footer: provider, signature, verification.
  const footY = 48;
  paragraph(page, `${s.provider.name} · ${s.provider.address} · ${s.provider.url}`, 60, footY + 60, 250, sans, 7, MUTED);
  page.drawLine({ start: { x: 60, y: footY + 34 }, end: { x: 300, y: footY + 34 }, thickness: 0.8, color: INK });
  page.drawText(toWinAnsi(`${s.signatory.name}, ${s.signatory.credentials}`), { x: 60, y: footY + 22, size: 8.5, font: sansBold, color: INK });
  page.drawText("Program administrator", { x: 60, y: footY + 11, size: 7.5, font: sans, color: MUTED });

  const qrSize = 70;
  const qrX = W - 60 - qrSize;
  const qrY = footY;
  const qr = QRCode.create(meta.verifyUrl, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  // A quiet zone of 2 modules, then one square per dark module.
  const cell = qrSize / (n + 4);
  page.drawRectangle({ x: qrX, y: qrY, width: qrSize, height: qrSize, color: rgb(1, 1, 1) });
  // One rectangle per horizontal run of dark modules keeps the page small and fast to draw.
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      let end = c;
      while (end + 1 < n && qr.modules.get(r, end + 1)) end++;
      page.drawRectangle({ x: qrX + (c + 2) * cell, y: qrY + qrSize - (r + 3) * cell, width: (end - c + 1) * cell, height: cell, color: rgb(0, 0, 0) });
      c = end;
    }
  }
  const verifyX = 330;
  page.drawText("VERIFY THIS CERTIFICATE", { x: verifyX, y: footY + 50, size: 7, font: sansBold, color: TEAL });
  page.drawText(`Certificate ID ${meta.publicId}`, { x: verifyX, y: footY + 37, size: 9, font: sansBold, color: INK });
  page.drawText(toWinAnsi(meta.verifyUrl), { x: verifyX, y: footY + 25, size: fitSize(meta.verifyUrl, sans, 7.5, qrX - verifyX - 10, 5.5), font: sans, color: NAVY });
  page.drawText(`Issued ${formatDate(s.completedAt)}`, { x: verifyX, y: footY + 13, size: 7.5, font: sans, color: MUTED });

  return pdf.save({ useObjectStreams: false });
}
