import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import fontkit from "@pdf-lib/fontkit";
import bidiFactory from "bidi-js";
import type { Color, PDFDocument, PDFFont, PDFName, PDFOperator, PDFPage } from "pdf-lib";
import { beginText, endText, PDFHexString, popGraphicsState, pushGraphicsState, rgb, setFillingColor, setFontAndSize, setTextMatrix, showText } from "pdf-lib";

/**
 * Text in any script for pdf-lib documents (certificates, transcripts), set in
 * the Noto fonts from fontsource (OFL 1.1; docs/decisions/017-certificate-fonts.md).
 *
 *   const writer = createTextWriter(pdf);            // registers fontkit on the document
 *   writer.width("Zoë Ōkami 李小龍", 12, "bold");      // points, synchronous
 *   await writer.draw(page, text, { x, y, size, weight: "bold", color, align: "center" });
 *   wrapText(writer, text, size, maxWidth, weight);  // lines for a paragraph
 *
 * How a string is set: each character gets the first Noto file that has a
 * glyph for it (Noto Sans for Latin, Greek, Cyrillic and Vietnamese, then Noto
 * Sans Hebrew, Arabic, SC for Han and kana, KR for Hangul), found from the
 * `unicode-range`s of fontsource's CSS, read once per weight. Marks, spaces,
 * digits and punctuation stay in the font of the letter before them when it
 * has them, so a word is not cut into runs needlessly. The runs are put in
 * visual order with the Unicode bidi algorithm (bidi-js): right-to-left runs
 * (Arabic, Hebrew) are shaped right to left by fontkit, which also joins Arabic
 * letters, and numbers inside them stay left to right. Only the font files a
 * document uses are embedded, each as a subset of the glyphs drawn, with a
 * ToUnicode map so copied or extracted text reads as the original characters.
 *
 * A character no font has is drawn as its compatibility decomposition (NFKD)
 * when the fonts have all of that, else as U+FFFD "�": a learner's certificate
 * never fails to render. Each such character is logged once per process and
 * listed in `writer.missing`.
 *
 * Also exported: `baseDirection(text)` (a paragraph's direction),
 * `breakOpportunities(word)` (where a line may break inside a word) and
 * `woffToSfnt` (how the fontsource files are read; see there).
 *
 * `draw` is async only because pdf-lib embeds a font asynchronously. Glyphs
 * are placed where fontkit's layout puts them (kerning, Arabic dots) and widths
 * come from the same layout, so what is measured is what is drawn.
 */

export type Weight = "regular" | "bold";

export interface DrawOptions {
  /** Where the text starts (align "left"), is centred on ("center") or ends ("right"). */
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  weight?: Weight;
  color?: Color;
  align?: "left" | "center" | "right";
  /** Paragraph direction; by default from the first strong character. */
  direction?: "ltr" | "rtl";
}

export interface TextWriter {
  /** Width in points of one line of text. */
  width(text: string, size: number, weight?: Weight): number;
  /** Draws one line; resolves to its width in points. */
  draw(page: PDFPage, text: string, options: DrawOptions): Promise<number>;
  /** The `widthOfTextAtSize` shape of a pdf-lib font, for layout code written against one. */
  measurer(weight?: Weight): { widthOfTextAtSize(text: string, size: number): number };
  /** Characters that no font has, drawn as a replacement. */
  readonly missing: ReadonlySet<string>;
}

type FontkitFont = ReturnType<typeof fontkit.create>;
interface FontFile {
  file: string;
  ranges: Array<[number, number]>;
}

const require = createRequire(import.meta.url);
// Preference order: the first family with a glyph for a character sets it.
const FAMILIES = ["noto-sans", "noto-sans-hebrew", "noto-sans-arabic", "noto-sans-sc", "noto-sans-kr"] as const;
const WEIGHTS: Record<Weight, number> = { regular: 400, bold: 700 };
const REPLACEMENT = "\ufffd";

function packageDir(family: string): string {
  return path.dirname(require.resolve(`@fontsource/${family}/package.json`));
}

function parseRanges(list: string): Array<[number, number]> {
  return list.split(",").map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
  });
}

const fileLists = new Map<Weight, FontFile[]>();
/** Every fontsource file of a weight with its unicode-range, in preference order; read once. */
function fontFiles(weight: Weight): FontFile[] {
  let list = fileLists.get(weight);
  if (list) return list;
  list = [];
  for (const family of FAMILIES) {
    const dir = packageDir(family);
    const css = fs.readFileSync(path.join(dir, `${WEIGHTS[weight]}.css`), "utf8");
    for (const face of css.split("@font-face").slice(1)) {
      const woff = /url\(\.\/files\/([^)]+\.woff)\)/.exec(face);
      const range = /unicode-range:\s*([^;]+);/.exec(face);
      if (woff && range) list.push({ file: path.join(dir, "files", woff[1]!), ranges: parseRanges(range[1]!) });
    }
  }
  fileLists.set(weight, list);
  return list;
}

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum = (sum + ((data[i]! << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0))) >>> 0;
  return sum;
}

/**
 * Every glyph record of a TrueType font padded to a multiple of 4 bytes, with a
 * long-format loca. fontkit's subsetter copies glyph records as they are but
 * may write the short loca format, which can only address even offsets: Noto
 * Sans Arabic has odd-length records, and its subsets came out with the glyphs
 * after the first odd one unreadable (blank letters in the PDF).
 */
function padGlyphs(tables: Map<string, Buffer>): void {
  const [head, loca, glyf, maxp] = [tables.get("head"), tables.get("loca"), tables.get("glyf"), tables.get("maxp")];
  if (!head || !loca || !glyf || !maxp) return; // CFF outlines: no glyf table to fix
  const long = head.readInt16BE(50) === 1;
  const count = maxp.readUInt16BE(4);
  const offset = (i: number) => (long ? loca.readUInt32BE(i * 4) : loca.readUInt16BE(i * 2) * 2);
  const newLoca = Buffer.alloc((count + 1) * 4);
  const records: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    newLoca.writeUInt32BE(at, i * 4);
    const record = glyf.subarray(offset(i), offset(i + 1));
    const padded = Buffer.alloc((record.length + 3) & ~3);
    record.copy(padded);
    records.push(padded);
    at += padded.length;
  }
  newLoca.writeUInt32BE(at, count * 4);
  const newHead = Buffer.from(head);
  newHead.writeInt16BE(1, 50);
  tables.set("head", newHead).set("loca", newLoca).set("glyf", Buffer.concat(records));
}

/**
 * The font of a fontsource WOFF file as a plain TrueType file (WOFF 1.0 is an
 * sfnt with zlib-compressed tables), glyphs padded (see padGlyphs). fontkit
 * can read WOFF itself, but inflates it in JavaScript, and pdf-lib parses the
 * font again for every document: unpacked once with node's zlib, a
 * certificate renders several times faster.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF 1.0 file");
  const numTables = woff.readUInt16BE(12);
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const stored = woff.subarray(offset, offset + compLength);
    tables.set(woff.toString("latin1", at, at + 4), compLength < origLength ? zlib.inflateSync(stored) : stored);
  }
  padGlyphs(tables);
  const tags = [...tables.keys()].sort();
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(woff.readUInt32BE(4), 0); // the flavor: TrueType or CFF outlines
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    header.write(tag, 12 + i * 16, "latin1");
    header.writeUInt32BE(checksum(data), 12 + i * 16 + 4);
    header.writeUInt32BE(offset, 12 + i * 16 + 8);
    header.writeUInt32BE(data.length, 12 + i * 16 + 12);
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

const loaded = new Map<string, { bytes: Uint8Array; font: FontkitFont }>();
function load(file: string) {
  let entry = loaded.get(file);
  if (!entry) {
    const bytes = woffToSfnt(fs.readFileSync(file));
    entry = { bytes, font: fontkit.create(bytes) };
    loaded.set(file, entry);
  }
  return entry;
}

function covers(file: string, cp: number): boolean {
  return load(file).font.hasGlyphForCodePoint(cp);
}

const choices = new Map<string, string | null>();
/** The first file whose range lists the code point and whose font really has it. */
function fileFor(cp: number, weight: Weight): string | null {
  const key = `${weight}:${cp}`;
  if (choices.has(key)) return choices.get(key)!;
  const hit = fontFiles(weight).find((f) => f.ranges.some(([a, b]) => cp >= a && cp <= b) && covers(f.file, cp));
  choices.set(key, hit?.file ?? null);
  return hit?.file ?? null;
}

const reported = new Set<string>();
function report(ch: string) {
  if (reported.has(ch)) return;
  reported.add(ch);
  console.warn(`[pdf] no font has U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}; drawn as a replacement`);
}

const bidi = bidiFactory();
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** A piece of a line set in one file at one bidi level, in logical order. */
interface Run {
  text: string;
  file: string;
  level: number;
}

/** Characters that go with the letter before them when its font has them. */
const FOLLOWER = /[\p{M}\p{Cf}\p{Zs}\p{N}\p{P}\p{S}]/u;

/** Replaces what no font has, so every character of the result has a file. */
function coverable(text: string, weight: Weight, missing: Set<string>): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (fileFor(cp, weight) || /\p{Cf}/u.test(ch)) {
      out += ch;
      continue;
    }
    const folded = ch.normalize("NFKD");
    if (folded !== ch && [...folded].every((c) => fileFor(c.codePointAt(0)!, weight))) {
      out += folded;
      continue;
    }
    missing.add(ch);
    report(ch);
    out += REPLACEMENT;
  }
  return out;
}

/** Splits a line into runs in visual order, each ready to hand to pdf-lib's drawText. */
function visualRuns(raw: string, weight: Weight, missing: Set<string>, direction?: "ltr" | "rtl"): Run[] {
  const text = coverable(raw.replace(/[\r\n\t]+/g, " "), weight, missing);
  if (!text) return [];
  const embedding = bidi.getEmbeddingLevels(text, direction ?? "auto");
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);
  const runs: Run[] = [];
  let i = 0;
  for (const ch of text) {
    const level = embedding.levels[i]!;
    const out = mirrored.get(i) ?? ch;
    i += ch.length;
    const cp = out.codePointAt(0)!;
    const last = runs[runs.length - 1];
    // A format character (ZWJ, ZWNJ) only makes sense inside its word's run.
    // A follower (mark, space, digit, punctuation) or another letter of the
    // same file joins the run before it when that run's font has it.
    if (last && last.level === level && (FOLLOWER.test(out) || fileFor(cp, weight) === last.file) && (covers(last.file, cp) || /\p{Cf}/u.test(out))) {
      last.text += out;
      continue;
    }
    const file = fileFor(cp, weight);
    if (!file) continue; // an invisible format character outside a word
    if (last && last.level === level && last.file === file) last.text += out;
    else runs.push({ text: out, file, level });
  }
  // Within a run at an odd level the glyphs go right to left. fontkit does that
  // itself for a right-to-left script; a run with none (punctuation between
  // Arabic words, say) is reversed here, by grapheme.
  for (const run of runs) {
    if (run.level % 2 === 1 && load(run.file).font.layout(run.text).direction !== "rtl") {
      run.text = [...graphemes.segment(run.text)].map((s) => s.segment).reverse().join("");
    }
  }
  // Rule L2 of the bidi algorithm, on whole runs: from the highest level down
  // to the lowest odd one, reverse every stretch of runs at that level or above.
  const levels = runs.map((r) => r.level);
  const max = Math.max(...levels);
  const lowestOdd = Math.min(...levels.map((l) => (l % 2 ? l : l + 1)));
  for (let level = max; level >= lowestOdd; level--) {
    for (let start = 0; start < runs.length; start++) {
      if (runs[start]!.level < level) continue;
      let end = start;
      while (end + 1 < runs.length && runs[end + 1]!.level >= level) end++;
      runs.splice(start, end - start + 1, ...runs.slice(start, end + 1).reverse());
      start = end;
    }
  }
  return runs;
}

const unitWidths = new Map<string, number>();
/** Width of a run at size 1: the sum of its shaped glyphs' advances (with kerning), as drawn. */
function unitWidth(run: Run): number {
  const key = `${run.file}\u0000${run.text}`;
  let w = unitWidths.get(key);
  if (w === undefined) {
    const { font } = load(run.file);
    w = font.layout(run.text).positions.reduce((sum, p) => sum + p.xAdvance, 0) / font.unitsPerEm;
    unitWidths.set(key, w);
  }
  return w;
}

// A page's resource name for each font, made once rather than per run.
const fontKeys = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();
function fontKey(page: PDFPage, font: PDFFont): PDFName {
  let keys = fontKeys.get(page);
  if (!keys) fontKeys.set(page, (keys = new Map()));
  let key = keys.get(font);
  if (!key) keys.set(font, (key = page.node.newFontDictionary(font.name, font.ref)));
  return key;
}

/**
 * The operators that draw one run with fontkit's glyph positions. pdf-lib's
 * drawText sets glyphs by their advance widths only, which would leave
 * Arabic's dots (separate mark glyphs in Noto Sans Arabic, placed by the
 * font's GPOS table) and kerning out. The run is encoded by pdf-lib (which adds
 * its glyphs to the subset and the ToUnicode map), then split into pieces that
 * each start at their own position: a new piece wherever a glyph is offset or
 * its advance differs from its width.
 */
function runOperators(page: PDFPage, font: PDFFont, run: Run, x: number, y: number, size: number, color: Color): PDFOperator[] | null {
  const hex = font.encodeText(run.text).asString();
  const { font: fk } = load(run.file);
  const { glyphs, positions } = fk.layout(run.text);
  const scale = size / fk.unitsPerEm;
  // Both shape the same bytes with the same fontkit, so this cannot differ; if it ever did, the caller draws plainly.
  if (hex.length !== glyphs.length * 4) return null;
  const ops = [pushGraphicsState(), beginText(), setFillingColor(color), setFontAndSize(fontKey(page, font), size)];
  let pen = x;
  let piece = "";
  let pieceAt: [number, number] = [x, y];
  const flush = () => {
    if (piece) ops.push(setTextMatrix(1, 0, 0, 1, pieceAt[0], pieceAt[1]), showText(PDFHexString.of(piece)));
    piece = "";
  };
  glyphs.forEach((glyph, i) => {
    const p = positions[i]!;
    if (p.xOffset || p.yOffset || !piece) {
      flush();
      pieceAt = [pen + p.xOffset * scale, y + p.yOffset * scale];
    }
    piece += hex.slice(i * 4, i * 4 + 4);
    pen += p.xAdvance * scale;
    // The next glyph starts where the font's advance puts it, not where this glyph's width would.
    if (p.xOffset || p.yOffset || p.xAdvance !== glyph.advanceWidth) flush();
  });
  flush();
  ops.push(endText(), popGraphicsState());
  return ops;
}

export function createTextWriter(pdf: PDFDocument): TextWriter {
  pdf.registerFontkit(fontkit);
  const missing = new Set<string>();
  const embedded = new Map<string, Promise<PDFFont>>();
  const embed = (file: string) => {
    let font = embedded.get(file);
    if (!font) {
      // A subset font's name starts with a tag of six capitals, distinct within the document (PDF 32000 §9.6.4).
      const tag = [...embedded.size.toString(26).padStart(6, "0")].map((d) => String.fromCharCode(65 + parseInt(d, 26))).join("");
      embedded.set(file, (font = pdf.embedFont(load(file).bytes, { subset: true, customName: `${tag}+${load(file).font.postscriptName}` })));
    }
    return font;
  };
  const measured = new Map<string, number>();
  const width = (text: string, size: number, weight: Weight = "regular") => {
    const key = `${weight}\u0000${text}`;
    let w = measured.get(key);
    if (w === undefined) measured.set(key, (w = visualRuns(text, weight, missing).reduce((sum, run) => sum + unitWidth(run), 0)));
    return w * size;
  };
  return {
    missing,
    width,
    measurer: (weight: Weight = "regular") => ({ widthOfTextAtSize: (text: string, size: number) => width(text, size, weight) }),
    async draw(page, text, { x, y, size, weight = "regular", color = rgb(0, 0, 0), align = "left", direction }) {
      const runs = visualRuns(text, weight, missing, direction);
      const total = runs.reduce((sum, run) => sum + unitWidth(run) * size, 0);
      let pen = align === "center" ? x - total / 2 : align === "right" ? x - total : x;
      for (const run of runs) {
        const font = await embed(run.file);
        const ops = runOperators(page, font, run, pen, y, size, color);
        if (ops) page.pushOperators(...ops);
        else page.drawText(run.text, { x: pen, y, size, font, color });
        pen += unitWidth(run) * size;
      }
      return total;
    },
  };
}

/** The direction of a paragraph, from its first strong character (left to right if none). */
export function baseDirection(text: string): "ltr" | "rtl" {
  return (bidi.getEmbeddingLevels(text, "auto").paragraphs[0]?.level ?? 0) % 2 ? "rtl" : "ltr";
}

const ARABIC_LETTER = /[\p{Script=Arabic}\u200c\u200d]/u;

/**
 * The places a line may break inside a word (UTF-16 offsets): between any two
 * graphemes (CJK names have no spaces), but never inside an Arabic word,
 * whose letters join.
 */
export function breakOpportunities(word: string): number[] {
  const cuts: number[] = [];
  let prev = "";
  for (const { segment, index } of graphemes.segment(word)) {
    if (index > 0 && !(ARABIC_LETTER.test(prev.slice(-1)) && ARABIC_LETTER.test(segment[0]!))) cuts.push(index);
    prev = segment;
  }
  return cuts;
}

/**
 * Lines of at most `maxWidth` points, broken at spaces, and inside a word only
 * if it alone is too wide. Words are measured one by one (a line's width is the
 * sum of its words and spaces: no shaping crosses a space, only the odd kerning
 * pair with a space, a hair's width), which keeps fitting a long paragraph at
 * many sizes fast.
 */
export function wrapText(writer: Pick<TextWriter, "width">, text: string, size: number, maxWidth: number, weight: Weight = "regular"): string[] {
  const space = writer.width(" ", size, weight);
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = writer.width(word, size, weight);
    if (line && lineWidth + space + w <= maxWidth) {
      line = `${line} ${word}`;
      lineWidth += space + w;
      continue;
    }
    if (line) lines.push(line);
    [line, lineWidth] = [word, w];
    // A word wider than the line is cut where it may be, as late as fits.
    while (writer.width(line, size, weight) > maxWidth) {
      const cut = breakOpportunities(line).filter((c) => writer.width(line.slice(0, c), size, weight) <= maxWidth).pop();
      if (cut === undefined) break;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
      lineWidth = writer.width(line, size, weight);
    }
  }
  if (line) lines.push(line);
  return lines;
}
