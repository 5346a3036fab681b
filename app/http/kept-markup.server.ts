/**
 * Markup kept from earlier renders (decisions 008 and 010), and its use in one render.
 *
 * A `<Kept>` element's first render is cut out of the finished document and kept
 * as bytes. Later renders give React a placeholder instead, so React neither
 * renders nor encodes those parts again, and the placeholders are replaced with
 * the kept bytes once the document is complete.
 */
import { randomUUID } from "node:crypto";
import type { KeptMarkup } from "#app/components/kept-markup.tsx";

// A course of 36 lessons keeps about 5 parts a lesson, for learners and for authors.
const MAX_KEPT = 2_000;
const kept = new Map<string, Buffer>();

function remember(key: string, html: string) {
  if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(key, Buffer.from(html, "utf8"));
}

/**
 * The inner HTML of the one element carrying `data-kept="name"`, or null when there
 * is not exactly one, or it is not closed. React escapes `<` and `"` in text and
 * attribute values, so the marker cannot occur by accident and counting the
 * element's own tags finds its end.
 */
export function keptElementHtml(documentHtml: string, name: string): string | null {
  const marker = ` data-kept="${name}"`;
  const at = documentHtml.indexOf(marker);
  if (at < 0 || documentHtml.indexOf(marker, at + 1) >= 0) return null;
  const tag = /^<([a-z][a-z0-9]*)\s/.exec(documentHtml.slice(documentHtml.lastIndexOf("<", at), at + 1))?.[1];
  const openEnd = documentHtml.indexOf(">", at);
  if (!tag || openEnd < 0) return null;
  const from = openEnd + 1;
  const tags = new RegExp(`<${tag}[\\s>]|</${tag}>`, "g");
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(documentHtml); m; m = tags.exec(documentHtml)) {
    depth += m[0].startsWith("</") ? -1 : 1;
    if (depth === 0) return documentHtml.slice(from, m.index);
  }
  return null;
}

/**
 * Kept markup for one render. `token` makes placeholders that only this render
 * can produce (the CSP nonce is secret); `enabled` is false in development,
 * where components change under a page.
 */
export function keptMarkupForRender(token: string | undefined, enabled: boolean) {
  const id = token ?? randomUUID();
  const inserts: Array<{ placeholder: string; html: Buffer }> = [];
  const toKeep: Array<{ key: string; name: string }> = [];
  const context: KeptMarkup = {
    reuse(key) {
      const html = enabled ? kept.get(key) : undefined;
      if (!html) return null;
      const placeholder = `<!--kept ${id} ${inserts.length}-->`;
      inserts.push({ placeholder, html });
      return placeholder;
    },
    keep(key, name) {
      if (enabled) toKeep.push({ key, name });
    },
  };

  /** Puts kept bytes in place of their placeholders, and keeps new parts from a successful render. */
  function finish(document: Buffer, keepNew: boolean): Buffer {
    let out = document;
    if (inserts.length) {
      const found = inserts.map((i) => ({ placeholder: i.placeholder, html: i.html, at: document.indexOf(i.placeholder) }));
      const parts: Buffer[] = [];
      let from = 0;
      for (const { placeholder, html, at } of found.filter((i) => i.at >= 0).sort((a, b) => a.at - b.at)) {
        parts.push(document.subarray(from, at), html);
        from = at + placeholder.length; // ASCII: as many bytes as characters
      }
      parts.push(document.subarray(from));
      out = Buffer.concat(parts);
    }
    if (keepNew && toKeep.length) {
      const text = out.toString("utf8");
      for (const { key, name } of toKeep) {
        const inner = keptElementHtml(text, name);
        if (inner !== null) remember(key, inner);
      }
    }
    return out;
  }

  return { context, finish };
}
