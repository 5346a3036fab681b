/**
 * Rendered lesson bodies, kept per lesson version (decision 008).
 *
 * A lesson body is the same HTML for every learner who has not written in its
 * reflections: its ids come from the lesson itself, its interactive parts start
 * closed and empty. So the first render's HTML is cut out of the document and
 * later renders insert it as it is; the browser hydrates it like any other.
 */

/** The opening tag of the body's wrapper, as React writes it: once per lesson page. */
export const LESSON_BODY_OPEN = '<div class="lesson-body">';
const MAX_BODIES = 500;
// Kept as bytes: entry.server splices them into the rendered document as they are.
const bodies = new Map<string, Buffer>();

export function cachedLessonBody(key: string): Buffer | null {
  return bodies.get(key) ?? null;
}

/** Keeps the body found in a rendered document; false when it cannot be found exactly once. */
export function keepLessonBody(key: string, documentHtml: string): boolean {
  const inner = lessonBodyHtml(documentHtml);
  if (inner === null) return false;
  if (bodies.size >= MAX_BODIES) bodies.delete(bodies.keys().next().value!);
  bodies.set(key, Buffer.from(inner, "utf8"));
  return true;
}

/**
 * The wrapper's inner HTML. React escapes `<` in text and attribute values and
 * closes every div, so counting div tags finds the wrapper's end.
 */
export function lessonBodyHtml(documentHtml: string): string | null {
  const start = documentHtml.indexOf(LESSON_BODY_OPEN);
  if (start < 0 || documentHtml.indexOf(LESSON_BODY_OPEN, start + 1) >= 0) return null;
  const from = start + LESSON_BODY_OPEN.length;
  const tags = /<div[\s>]|<\/div>/g;
  tags.lastIndex = from;
  let depth = 1;
  for (let m = tags.exec(documentHtml); m; m = tags.exec(documentHtml)) {
    depth += m[0] === "</div>" ? -1 : 1;
    if (depth === 0) return documentHtml.slice(from, m.index);
  }
  return null;
}
