/**
 * A small detector of obvious client identifiers in a learner's case work, run
 * before a submission is stored. It looks for what HIPAA's Safe Harbor list names
 * first and a learner might paste by habit: full dates (a date of birth above all),
 * phone numbers, email addresses, street addresses and SSN-like numbers. It is a
 * safety net, not de-identification: it favours patterns that clinical prose does
 * not produce ("PHQ-9 of 14", "session 3 on day 2", "84 mg", "0.5 mg/kg"), so a
 * clean formulation passes and a careless one is stopped with a clear message.
 */

export type IdentifierKind = "date-of-birth" | "date" | "phone" | "email" | "address" | "ssn";

export type Finding = { kind: IdentifierKind; label: string; text: string; line: number; col: number };

const MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
/** Title case, as a street name is written ("12 Oak Street"): "3 weeks drive" is prose, not an address. */
const STREET = "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Parkway|Pkwy|Highway|Hwy)";

const DATEISH = `(?:\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{2,4}|${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+\\d{4})`;

/** Checked in this order; a span found by one pattern is not reported again by a later one. */
const PATTERNS: Array<{ kind: IdentifierKind; label: string; re: RegExp }> = [
  { kind: "date-of-birth", label: "a date of birth", re: new RegExp(`\\b(?:d\\.?o\\.?b\\.?|date of birth|birth ?date|born(?:\\s+on)?)\\s*[:-]?\\s*${DATEISH}`, "gi") },
  { kind: "email", label: "an email address", re: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g },
  { kind: "ssn", label: "a Social Security number", re: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g },
  { kind: "phone", label: "a phone number", re: /(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g },
  { kind: "date", label: "a full date", re: new RegExp(`\\b(?:${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+\\d{4})\\b`, "gi") },
  { kind: "date", label: "a full date", re: /(?<![\w/.-])(?:(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2]))[/.-](?:19|20)?\d{2}(?![\w/-]|\.\d)/g },
  { kind: "date", label: "a full date", re: /(?<![\w/.-])(?:19|20)\d{2}[/.-](?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])(?![\w/-]|\.\d)/g },
  { kind: "address", label: "a street address", re: new RegExp(`\\b\\d{1,6}\\s+(?:[A-Z][a-z]+\\.?\\s+){1,4}${STREET}\\b\\.?`, "g") },
];

/** Every identifier found, in reading order, with the line and column where it starts. */
export function findIdentifiers(text: string): Finding[] {
  const taken: Array<[number, number]> = [];
  const found: Array<Finding & { index: number }> = [];
  for (const { kind, label, re } of PATTERNS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const before = text.slice(0, start).split("\n");
      found.push({ kind, label, text: m[0].trim(), line: before.length, col: before.at(-1)!.length + 1, index: start });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ index: _index, ...f }) => f);
}

/** "a phone number on line 2 (555-201-3344)", joined into one sentence for the learner. */
export function describeFindings(findings: Finding[]): string {
  const parts = findings.map((f) => `${f.label} on line ${f.line}, column ${f.col} ("${f.text}")`);
  return `Your text seems to contain identifying client data: ${parts.join("; ")}. Remove or generalise it (e.g. "a woman in her 40s", "early spring") and submit again. Nothing was saved.`;
}
