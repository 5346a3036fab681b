import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, describe, expect, test, vi } from "vitest";
import { NAME_MAX_LENGTH, nameSchema } from "#app/auth/names.ts";
import { listCertificates, verifyUrl } from "#app/certificates/certificates.server.ts";
import { breakOpportunities, createTextWriter } from "#app/certificates/fonts.server.ts";
import { layoutName, NAME_WIDTH, renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import type { CertificateSnapshot } from "#app/certificates/snapshot.server.ts";
import { findCourse } from "#app/content/catalog.server.ts";
import { attestAndComplete } from "#app/progress/completion.server.ts";
import { createUser } from "#tests/db-utils.ts";
import { completeFixtureCourse } from "#tests/learning-utils.ts";

/**
 * Issue 19: a learner's name prints on the certificate in whatever script it
 * is written in. Each name is certified for real, the PDF read back with
 * poppler (pdftotext, pdffonts) and rendered to an image (pdftoppm); one PNG
 * per script goes to test-results/certificate-scripts/ for a human to look at.
 */

const course = (await findCourse("fixture-course"))!;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "kap-scripts-"));
const pngDir = path.resolve("test-results/certificate-scripts");
fs.mkdirSync(pngDir, { recursive: true });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const NAMES = {
  latin: "Zoë Ōkami-Ångström Łukasz",
  greek: "Ελένη Παπαδοπούλου",
  cyrillic: "Дмитрий Шостакович",
  vietnamese: "Nguyễn Thị Ngọc Ánh Hoàng Quốc Việt",
  chinese: "李小龍",
  japanese: "山田 はなこ タロウ",
  korean: "김민준 이서연",
  arabic: "محمد بن سلمان يحيى",
  hebrew: "שלום עליכם",
  mixed: "Zoë Ōkami 李小龍",
} as const;

async function certificateFor(name: string): Promise<CertificateSnapshot & { publicId: string }> {
  const user = await createUser({ name });
  await completeFixtureCourse(user.id, { attest: false });
  expect((await attestAndComplete(user.id, course, { confirmed: true, ip: "203.0.113.5", userAgent: "test" })).ok).toBe(true);
  const cert = (await listCertificates(user.id))[0]!;
  return { ...cert.snapshot, publicId: cert.publicId };
}

async function pdfFile(snapshot: CertificateSnapshot & { publicId: string }, file: string): Promise<{ file: string; bytes: number }> {
  const bytes = await renderCertificatePdf(snapshot, { publicId: snapshot.publicId, verifyUrl: verifyUrl(snapshot.publicId), status: "valid" });
  const out = path.join(work, `${file}.pdf`);
  fs.writeFileSync(out, bytes);
  return { file: out, bytes: bytes.length };
}

/**
 * The name's area, in points from the top left: inside the frame (its inner
 * rule is at 26 pt) and down to the rule under the name (188 pt). It starts
 * below "This certifies that" (baseline 150 pt), which moves up to 140 pt for a
 * name on two lines.
 */
const nameArea = (twoLines = false) => ({ x: 30, y: twoLines ? 143 : 153, w: 792 - 60, h: twoLines ? 44 : 34 });

/** The text poppler reads between "This certifies that" and the license line: the name, on one or two lines. */
function nameText(file: string): string {
  const page = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  const name = /This certifies that\n([\s\S]*?)\nLicense/.exec(page);
  expect(name, page).not.toBeNull();
  return name![1]!;
}

/**
 * What poppler returns, compared as text: poppler puts a right-to-left word
 * back in logical order (the order it was typed, which is also how the
 * ToUnicode map gives Arabic's joined forms: each contextual glyph maps back to
 * its letter) and wraps it in U+202B ... U+202C embedding marks; those marks
 * go, then NFKC folds any presentation form or compatibility character.
 */
function comparable(text: string): string {
  return text.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, "").normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** The name's area at 72 dpi in grey, parsed from pdftoppm's binary PGM: inked pixels and their horizontal extent. */
function ink(file: string, png?: string, twoLines = false): { pixels: number; left: number; right: number } {
  const { x, y, w, h } = nameArea(twoLines);
  const base = path.join(work, "area");
  execFileSync("pdftoppm", ["-gray", "-r", "72", "-x", `${x}`, "-y", `${y}`, "-W", `${w}`, "-H", `${h}`, "-singlefile", file, base]);
  const pgm = fs.readFileSync(`${base}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString("latin1", 0, 40))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let [count, left, right] = [0, Infinity, -Infinity];
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      if (pixels[row * width + col]! >= 128) continue;
      count++;
      left = Math.min(left, col);
      right = Math.max(right, col);
    }
  }
  if (png) execFileSync("pdftoppm", ["-png", "-r", "150", "-y", "180", "-H", "300", "-W", "1650", "-singlefile", file, path.join(pngDir, png)]);
  return { pixels: count, left: left + x, right: right + x };
}

/** pdffonts' table: each font's name and its emb, sub and uni columns. */
function fonts(file: string): Array<{ name: string; emb: string; sub: string; uni: string }> {
  const rows = execFileSync("pdffonts", [file], { encoding: "utf8" }).trim().split("\n").slice(2);
  return rows.map((row) => {
    const cols = row.trim().split(/\s+/);
    return { name: cols[0]!, emb: cols.at(-5)!, sub: cols.at(-4)!, uni: cols.at(-3)! };
  });
}

describe("a certificate prints the learner's name in any script", () => {
  for (const [script, name] of Object.entries(NAMES)) {
    test(`${script}: ${name}`, async () => {
      // The name rule accepts it as typed (letters of any script).
      expect(nameSchema.parse(name)).toBe(name);
      const warn = vi.spyOn(console, "warn");
      const snapshot = await certificateFor(name);
      expect(snapshot.learnerName).toBe(name);
      const { file, bytes } = await pdfFile(snapshot, script);

      // (a) The name comes back as text, with no "?" or replacement character.
      const text = comparable(nameText(file));
      expect(text).toBe(comparable(name));
      const page = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
      expect(page).not.toMatch(/[?\ufffd]/);
      expect(warn.mock.calls.flat().join(" ")).not.toMatch(/no font has/);
      warn.mockRestore();

      // (b) The name's area is inked, inside the frame, and a shorter name inks less of it.
      const full = ink(file, script);
      // Every letter is inked: 26 pt bold letters take 90 to 270 pixels each at 72 dpi; when
      // fontkit's subsets lost Arabic glyphs (decision 017) this name had under 30 per letter.
      expect(full.pixels / [...name.replace(/ /g, "")].length).toBeGreaterThan(60);
      expect(full.left).toBeGreaterThanOrEqual(80);
      expect(full.right).toBeLessThanOrEqual(792 - 80);
      const short = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(name)].slice(0, 2).map((s) => s.segment).join("");
      const shorter = ink((await pdfFile({ ...snapshot, learnerName: short }, `${script}-short`)).file);
      expect(shorter.pixels).toBeGreaterThan(0);
      expect(full.right - full.left).toBeGreaterThan(shorter.right - shorter.left);

      // (c) Every font is embedded as a subset with a Unicode map, and the file stays small:
      // under 300 KB even with CJK (each Noto SC or KR file is a slice of a few hundred characters).
      const used = fonts(file);
      expect(used.length).toBeGreaterThan(0);
      for (const f of used) expect(f, f.name).toMatchObject({ emb: "yes", sub: "yes", uni: "yes" });
      expect(bytes).toBeLessThan(300_000);
    });
  }

  test("only the font files a certificate uses are embedded", async () => {
    const latin = fonts((await pdfFile(await certificateFor("Ana María Ruiz"), "only-latin")).file).map((f) => f.name.replace(/^[A-Z]{6}\+/, ""));
    expect(new Set(latin)).toEqual(new Set(["NotoSans-Regular", "NotoSans-Bold"]));
    const arabic = fonts((await pdfFile(await certificateFor(NAMES.arabic), "only-arabic")).file).map((f) => f.name.replace(/^[A-Z]{6}\+/, ""));
    expect(new Set(arabic)).toEqual(new Set(["NotoSans-Regular", "NotoSans-Bold", "NotoSansArabic-Bold"]));
  });
});

describe("long names stay on the page", () => {
  // The widest Latin name the rule accepts (a realistic one fits one line at 14 pt).
  const longLatin = `${"WMWMWMWMW ".repeat(8).trim()}W`.slice(0, NAME_MAX_LENGTH);
  const longCjk = "李小龍山田花子金民俊".repeat(8).slice(0, NAME_MAX_LENGTH);
  const longArabic = "عبد الرحمن بن محمد بن عبد الله بن سلمان بن عبد العزيز بن فيصل بن تركي آل سعود";

  test("an 80-character name in Latin, in CJK and in Arabic shrinks or wraps to fit between the margins", async () => {
    const pdf = await PDFDocument.create();
    const writer = createTextWriter(pdf);
    const bold = writer.measurer("bold");
    for (const name of [longLatin, longCjk, longArabic, "Maria Guadalupe Wilhelmina Montgomery-Worthington MacWhirter de la Wolfe-Smith III".slice(0, NAME_MAX_LENGTH).trim()]) {
      expect([...nameSchema.parse(name)].length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
      const { size, lines } = layoutName(name, bold);
      expect(size).toBeGreaterThanOrEqual(10);
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const line of lines) expect(bold.widthOfTextAtSize(line, size)).toBeLessThanOrEqual(NAME_WIDTH);
      expect([lines.join(" "), lines.join("")]).toContain(name);
    }
    // Too wide for one line at 14 pt, both go on two lines. A CJK name has no spaces: it is broken between characters.
    expect(layoutName(longLatin, bold).lines).toHaveLength(2);
    expect(layoutName(longCjk, bold).lines).toHaveLength(2);
    expect(layoutName(longCjk, bold).lines.join("")).toBe(longCjk);
    // An Arabic name is broken between words, never inside one (its letters join).
    const words = new Set(longArabic.split(" "));
    for (const line of layoutName(longArabic, bold).lines) for (const word of line.split(" ")) expect(words).toContain(word);
  });

  test("the printed long names read back whole and draw nothing past the frame", async () => {
    for (const [i, name] of [longLatin, longCjk].entries()) {
      const { file } = await pdfFile(await certificateFor(name), `long-${i}`);
      expect(comparable(nameText(file)).replace(/ /g, "")).toBe(comparable(name).replace(/ /g, ""));
      const bbox = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
      for (const [, xMin, xMax, word] of bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)) {
        expect(Number(xMin), word).toBeGreaterThanOrEqual(26);
        expect(Number(xMax), word).toBeLessThanOrEqual(792 - 26);
      }
      const area = ink(file, `long-${i === 0 ? "latin" : "cjk"}`, true);
      expect(area.left).toBeGreaterThanOrEqual(80);
      expect(area.right).toBeLessThanOrEqual(792 - 80);
    }
  });
});

describe("the text writer", () => {
  test("lines break between CJK characters but never between two Arabic letters", () => {
    expect(breakOpportunities("李小龍")).toEqual([1, 2]);
    expect(breakOpportunities("محمد")).toEqual([]);
    // A surrogate pair and a letter with its combining mark stay whole.
    expect(breakOpportunities("𠀋a\u0301b")).toEqual([2, 4]);
  });

  test("a character no font has is drawn as a visible replacement, logged once, and the page still renders", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const pdf = await PDFDocument.create();
    const writer = createTextWriter(pdf);
    const page = pdf.addPage([400, 100]);
    // U+1F600 (an emoji) is in none of the Noto files.
    await writer.draw(page, "Ana \u{1F600} Ruiz \u{1F600}", { x: 20, y: 40, size: 20 });
    expect([...writer.missing]).toEqual(["\u{1F600}"]);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("U+1F600"))).toHaveLength(1);
    warn.mockRestore();
    const file = path.join(work, "missing.pdf");
    fs.writeFileSync(file, await pdf.save());
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).trim()).toBe("Ana \ufffd Ruiz \ufffd");
  });

  test("numbers inside right-to-left text keep left-to-right order, and runs are ordered visually", async () => {
    const pdf = await PDFDocument.create();
    const writer = createTextWriter(pdf);
    const page = pdf.addPage([500, 100]);
    await writer.draw(page, "שלום 2024 עליכם", { x: 20, y: 40, size: 20 });
    const file = path.join(work, "rtl-digits.pdf");
    fs.writeFileSync(file, await pdf.save());
    // Left to right on the page: the last word, the number as written, the first word. In
    // -bbox mode poppler gives a word's characters in the order they are drawn, so a
    // Hebrew word comes out mirrored and is read back right to left here.
    const words = [...execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" }).matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
      .map(([, x, w]) => ({ x: Number(x), w: /\p{Script=Hebrew}/u.test(w!) ? [...w!].reverse().join("") : w! }))
      .sort((a, b) => a.x - b.x)
      .map((w) => w.w);
    expect(words).toEqual(["עליכם", "2024", "שלום"]);
  });
});
