import { z } from "zod";

/**
 * The rules for a person's name, wherever one is set (sign-up, profile). The
 * name is printed on certificates and shown on the public verify page, so it
 * must read exactly as it is stored: invisible characters that reorder or hide
 * text are refused, each with a message naming it. Letters of any script, with
 * combining marks, apostrophes, hyphens, dots and digits are kept.
 *
 * 80 characters: long multi-part names (two given names, two family names and a
 * suffix) fit, and the certificate prints any 80-character name in full, on at
 * most two lines (app/certificates/pdf.server.ts).
 */
export const NAME_MAX_LENGTH = 80;

/** The Unicode bidirectional controls: they can make "Ana" display as something else. */
const BIDI_CONTROLS: Record<number, string> = {
  0x061c: "ARABIC LETTER MARK",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
};

const INVISIBLE_NAMES: Record<number, string> = {
  0x00ad: "SOFT HYPHEN",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x2060: "WORD JOINER",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
};

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
/**
 * Scripts whose spelling uses the zero-width (non-)joiner (Persian, Urdu, the
 * Indic scripts, ...): between two of their characters a joiner is part of the
 * name; anywhere else it only hides something.
 */
const JOINER_SCRIPTS =
  /[\p{scx=Arabic}\p{scx=Syriac}\p{scx=Thaana}\p{scx=Nko}\p{scx=Devanagari}\p{scx=Bengali}\p{scx=Gurmukhi}\p{scx=Gujarati}\p{scx=Oriya}\p{scx=Tamil}\p{scx=Telugu}\p{scx=Kannada}\p{scx=Malayalam}\p{scx=Sinhala}\p{scx=Myanmar}\p{scx=Khmer}]/u;

function codePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

function named(cp: number, names: Record<number, string>): string {
  const name = names[cp];
  return name ? `${codePoint(cp)} ${name}` : codePoint(cp);
}

/** What is wrong with a (trimmed) name, as the form shows it, or null. */
export function nameProblem(name: string): string | null {
  const chars = [...name];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (/\p{Cs}/u.test(ch)) return "Your name contains a broken character; type it again.";
    if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(ch)) {
      return `Your name contains a control character (${codePoint(cp)}, such as a tab or line break); type it on one line.`;
    }
    if (BIDI_CONTROLS[cp]) {
      return `Your name contains an invisible text-direction character (${named(cp, BIDI_CONTROLS)}), which can make it read differently from how it is stored. Remove it.`;
    }
    if (/\p{Cf}/u.test(ch)) {
      const joinerInWord = (cp === ZWNJ || cp === ZWJ) && JOINER_SCRIPTS.test(chars[i - 1] ?? "") && JOINER_SCRIPTS.test(chars[i + 1] ?? "");
      if (!joinerInWord) return `Your name contains an invisible character (${named(cp, INVISIBLE_NAMES)}). Remove it.`;
    }
    if (/[\p{Co}\p{Cn}]/u.test(ch)) return `Your name contains a character that is not a letter of any script (${codePoint(cp)}). Remove it.`;
  }
  if (/[<>{}]/.test(name)) return "Your name contains characters that are not allowed.";
  if (!/\p{L}/u.test(name)) return "Enter your name in letters.";
  return null;
}

/** One stored form: composed characters (NFC) and single plain spaces. */
export function normaliseName(name: string): string {
  return name.normalize("NFC").replace(/\p{Zs}+/gu, " ").trim();
}

export const nameSchema = z
  .string({ error: "Enter your full legal name." })
  .trim()
  .min(1, "Enter your full legal name.")
  .transform((raw, ctx) => {
    const problem = nameProblem(raw);
    if (problem) {
      ctx.issues.push({ code: "custom", message: problem, input: raw });
      return z.NEVER;
    }
    return normaliseName(raw);
  })
  .pipe(
    z
      .string()
      .refine((n) => [...n].length >= 2, "Enter your full legal name as it appears on your license.")
      .refine((n) => [...n].length <= NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters for your name.`),
  );
