import { createHash } from "node:crypto";
import { toString as hastToString } from "hast-util-to-string";
import { toString as mdastToString } from "mdast-util-to-string";
import { bundleMDX } from "mdx-bundler";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import { visit } from "unist-util-visit";
import { LESSON_COMPONENT_NAMES, LESSON_COMPONENTS, type LessonComponentName } from "./components.ts";
import type { Problem } from "./problems.ts";
import { lessonFrontmatterSchema, type LessonFrontmatter } from "./schemas.ts";
import { parseYaml } from "./yaml.server.ts";

export type TocEntry = { id: string; text: string; depth: 2 | 3 };

/** A component used in a lesson, with its literal attribute values (undefined when not a literal). */
export type ComponentUse = { name: string; line: number; col: number; attrs: Record<string, unknown> };

export type CompiledLesson = {
  code: string;
  frontmatter: LessonFrontmatter;
  wordCount: number;
  /** SHA-256 of the source file: the lesson's content version. */
  hash: string;
  toc: TocEntry[];
  uses: ComponentUse[];
};

// Raw HTML that could run code or post data is refused in lessons.
const FORBIDDEN_TAGS = new Set(["script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select", "link", "meta", "base"]);
// Attribute strings that are read as part of the lesson (counted in reading time).
const READ_ATTRIBUTES = new Set(["question", "explanation", "prompt", "caption", "title", "term"]);

type Node = { type: string; name?: string | null; value?: unknown; position?: { start: { line: number; column: number } }; attributes?: Array<{ type: string; name?: string; value?: unknown }>; children?: Node[]; tagName?: string; properties?: Record<string, unknown> };

export function splitFrontmatter(source: string): { yaml: string | null; body: string; yamlFirstLine: number } {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { yaml: null, body: source, yamlFirstLine: 1 };
  const consumed = match[0].split("\n").length - (match[0].endsWith("\n") ? 1 : 0);
  // Blank lines keep the body's line numbers equal to the file's.
  return { yaml: match[1]!, body: "\n".repeat(consumed) + source.slice(match[0].length), yamlFirstLine: 2 };
}

function literal(value: unknown): unknown {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return true; // a bare attribute, e.g. <X open />
  const expr = (value as { value?: string }).value;
  if (typeof expr !== "string") return undefined;
  try {
    return JSON.parse(expr);
  } catch {
    return undefined;
  }
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Components that need an element id, and the prefix of the ids they are given. */
const NUMBERED = { KnowledgeCheck: "check", Glossary: "term" } as const;

/**
 * Compiles one lesson with mdx-bundler (remark-gfm, heading ids) and inspects
 * it: components used, words, table of contents. Problems are reported with
 * the file's own line numbers.
 */
export async function compileLesson(file: string, source: string): Promise<{ lesson: CompiledLesson | null; problems: Problem[] }> {
  const problems: Problem[] = [];
  const hash = createHash("sha256").update(source).digest("hex");
  const { yaml, body, yamlFirstLine } = splitFrontmatter(source);
  let frontmatter: LessonFrontmatter | null = null;
  if (yaml === null) {
    problems.push({ file, line: 1, col: 1, severity: "error", message: "missing frontmatter: start the lesson with a --- block holding title and minutes" });
  } else {
    const parsed = parseYaml(file, yaml, lessonFrontmatterSchema, yamlFirstLine - 1);
    problems.push(...parsed.problems);
    frontmatter = parsed.data;
  }

  const uses: ComponentUse[] = [];
  const counts: Record<string, number> = {};
  const toc: TocEntry[] = [];
  let words = 0;

  const inspect = () => (tree: Node) => {
    words += countWords(mdastToString(tree as never));
    visit(tree as never, (node: Node) => {
      const pos = node.position?.start ?? { line: 1, column: 1 };
      // Only authored import/export have a position; mdx-bundler adds its own.
      if (node.type === "mdxjsEsm" && node.position) {
        problems.push({ file, line: pos.line, col: pos.column, severity: "error", message: "import and export are not allowed in lessons; use the built-in components (content/README.md)" });
        return;
      }
      if (node.type !== "mdxJsxFlowElement" && node.type !== "mdxJsxTextElement") return;
      const name = node.name ?? "";
      if (!name) return; // fragment
      const attrs: Record<string, unknown> = {};
      for (const attr of node.attributes ?? []) {
        if (attr.type === "mdxJsxAttribute" && attr.name) attrs[attr.name] = literal(attr.value);
        else problems.push({ file, line: pos.line, col: pos.column, severity: "error", message: `<${name}>: spread attributes are not allowed` });
      }
      if (/^[a-z]/.test(name)) {
        if (FORBIDDEN_TAGS.has(name)) problems.push({ file, line: pos.line, col: pos.column, severity: "error", message: `<${name}> is not allowed in lessons` });
        return;
      }
      if (!(LESSON_COMPONENT_NAMES as string[]).includes(name)) {
        problems.push({ file, line: pos.line, col: pos.column, severity: "error", message: `unknown component <${name}>; lessons may use: ${LESSON_COMPONENT_NAMES.join(", ")}` });
        return;
      }
      for (const [key, value] of Object.entries(attrs)) {
        if (READ_ATTRIBUTES.has(key) && typeof value === "string") words += countWords(value);
        if (key === "options" && Array.isArray(value)) words += countWords(value.join(" "));
      }
      uses.push({ name, line: pos.line, col: pos.column, attrs });
      problems.push(...checkComponent(file, name as LessonComponentName, attrs, pos.line, pos.column));
      if (name in NUMBERED) {
        // Element ids come from the lesson itself, not from React's useId, so the
        // rendered body does not depend on where it sits in the page (decision 008).
        const kind = NUMBERED[name as keyof typeof NUMBERED];
        counts[kind] = (counts[kind] ?? 0) + 1;
        node.attributes = [...(node.attributes ?? []).filter((a) => a.name !== "uid"), { type: "mdxJsxAttribute", name: "uid", value: `lesson-${kind}-${counts[kind]}` }];
      }
    });
  };

  const collectToc = () => (tree: Node) => {
    visit(tree as never, "element", (node: Node) => {
      if ((node.tagName === "h2" || node.tagName === "h3") && typeof node.properties?.id === "string") {
        toc.push({ id: node.properties.id, text: hastToString(node as never), depth: node.tagName === "h2" ? 2 : 3 });
      }
    });
  };

  let code = "";
  try {
    const result = await bundleMDX({
      source: body,
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, inspect];
        options.rehypePlugins = [...(options.rehypePlugins ?? []), rehypeSlug, collectToc];
        return options;
      },
      esbuildOptions(options) {
        options.minify = true;
        options.logLevel = "silent";
        options.target = ["es2020"];
        return options;
      },
    });
    code = result.code;
  } catch (error) {
    problems.push(...esbuildProblems(file, error));
  }

  // Headings: the title is the page's h1, so lessons start at ##.
  for (const m of body.matchAll(/^# (.+)$/gm)) {
    const line = body.slice(0, m.index).split("\n").length;
    problems.push({ file, line, col: 1, severity: "error", message: "use ## and ### headings: the lesson title is the page's only level-1 heading" });
  }

  const ok = frontmatter && code && !problems.some((p) => p.severity === "error");
  return {
    lesson: ok ? { code, frontmatter: frontmatter!, wordCount: words, hash, toc, uses } : null,
    problems,
  };
}

function checkComponent(file: string, name: LessonComponentName, attrs: Record<string, unknown>, line: number, col: number): Problem[] {
  const out: Problem[] = [];
  const spec = LESSON_COMPONENTS[name];
  const problem = (message: string): Problem => ({ file, line, col, severity: "error", message: `<${name}>: ${message}` });
  for (const key of spec.required) if (!(key in attrs)) out.push(problem(`missing the "${key}" attribute`));
  for (const [key, allowed] of Object.entries(spec.enums) as Array<[string, readonly string[]]>) {
    if (key in attrs && !allowed.includes(attrs[key] as string)) out.push(problem(`${key} must be one of: ${allowed.join(", ")}`));
  }
  if (name === "KnowledgeCheck" && "options" in attrs && "answer" in attrs) {
    const options = attrs.options;
    const answer = attrs.answer;
    if (!Array.isArray(options) || options.length < 2 || !options.every((o) => typeof o === "string" && o.trim())) {
      out.push(problem('options must be a list of at least two texts, e.g. options={["A", "B"]}'));
    } else if (typeof answer !== "number" || !Number.isInteger(answer) || answer < 0 || answer >= options.length) {
      out.push(problem(`answer must be the 0-based index of the right option (0 to ${options.length - 1})`));
    }
  }
  return out;
}

type EsbuildMessage = { text: string; location?: { line: number; column: number } | null };

/** esbuild reports MDX syntax errors with a location in the compiled source (same lines as the file). */
function esbuildProblems(file: string, error: unknown): Problem[] {
  const messages = (error as { errors?: EsbuildMessage[] }).errors;
  if (!Array.isArray(messages) || !messages.length) {
    return [{ file, line: 1, col: 1, severity: "error", message: `could not compile: ${(error as Error).message ?? String(error)}` }];
  }
  return messages.map((m) => ({
    file,
    line: m.location?.line ?? 1,
    col: (m.location?.column ?? 0) + 1,
    severity: "error" as const,
    message: `MDX syntax: ${cleanMessage(m.text)}`,
  }));
}

function cleanMessage(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  // "Cannot process MDX file with esbuild:" then "8:24: <reason> [plugin @mdx-js/esbuild]"
  const reason = lines.find((l) => /^\d+:\d+(-\d+:\d+)?: /.test(l)) ?? lines[lines.length - 1] ?? text;
  return reason.replace(/^\d+:\d+(-\d+:\d+)?: /, "").replace(/\s*\[plugin[^\]]*\]$/, "");
}
