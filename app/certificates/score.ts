/**
 * The post-test score, one rule everywhere: a whole percentage (0-100), rounded half
 * up, written "83" in data files under a header that says "(%)" and "83%" on pages,
 * PDFs and certificates. Why a percentage: the pass mark is stated to learners as a
 * percentage before they start (AMA; APA recommends "at least 75%"), so the score is
 * compared with it in the same unit; a fraction (0.833) in one file and "83%" on the
 * page made the same record look different, and "1" in a CSV read as one point.
 * Stored as a fraction with three decimals (completions.post_test_score); only the
 * display is rounded.
 */
export function scorePercent(fraction: number): number {
  return Math.floor(fraction * 100 + 0.5);
}

/** The same rounding in SQLite (a cast truncates, which is floor for a score >= 0), for exports read by SQL. */
export function scorePercentSql(fractionExpression: string): string {
  return `cast((${fractionExpression}) * 100 + 0.5 as integer)`;
}
