import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import type { Problem } from "./problems.ts";

type Position = { line: number; col: number };

/**
 * Parses a YAML file and validates it with a zod schema, turning every syntax
 * error and every schema issue into a Problem at the line of the offending key.
 * `lineOffset` shifts positions for YAML embedded in another file (frontmatter).
 */
export function parseYaml<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  lineOffset = 0,
): { data: z.infer<S> | null; raw: unknown; problems: Problem[]; positionOf: (path: Array<string | number>) => Position } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, schema: "core", uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, col: p.col };
  };
  const problems: Problem[] = [];
  // The first syntax error is the real one; the rest usually follow from it.
  for (const err of doc.errors.slice(0, 1)) {
    const pos = at(err.pos[0]);
    const message = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    problems.push({ file, ...pos, severity: "error", message: `YAML syntax: ${message}` });
  }
  const positionOf = (path: Array<string | number>) => at(locate(doc, path).offset);
  if (problems.length) return { data: null, raw: null, problems, positionOf: () => ({ line: 1 + lineOffset, col: 1 }) };

  const raw: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data, raw, problems, positionOf };

  for (const issue of result.error.issues) {
    const path = issue.path.map((s) => (typeof s === "symbol" ? String(s) : s));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const located = locate(doc, [...path, key]);
        problems.push({ file, ...at(located.offset), severity: "error", message: `${describe([...path, key])}: unknown key (check the spelling; see content/README.md)` });
      }
      continue;
    }
    const located = locate(doc, path);
    const message = located.missing
      ? `${describe(path)}: missing (required)`
      : `${describe(path)}: ${issue.message}`;
    problems.push({ file, ...at(located.offset), severity: "error", message });
  }
  return { data: null, raw, problems, positionOf };
}

function describe(path: Array<string | number>): string {
  if (!path.length) return "file";
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/**
 * Finds the source offset for a path: the key of the last map entry on it
 * (so a bad value points at its key), or the nearest existing ancestor when
 * the key is missing.
 */
export function locate(doc: Document, path: Array<string | number>): { offset: number; missing: boolean } {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return { offset, missing: true };
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return { offset, missing: true };
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      return { offset, missing: false };
    }
  }
  return { offset, missing: false };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}
