/** A content problem, reported as `path:line:col: message` (warnings say so). */
export type Problem = {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line: number;
  col: number;
  severity: "error" | "warning";
  message: string;
};

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity === "warning" ? "warning: " : ""}${p.message}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message));
}
