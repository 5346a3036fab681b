import { splitFrontmatter } from "./compile.server.ts";
import type { Problem } from "./problems.ts";
import type { CourseYaml, ItemRule, QuizQuestion, QuizYaml } from "./schemas.ts";

/**
 * Item-writing rules for graded question banks (content/README.md, "Item-writing
 * rules"). Pure functions over the parsed banks, the lessons' texts and their
 * knowledge checks; each broken rule is an error at the line of the YAML key
 * concerned, unless the item, its bank or (for course-wide rules) course.yaml
 * waives that rule with a reason.
 */

type Position = { line: number; col: number };
export type PositionOf = (path: Array<string | number>) => Position;

/** A quiz bank that passed its schema, with the positions of its YAML keys. */
export type RuleBank = {
  /** quiz.yaml, relative to the project root. */
  file: string;
  /** The module folder name (e.g. 01.basics), used when naming items across the course. */
  moduleDir: string;
  quiz: QuizYaml;
  positionOf: PositionOf;
};

/** A knowledge check in a lesson: its question and its options, `answer` indexing the right one. */
export type RuleCheck = { line: number; col: number; question: string; options: string[]; answer: number };

/** A lesson that compiled: its source (for the prose) and its knowledge checks. */
export type RuleLesson = { file: string; source: string; checks: RuleCheck[] };

export type RuleCourse = { file: string; course: Pick<CourseYaml, "objectives" | "waivers">; positionOf: PositionOf };

/** A share above this is a habit, not chance (40%: with four options, chance is 25%). */
export const MAX_SHARE = 0.4;
/** The share rules (longest-key, key-position) need this many counted items: two items always put half their keys in one position. */
export const MIN_ITEMS_FOR_SHARE = 3;
/** Graded items each course objective needs. */
export const MIN_ITEMS_PER_OBJECTIVE = 3;

/** Rules a course.yaml waiver can waive; the others are per bank or per item. */
const COURSE_RULES: readonly ItemRule[] = ["true-false-keys", "multiple-key-count", "objective-coverage"];
/** Rules that concern a bank or a course as a whole; an item cannot waive them. */
const NOT_PER_ITEM: readonly ItemRule[] = ["bank-size", "objective-coverage"];

type ChoiceQuestion = Exclude<QuizQuestion, { type: "true-false" }>;

const waives = (waivers: ReadonlyArray<{ rule: ItemRule }>, rule: ItemRule) => waivers.some((w) => w.rule === rule);
/** The item or its bank waives the rule. */
const waived = (bank: Pick<RuleBank, "quiz">, q: QuizQuestion, rule: ItemRule) => waives(bank.quiz.waivers, rule) || waives(q.waivers, rule);
const percent = (share: number) => `${Math.round(share * 100)}%`;
const courseRelative = (bank: RuleBank) => `${bank.moduleDir}/quiz.yaml`;

/**
 * Checks every item-writing rule over a course's banks and lessons. The course-wide
 * rules need every bank: when one did not pass its schema (`complete` false), they
 * wait, rather than count a course with a bank missing.
 */
export function checkItemRules(course: RuleCourse, banks: RuleBank[], lessons: RuleLesson[], complete = true): Problem[] {
  const problems: Problem[] = [];
  problems.push(...checkWaiverPlacement(course, banks));
  const sources = lessonSources(lessons);
  for (const bank of banks) {
    problems.push(...checkLongestKey(bank), ...checkKeyPosition(bank), ...checkBankTrueFalse(bank), ...checkAllNoneAbove(bank), ...checkBankSize(bank));
    problems.push(...checkNearDuplicates(bank, sources));
  }
  if (complete) problems.push(...checkCourseTrueFalse(course, banks), ...checkMultipleKeyCount(course, banks), ...checkObjectiveCoverage(course, banks));
  return problems;
}

/** A waiver where it can have no effect is a warning: it says something no rule reads. */
function checkWaiverPlacement(course: RuleCourse, banks: RuleBank[]): Problem[] {
  const out: Problem[] = [];
  course.course.waivers.forEach((w, k) => {
    if (!COURSE_RULES.includes(w.rule)) {
      out.push({ file: course.file, ...course.positionOf(["waivers", k, "rule"]), severity: "warning", message: `waivers[${k}]: ${w.rule} is a rule for banks and items; waive it in the quiz.yaml concerned (course.yaml waives only ${COURSE_RULES.join(", ")})` });
    }
  });
  for (const bank of banks) {
    bank.quiz.waivers.forEach((w, k) => {
      if (w.rule === "objective-coverage") {
        out.push({ file: bank.file, ...bank.positionOf(["waivers", k, "rule"]), severity: "warning", message: `waivers[${k}]: objective-coverage counts items across the course; waive it in course.yaml` });
      }
    });
    bank.quiz.questions.forEach((q, i) => {
      q.waivers.forEach((w, k) => {
        if (NOT_PER_ITEM.includes(w.rule)) {
          out.push({ file: bank.file, ...bank.positionOf(["questions", i, "waivers", k, "rule"]), severity: "warning", message: `questions[${i}].waivers[${k}]: ${w.rule} is not a rule for a single item; waive it in ${w.rule === "bank-size" ? "the bank (quiz.yaml's top-level waivers)" : "course.yaml"}` });
        }
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Bank statistics (also printed by `npm run content:check -- --items`)

/** 0-based index of a single-choice item's keyed option in authored order (-1 when the key names no option). */
export function keyIndex(q: ChoiceQuestion): number {
  return q.options.findIndex((o) => o.id === q.answer[0]);
}

/** The keyed option is strictly longer (trimmed characters) than every other option. */
export function keyIsLongest(q: ChoiceQuestion): boolean {
  const key = q.options.find((o) => o.id === q.answer[0]);
  if (!key) return false;
  const length = key.text.trim().length;
  return q.options.every((o) => o === key || o.text.trim().length < length);
}

const singles = (bank: Pick<RuleBank, "quiz">) => bank.quiz.questions.filter((q): q is Extract<QuizQuestion, { type: "single" }> => q.type === "single");

export type BankStats = {
  file: string;
  size: number;
  draw: number;
  /** Single-choice items counted for key positions (not waiving key-position), by 0-based key position. */
  keyPositions: Array<{ position: number; ids: string[] }>;
  keyPositionItems: number;
  /** Single-choice items counted for the longest-key share, and those whose key is the single longest. */
  longestKeyItems: number;
  longestKeyed: string[];
  trueFalse: { true: string[]; false: string[] };
  /** Multi-select items by their number of correct options. */
  multipleKeyCounts: Array<{ correct: number; ids: string[] }>;
  perObjective: Array<{ objective: string; ids: string[] }>;
};

/** A bank's key positions, longest-keyed share, true/false and multi-select keys, and items per objective, as the rules count them. */
export function bankStats(bank: Pick<RuleBank, "file" | "quiz">): BankStats {
  const questions = bank.quiz.questions;
  const positionItems = singles(bank).filter((q) => !waived(bank, q, "key-position") && keyIndex(q) >= 0);
  const positions = new Map<number, string[]>();
  for (const q of positionItems) positions.set(keyIndex(q), [...(positions.get(keyIndex(q)) ?? []), q.id]);
  const longestItems = singles(bank).filter((q) => !waived(bank, q, "longest-key"));
  const trueFalse = { true: [] as string[], false: [] as string[] };
  for (const q of questions) if (q.type === "true-false" && !waived(bank, q, "true-false-keys")) trueFalse[q.answer ? "true" : "false"].push(q.id);
  const counts = new Map<number, string[]>();
  for (const q of questions) {
    if (q.type !== "multiple" || waived(bank, q, "multiple-key-count")) continue;
    const n = new Set(q.answer).size;
    counts.set(n, [...(counts.get(n) ?? []), q.id]);
  }
  const objectives = new Map<string, string[]>();
  for (const q of questions) objectives.set(q.objective, [...(objectives.get(q.objective) ?? []), q.id]);
  return {
    file: bank.file,
    size: questions.length,
    draw: bank.quiz.draw ?? questions.length,
    keyPositions: [...positions].sort((a, b) => a[0] - b[0]).map(([position, ids]) => ({ position, ids })),
    keyPositionItems: positionItems.length,
    longestKeyItems: longestItems.length,
    longestKeyed: longestItems.filter(keyIsLongest).map((q) => q.id),
    trueFalse,
    multipleKeyCounts: [...counts].sort((a, b) => a[0] - b[0]).map(([correct, ids]) => ({ correct, ids })),
    perObjective: [...objectives].map(([objective, ids]) => ({ objective, ids })),
  };
}

// ---------------------------------------------------------------------------
// Bank rules

function checkLongestKey(bank: RuleBank): Problem[] {
  if (waives(bank.quiz.waivers, "longest-key")) return [];
  const { longestKeyItems: n, longestKeyed } = bankStats(bank);
  if (n < MIN_ITEMS_FOR_SHARE || longestKeyed.length / n <= MAX_SHARE) return [];
  return [
    {
      file: bank.file,
      ...bank.positionOf(["questions"]),
      severity: "error",
      message: `questions: the keyed option is the single longest in ${longestKeyed.length} of ${n} single-choice items (more than ${percent(MAX_SHARE)}): ${longestKeyed.join(", ")}; make distractors as long and specific as the key`,
    },
  ];
}

function checkKeyPosition(bank: RuleBank): Problem[] {
  if (waives(bank.quiz.waivers, "key-position")) return [];
  const { keyPositions, keyPositionItems: n } = bankStats(bank);
  if (n < MIN_ITEMS_FOR_SHARE) return [];
  return keyPositions
    .filter((p) => p.ids.length / n > MAX_SHARE)
    .map((p) => ({
      file: bank.file,
      ...bank.positionOf(["questions"]),
      severity: "error" as const,
      message: `questions: the key is option ${p.position + 1} (in authored order) in ${p.ids.length} of ${n} single-choice items (more than ${percent(MAX_SHARE)}): ${p.ids.join(", ")}; vary where the key sits`,
    }));
}

function checkBankTrueFalse(bank: RuleBank): Problem[] {
  if (waives(bank.quiz.waivers, "true-false-keys")) return [];
  const { trueFalse } = bankStats(bank);
  const all = [...trueFalse.true, ...trueFalse.false];
  if (all.length < 2 || (trueFalse.true.length && trueFalse.false.length)) return [];
  const key = trueFalse.true.length ? "true" : "false";
  return [
    {
      file: bank.file,
      ...bank.positionOf(["questions"]),
      severity: "error",
      message: `questions: all ${all.length} true/false items are keyed ${key}: ${all.join(", ")}; key some of them ${key === "true" ? "false" : "true"}`,
    },
  ];
}

const ALL_NONE_ABOVE = /\b(all|none|both|neither) of the above\b/i;

function checkAllNoneAbove(bank: RuleBank): Problem[] {
  const out: Problem[] = [];
  bank.quiz.questions.forEach((q, i) => {
    if (q.type === "true-false" || waived(bank, q, "all-none-above")) return;
    q.options.forEach((o, j) => {
      const match = ALL_NONE_ABOVE.exec(o.text);
      if (!match) return;
      out.push({
        file: bank.file,
        ...bank.positionOf(["questions", i, "options", j, "text"]),
        severity: "error",
        message: `questions[${i}] ("${q.id}").options[${j}]: "${match[0].toLowerCase()}" lets partial knowledge find the key (and breaks when options are shuffled); write a specific option`,
      });
    });
  });
  return out;
}

function checkBankSize(bank: RuleBank): Problem[] {
  if (waives(bank.quiz.waivers, "bank-size")) return [];
  const size = bank.quiz.questions.length;
  const draw = bank.quiz.draw;
  if (draw === undefined) {
    return [{ file: bank.file, ...bank.positionOf(["questions"]), severity: "error", message: `questions: every attempt shows the whole bank of ${size}; add questions and set draw to at most half the bank, so a retake meets new questions` }];
  }
  if (size >= 2 * draw) return [];
  return [{ file: bank.file, ...bank.positionOf(["draw"]), severity: "error", message: `draw: ${draw} questions per attempt from a bank of ${size}; a bank needs at least twice its draw (${2 * draw}) so a retake meets new questions` }];
}

// ---------------------------------------------------------------------------
// Course-wide rules (reported at course.yaml, waivable there)

function checkCourseTrueFalse(course: RuleCourse, banks: RuleBank[]): Problem[] {
  if (waives(course.course.waivers, "true-false-keys")) return [];
  const per = banks.map((b) => ({ bank: b, stats: bankStats(b) })).filter((x) => !waives(x.bank.quiz.waivers, "true-false-keys"));
  const trues = per.flatMap((x) => x.stats.trueFalse.true);
  const falses = per.flatMap((x) => x.stats.trueFalse.false);
  const holding = per.filter((x) => x.stats.trueFalse.true.length + x.stats.trueFalse.false.length > 0);
  // Within one bank the bank's own rule already says it.
  if (trues.length + falses.length < 2 || (trues.length && falses.length) || holding.length < 2) return [];
  const key = trues.length ? "true" : "false";
  const named = holding.map((x) => `${courseRelative(x.bank)}: ${[...x.stats.trueFalse.true, ...x.stats.trueFalse.false].join(", ")}`).join("; ");
  return [
    {
      file: course.file,
      ...course.positionOf(["id"]),
      severity: "error",
      message: `all ${trues.length + falses.length} true/false items in the course are keyed ${key} (${named}); key some of them ${key === "true" ? "false" : "true"}`,
    },
  ];
}

function checkMultipleKeyCount(course: RuleCourse, banks: RuleBank[]): Problem[] {
  if (waives(course.course.waivers, "multiple-key-count")) return [];
  const per = banks.filter((b) => !waives(b.quiz.waivers, "multiple-key-count")).map((b) => ({ bank: b, stats: bankStats(b) }));
  const counts = new Set(per.flatMap((x) => x.stats.multipleKeyCounts.map((c) => c.correct)));
  const items = per.flatMap((x) => x.stats.multipleKeyCounts.flatMap((c) => c.ids));
  if (items.length < 2 || counts.size !== 1) return [];
  const named = per
    .filter((x) => x.stats.multipleKeyCounts.length)
    .map((x) => `${courseRelative(x.bank)}: ${x.stats.multipleKeyCounts.flatMap((c) => c.ids).join(", ")}`)
    .join("; ");
  const [correct] = counts;
  return [
    {
      file: course.file,
      ...course.positionOf(["id"]),
      severity: "error",
      message: `every multi-select item in the course has ${correct} correct option${correct === 1 ? "" : "s"} (${items.length} items: ${named}); vary the number of correct options so it gives nothing away`,
    },
  ];
}

function checkObjectiveCoverage(course: RuleCourse, banks: RuleBank[]): Problem[] {
  if (waives(course.course.waivers, "objective-coverage")) return [];
  const out: Problem[] = [];
  course.course.objectives.forEach((objective, i) => {
    const items = banks.flatMap((b) => b.quiz.questions.filter((q) => q.objective === objective.id).map((q) => ({ bank: b, id: q.id })));
    if (items.length >= MIN_ITEMS_PER_OBJECTIVE) return;
    const named = banks
      .map((b) => ({ b, ids: items.filter((x) => x.bank === b).map((x) => x.id) }))
      .filter((x) => x.ids.length)
      .map((x) => `${courseRelative(x.b)}: ${x.ids.join(", ")}`)
      .join("; ");
    out.push({
      file: course.file,
      ...course.positionOf(["objectives", i, "id"]),
      severity: "error",
      message: `objectives[${i}] ("${objective.id}"): tested by ${items.length} graded item${items.length === 1 ? "" : "s"}${named ? ` (${named})` : ""}; each objective needs at least ${MIN_ITEMS_PER_OBJECTIVE}`,
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Near-duplicates of the lessons' wording

/**
 * `near-duplicate` measures how much of a graded text (a prompt, a keyed option) is
 * copied: the share of its words (lower case, letters and digits) that lie in a run
 * of n consecutive words also found in the lesson text, n = 4 (3 for short texts).
 * Coverage, not the share of matching n-grams, so that a copy with a word changed
 * here and there (a/the, her/his, "using"/"with") still counts as a copy: one changed
 * word uncovers that word, not the four n-grams around it.
 *
 * The thresholds were set on the demo course as it stood when this rule was written
 * (161 prompts and keyed options against its 36 lessons), read pair by pair:
 * - texts of 10 words or more: a copy is 55% or more. Lightly edited copies of a
 *   lesson sentence or a knowledge check's answer scored 55-96%; parallel items that
 *   reuse a knowledge check's frame with new facts (another client's claim, another
 *   set of MADRS scores) scored 52%; paraphrases sharing clinical terms ("treatment-
 *   resistant depression", "at least 2 hours") scored 45% or less.
 * - texts of 6-9 words: 3-word runs, and a copy is 70% or more: a shared four-word
 *   term ("an NMDA receptor antagonist") covers 4 of 6 words (67%) and is not a copy;
 *   a list entry copied with one word changed covers 5 of 7 (71%).
 * Texts under 6 words are not compared: too short to tell a copy from a term.
 */
export const MIN_WORDS = 6;
export const SHORT_TEXT_WORDS = 10;
export const NEAR_DUPLICATE_SHARE = 0.55;
export const NEAR_DUPLICATE_SHARE_SHORT = 0.7;

/** Lower-case words of letters and digits. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function ngrams(list: string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= list.length; i++) out.add(list.slice(i, i + n).join(" "));
  return out;
}

/** The run length used for a graded text of this many words (0: too short to compare). */
export function gramSize(wordCount: number): number {
  if (wordCount < MIN_WORDS) return 0;
  return wordCount < SHORT_TEXT_WORDS ? 3 : 4;
}

/**
 * The share of `graded`'s words that lie in a run of n words (4; 3 for short texts)
 * also found in `other`; 0 when either text is under MIN_WORDS words.
 */
export function overlapShare(graded: string, other: string): number {
  const g = words(graded);
  const o = words(other);
  const n = gramSize(g.length);
  if (!n || o.length < MIN_WORDS) return 0;
  return coverage(g, n, ngrams(o, n));
}

/** The share of the words `g` that lie in a run of n words found in `theirs` (the other text's n-grams). */
function coverage(g: string[], n: number, theirs: Set<string>): number {
  const covered = new Array<boolean>(g.length).fill(false);
  for (let i = 0; i + n <= g.length; i++) {
    if (theirs.has(g.slice(i, i + n).join(" "))) covered.fill(true, i, i + n);
  }
  return covered.filter(Boolean).length / g.length;
}

/** The share from which `graded` counts as a copy. */
export const nearDuplicateShare = (graded: string) => (words(graded).length < SHORT_TEXT_WORDS ? NEAR_DUPLICATE_SHARE_SHORT : NEAR_DUPLICATE_SHARE);

export const isNearDuplicate = (graded: string, other: string) => overlapShare(graded, other) >= nearDuplicateShare(graded);

/** A text of a lesson a graded item may copy: a knowledge check's question or right option, or one or two consecutive prose sentences. */
type LessonSource = { file: string; line: number; what: string; text: string };

/** The lesson texts with their 3- and 4-grams, and an index from each n-gram to the texts holding it. */
type SourceIndex = { sources: Array<LessonSource & { grams: Record<3 | 4, Set<string>> }>; index: Record<3 | 4, Map<string, number[]>> };

function indexSources(list: LessonSource[]): SourceIndex {
  const index: SourceIndex["index"] = { 3: new Map(), 4: new Map() };
  const sources = list.flatMap((source) => {
    const w = words(source.text);
    return w.length < MIN_WORDS ? [] : [{ ...source, grams: { 3: ngrams(w, 3), 4: ngrams(w, 4) } }];
  });
  sources.forEach((source, k) => {
    for (const n of [3, 4] as const) {
      for (const gram of source.grams[n]) {
        const holders = index[n].get(gram);
        if (holders) holders.push(k);
        else index[n].set(gram, [k]);
      }
    }
  });
  return { sources, index };
}

function lessonSources(lessons: RuleLesson[]): SourceIndex {
  const out: LessonSource[] = [];
  for (const lesson of lessons) {
    for (const c of lesson.checks) {
      out.push({ file: lesson.file, line: c.line, what: "the knowledge check's question", text: c.question });
      const right = c.options[c.answer];
      if (right !== undefined) out.push({ file: lesson.file, line: c.line, what: "the knowledge check's right option", text: right });
    }
    const sentences = proseSentences(lesson.source);
    sentences.forEach((s, k) => {
      out.push({ file: lesson.file, line: s.line, what: "the lesson's sentence", text: s.text });
      // A copy may run across a sentence boundary: compare with each pair of neighbours too.
      const next = sentences[k + 1];
      if (next && next.block === s.block) out.push({ file: lesson.file, line: s.line, what: "the lesson's sentences", text: `${s.text} ${next.text}` });
    });
  }
  return indexSources(out);
}

function checkNearDuplicates(bank: RuleBank, { sources, index }: SourceIndex): Problem[] {
  const out: Problem[] = [];
  bank.quiz.questions.forEach((q, i) => {
    if (waived(bank, q, "near-duplicate")) return;
    const texts: Array<{ label: string; at: Array<string | number>; text: string }> = [{ label: "prompt", at: ["prompt"], text: q.prompt }];
    if (q.type !== "true-false") {
      q.options.forEach((o, j) => {
        if (q.answer.includes(o.id)) texts.push({ label: `keyed option ${o.id}`, at: ["options", j, "text"], text: o.text });
      });
    }
    for (const t of texts) {
      const g = words(t.text);
      const n = gramSize(g.length) as 0 | 3 | 4;
      if (!n) continue;
      const threshold = nearDuplicateShare(t.text);
      // Only the texts that share at least one n-gram with this one can reach the threshold.
      const candidates = [...new Set([...ngrams(g, n)].flatMap((gram) => index[n].get(gram) ?? []))].sort((a, b) => a - b);
      let best: { source: LessonSource; share: number } | null = null;
      for (const k of candidates) {
        const source = sources[k]!;
        const share = coverage(g, n, source.grams[n]);
        // On a tie the shorter text wins: the sentence itself rather than the pair around it.
        if (share >= threshold && (!best || share > best.share || (share === best.share && source.text.length < best.source.text.length))) best = { source, share };
      }
      if (!best) continue;
      out.push({
        file: bank.file,
        ...bank.positionOf(["questions", i, ...t.at]),
        severity: "error",
        message: `questions[${i}] ("${q.id}") ${t.label}: nearly copies ${best.source.what} at ${best.source.file}:${best.source.line} (${percent(best.share)} of its words are in ${n}-word runs found there); a graded item should test understanding, not recognition of the lesson's wording`,
      });
    }
  });
  return out;
}

/**
 * The prose sentences of a lesson with the line each starts on: components' tags
 * (and so knowledge checks and their attributes), code blocks, link targets and
 * frontmatter are left out; a block (paragraph, list item, heading, table row)
 * is split at sentence ends.
 */
export function proseSentences(source: string): Array<{ text: string; line: number; block: number }> {
  const { body } = splitFrontmatter(source);
  const lines = blankOut(body).split("\n");
  const out: Array<{ text: string; line: number; block: number }> = [];
  let block: Array<{ text: string; line: number }> = [];
  let blockNumber = 0;
  const flush = () => {
    if (block.length) {
      blockNumber++;
      splitSentences(block, blockNumber, out);
    }
    block = [];
  };
  lines.forEach((raw, k) => {
    const line = k + 1;
    const text = raw.trim();
    if (!text) return flush();
    if (/^(#{1,6}\s|[-*+]\s|\d+[.)]\s|\|)/.test(text)) flush();
    block.push({ text: text.replace(/^(#{1,6}|[-*+]|\d+[.)]|>)\s+/, "").replace(/\|/g, " "), line });
    if (/^(#{1,6}\s|\|)/.test(text)) flush();
  });
  flush();
  return out;
}

function splitSentences(block: Array<{ text: string; line: number }>, blockNumber: number, out: Array<{ text: string; line: number; block: number }>): void {
  let current = "";
  let start = block[0]!.line;
  for (const { text, line } of block) {
    const parts = text.split(/(?<=[.!?]["'”’)]*)\s+/);
    parts.forEach((part, k) => {
      if (!current) start = line;
      current = current ? `${current} ${part}` : part;
      const ends = k < parts.length - 1 || /[.!?]["'”’)]*$/.test(part);
      if (ends) {
        if (words(current).length) out.push({ text: current, line: start, block: blockNumber });
        current = "";
      }
    });
  }
  if (words(current).length) out.push({ text: current, line: start, block: blockNumber });
}

/**
 * Replaces what is not prose with spaces, keeping every newline (so lines keep their
 * numbers): JSX tags with their attributes, `{expressions}`, fenced code, link targets.
 */
function blankOut(body: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  let text = body.replace(/^(```|~~~)[\s\S]*?^\1.*$/gm, blank);
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if ((ch === "<" && /[A-Za-z/!]/.test(text[i + 1] ?? "")) || ch === "{") {
      const end = skipTag(text, i);
      out += blank(text.slice(i, end));
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  text = out.replace(/\]\([^)\n]*\)/g, (m) => `]${blank(m.slice(1))}`);
  return text.replace(/[*_`[\]]/g, " ");
}

/** The index just past a tag (or a `{...}` expression) starting at `start`, skipping quoted strings and nested braces. */
function skipTag(text: string, start: number): number {
  const closing = text[start] === "{" ? "}" : ">";
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + (closing === "}" ? 0 : 1); i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      if (depth > 0 || closing === ">") quote = ch;
    } else if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (closing === "}" && depth === 0) return i + 1;
    } else if (ch === closing && depth === 0) return i + 1;
  }
  return text.length;
}
