import { PDFDocument, rgb, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { baseDirection, breakOpportunities, createTextWriter, wrapText, type TextWriter, type Weight } from "./fonts.server.ts";
import { scorePercent } from "./score.ts";
import type { CertificateSnapshot } from "./snapshot.server.ts";

/**
 * The certificate as a one-page PDF, US Letter landscape. All text is set in
 * embedded subsets of the Noto fonts (./fonts.server.ts), so a name or title
 * in any script prints as stored. Every snapshot field is on the page, with the
 * verification URL and a QR code for it.
 */

const NAVY = rgb(0.078, 0.227, 0.4);
const TEAL = rgb(0.122, 0.435, 0.4);
const INK = rgb(0.12, 0.16, 0.2);
const MUTED = rgb(0.35, 0.4, 0.45);
const RULE = rgb(0.78, 0.82, 0.86);

async function centered(w: TextWriter, page: PDFPage, text: string, y: number, weight: Weight, size: number, color = INK, direction?: "ltr" | "rtl") {
  await w.draw(page, text, { x: page.getWidth() / 2, y, size, weight, color, align: "center", direction });
}

/** Largest size (down to `min`) at which the text fits the width on one line. */
function fitSize(w: TextWriter, text: string, weight: Weight, size: number, width: number, min: number): number {
  let s = size;
  while (s > min && w.width(text, s, weight) > width) s -= 0.5;
  return s;
}

/** The name sits between the frame's margins: 80 pt each side of the page. */
export const NAME_WIDTH = 792 - 160;
/** One line from 26 pt down to 14 pt; then two lines from 18 pt down to 10 pt. */
const NAME_SIZES = { oneLine: [26, 14], twoLines: [18, 10] } as const;

/** What layout needs of a font: pdf-lib's PDFFont and `TextWriter.measurer()` both have it. */
export type Measure = { widthOfTextAtSize(text: string, size: number): number };

/**
 * The best place to break a name in two: the narrowest longer half, at a space
 * if one fits, else between letters (a CJK name has no spaces) but never inside
 * an Arabic word; null when there is no place at all (one long Arabic word).
 */
function splitInTwo(text: string, font: Measure, width: number, minSize: number): [string, string] | null {
  // `mustFit`: only a break after which both halves fit at the floor size.
  const best = (cuts: number[], mustFit: boolean): [string, string] | null => {
    let pick: [string, string] | null = null;
    let pickWidth = Infinity;
    for (const cut of cuts) {
      const a = text.slice(0, cut).trim();
      const b = text.slice(cut).trim();
      if (!a || !b) continue;
      const w = Math.max(font.widthOfTextAtSize(a, 1), font.widthOfTextAtSize(b, 1));
      if (w < pickWidth) [pick, pickWidth] = [[a, b], w];
    }
    return pick && (!mustFit || pickWidth * minSize <= width) ? pick : null;
  };
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  const inWords = breakOpportunities(text).filter((i) => text[i - 1] !== " " && text[i] !== " ");
  return best(spaces, true) ?? best(inWords, true) ?? best([...spaces, ...inWords], false);
}

/**
 * How the learner's name is set so that it always fits the page: the largest
 * size on one line, else on two lines; a name longer than the name rule allows
 * (an older record) goes below the floor rather than past the edge. Widths are
 * measured with the font the name is drawn in, for a name in any script.
 */
export function layoutName(name: string, font: Measure, width: number = NAME_WIDTH): { size: number; lines: string[] } {
  const text = name.replace(/\s+/g, " ").trim();
  const fits = (line: string, size: number) => font.widthOfTextAtSize(line, size) <= width;
  for (let size: number = NAME_SIZES.oneLine[0]; size >= NAME_SIZES.oneLine[1]; size -= 0.5) {
    if (fits(text, size)) return { size, lines: [text] };
  }
  const [floor, ceiling] = [NAME_SIZES.twoLines[1], NAME_SIZES.twoLines[0]];
  const lines = splitInTwo(text, font, width, floor) ?? [text];
  for (let size: number = ceiling; size >= floor; size -= 0.5) {
    if (lines.every((l) => fits(l, size))) return { size, lines };
  }
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, 1)));
  return { size: Math.floor((width / widest) * 10) / 10, lines };
}

async function paragraph(w: TextWriter, page: PDFPage, text: string, x: number, y: number, width: number, weight: Weight, size: number, color = INK, leading = size * 1.25): Promise<number> {
  for (const line of wrapText(w, text, size, width, weight)) {
    await w.draw(page, line, { x, y, size, weight, color });
    y -= leading;
  }
  return y;
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

export async function renderCertificatePdf(s: CertificateSnapshot, meta: { publicId: string; verifyUrl: string; status: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // pdf-lib writes metadata as UTF-16 when it is not ASCII: any script goes in as is.
  pdf.setTitle(`Certificate of completion: ${s.course.title}`);
  pdf.setAuthor(s.provider.name);
  pdf.setSubject(`${s.learnerName}, ${s.ceHours} CE hours, certificate ${meta.publicId}`);
  pdf.setCreationDate(new Date(s.completedAt));
  const page = pdf.addPage([792, 612]);
  const w = createTextWriter(pdf);
  const W = page.getWidth();
  const H = page.getHeight();

  // Frame: an outer navy rule and an inner thin teal rule.
  page.drawRectangle({ x: 18, y: 18, width: W - 36, height: H - 36, borderColor: NAVY, borderWidth: 3 });
  page.drawRectangle({ x: 26, y: 26, width: W - 52, height: H - 52, borderColor: TEAL, borderWidth: 0.8 });

  if (meta.status !== "valid") {
    await centered(w, page, meta.status === "revoked" ? "REVOKED" : "REPLACED: see the verification page for the current certificate", H - 44, "bold", 11, rgb(0.7, 0.1, 0.1));
  }

  // Header.
  await centered(w, page, s.provider.name.toUpperCase(), H - 62, "bold", 10, TEAL);
  await centered(w, page, "Certificate of Completion", H - 100, "bold", 30, NAVY);
  await centered(w, page, "Continuing education: self-paced home study", H - 120, "regular", 10, MUTED);

  // Learner: a name on two lines moves the line above it up to make room.
  const name = layoutName(s.learnerName, w.measurer("bold"), W - 160);
  // Both lines of a name keep the direction of the whole name.
  const direction = baseDirection(s.learnerName);
  await centered(w, page, "This certifies that", name.lines.length > 1 ? H - 140 : H - 150, "regular", 12, INK);
  if (name.lines.length === 1) await centered(w, page, name.lines[0]!, H - 180, "bold", name.size, INK, direction);
  else for (const [i, line] of name.lines.entries()) await centered(w, page, line, H - 182 - (i - 1) * name.size * 1.1, "bold", name.size, INK, direction);
  page.drawLine({ start: { x: 196, y: H - 188 }, end: { x: W - 196, y: H - 188 }, thickness: 0.6, color: RULE });
  const licenseLine = s.licenses.length ? `License${s.licenses.length > 1 ? "s" : ""}: ${s.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ")}` : "License: not provided";
  await centered(w, page, licenseLine, H - 202, "regular", fitSize(w, licenseLine, "regular", 9.5, W - 120, 6.5), INK);

  // Course.
  await centered(w, page, "has completed the course", H - 224, "regular", 12, INK);
  const titleSize = fitSize(w, s.course.title, "bold", 18, W - 140, 11);
  await centered(w, page, s.course.title, H - 246, "bold", titleSize, NAVY);
  await centered(w, page, `Course ID ${s.course.id} · content version ${s.course.version}`, H - 260, "regular", 8.5, MUTED);

  // Key facts in a row of four.
  const facts: Array<[string, string]> = [
    ["CE hours", `${s.ceHours} (60-minute hours)`],
    ["Completed", formatDate(s.completedAt)],
    ["Format", "Self-paced home study"],
    ["Level", s.level[0]!.toUpperCase() + s.level.slice(1)],
  ];
  const colW = (W - 120) / facts.length;
  for (const [i, [label, value]] of facts.entries()) {
    const x = 60 + i * colW;
    await w.draw(page, label.toUpperCase(), { x, y: H - 286, size: 7, weight: "bold", color: TEAL });
    await w.draw(page, value, { x, y: H - 299, size: 10.5, weight: "bold", color: INK });
  }
  const details = `Delivery: ${s.deliveryFormat}. Post-test score ${scorePercent(s.postTestScore)}% (average of module quizzes). Evaluation submitted ${formatDate(s.evaluationDate)}; attestation signed ${formatDate(s.attestationDate)}.`;
  await paragraph(w, page, details, 60, H - 316, W - 120, "regular", 8, MUTED);

  page.drawLine({ start: { x: 60, y: H - 336 }, end: { x: W - 60, y: H - 336 }, thickness: 0.6, color: RULE });

  // Two columns: objectives (left) and approvals (right), sized to fit above the footer.
  const leftX = 60;
  const rightX = 408;
  const colWidth = 324;
  const top = H - 352;
  const bottom = 128;
  await w.draw(page, "LEARNING OBJECTIVES", { x: leftX, y: top, size: 7, weight: "bold", color: TEAL });
  await w.draw(page, "APPROVALS", { x: rightX, y: top, size: 7, weight: "bold", color: TEAL });

  const objectiveBlocks = s.objectives.map((o, i) => ({ text: `${i + 1}. ${o}`, weight: "regular" as Weight, gap: 1.5 }));
  const approvalBlocks = s.approvals.length
    ? s.approvals.flatMap((a) => [
        { text: `${a.body}${a.sample ? " (SAMPLE statement for a demo provider, not a real approval)" : ""}: ${a.credits} ${a.creditType}; provider no. ${a.providerNumber}; approval period ${a.period}.`, weight: "bold" as Weight, gap: 0 },
        { text: a.statement, weight: "regular" as Weight, gap: 3 },
      ])
    : [{ text: "No accreditor approval is stated for this course.", weight: "regular" as Weight, gap: 0 }];
  for (const [blocks, x] of [[objectiveBlocks, leftX], [approvalBlocks, rightX]] as const) {
    const height = (size: number) => blocks.reduce((h, b) => h + wrapText(w, b.text, size, colWidth, b.weight).length * size * 1.22 + b.gap, 0);
    let size = 7.6;
    while (size > 5 && height(size) > top - 11 - bottom) size -= 0.2;
    let y = top - 11;
    for (const b of blocks) y = (await paragraph(w, page, b.text, x, y, colWidth, b.weight, size, INK, size * 1.22)) - b.gap;
  }

  // Footer: provider, signature, verification.
  const footY = 48;
  await paragraph(w, page, `${s.provider.name} · ${s.provider.address} · ${s.provider.url}`, 60, footY + 60, 250, "regular", 7, MUTED);
  page.drawLine({ start: { x: 60, y: footY + 34 }, end: { x: 300, y: footY + 34 }, thickness: 0.8, color: INK });
  await w.draw(page, `${s.signatory.name}, ${s.signatory.credentials}`, { x: 60, y: footY + 22, size: 8.5, weight: "bold", color: INK });
  await w.draw(page, "Program administrator", { x: 60, y: footY + 11, size: 7.5, color: MUTED });

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
  await w.draw(page, "VERIFY THIS CERTIFICATE", { x: verifyX, y: footY + 50, size: 7, weight: "bold", color: TEAL });
  await w.draw(page, `Certificate ID ${meta.publicId}`, { x: verifyX, y: footY + 37, size: 9, weight: "bold", color: INK });
  await w.draw(page, meta.verifyUrl, { x: verifyX, y: footY + 25, size: fitSize(w, meta.verifyUrl, "regular", 7.5, qrX - verifyX - 10, 5.5), color: NAVY });
  await w.draw(page, `Issued ${formatDate(s.completedAt)}`, { x: verifyX, y: footY + 13, size: 7.5, color: MUTED });

  return pdf.save({ useObjectStreams: false });
}
