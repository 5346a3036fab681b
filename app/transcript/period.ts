/**
 * The transcript's period, read from GET parameters so a period can be
 * bookmarked: `period` names a preset (relative to today, so a bookmark of
 * "last 2 years" stays the last two years), or `custom` with `from` / `to`
 * (YYYY-MM-DD, inclusive, either may be left open).
 */

export const PERIOD_PRESETS = [
  { id: "all", label: "All time" },
  { id: "this-year", label: "This calendar year" },
  { id: "last-year", label: "Last calendar year" },
  { id: "last-2-years", label: "Last 2 years" },
  { id: "last-3-years", label: "Last 3 years" },
  { id: "custom", label: "Custom dates" },
] as const;

export type PeriodId = (typeof PERIOD_PRESETS)[number]["id"];
export type Period = { id: PeriodId; from: string | null; to: string | null; label: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  // 29 February a leap year back is 1 March; then the day after is where the period starts.
  const start = new Date(Date.UTC(y - years, m - 1, d));
  if (start.getUTCMonth() !== m - 1) start.setUTCDate(0);
  start.setUTCDate(start.getUTCDate() + 1);
  return start.toISOString().slice(0, 10);
}

export function periodLabel(from: string | null, to: string | null): string {
  if (from && to) return `${from} to ${to}`;
  if (from) return `from ${from}`;
  if (to) return `up to ${to}`;
  return "all time";
}

/** The period the parameters ask for, or the field errors that say why not. */
export function readPeriod(params: URLSearchParams, now: Date = new Date()): { ok: true; period: Period } | { ok: false; errors: Record<string, string[]>; period: Period } {
  const today = now.toISOString().slice(0, 10);
  const year = today.slice(0, 4);
  const from = params.get("from")?.trim() || "";
  const to = params.get("to")?.trim() || "";
  const asked = params.get("period") ?? (from || to ? "custom" : "all");
  const id = (PERIOD_PRESETS.some((p) => p.id === asked) ? asked : "all") as PeriodId;
  const make = (f: string | null, t: string | null): Period => ({ id, from: f, to: t, label: periodLabel(f, t) });
  switch (id) {
    case "all":
      return { ok: true, period: make(null, null) };
    case "this-year":
      return { ok: true, period: make(`${year}-01-01`, `${year}-12-31`) };
    case "last-year":
      return { ok: true, period: make(`${Number(year) - 1}-01-01`, `${Number(year) - 1}-12-31`) };
    case "last-2-years":
      return { ok: true, period: make(yearsBefore(today, 2), today) };
    case "last-3-years":
      return { ok: true, period: make(yearsBefore(today, 3), today) };
    case "custom": {
      const errors: Record<string, string[]> = {};
      if (from && !isRealDate(from)) errors.from = ["The start date is not a real date (YYYY-MM-DD)."];
      if (to && !isRealDate(to)) errors.to = ["The end date is not a real date (YYYY-MM-DD)."];
      if (!errors.from && !errors.to && from && to && from > to) errors.to = ["The end date is before the start date."];
      if (Object.keys(errors).length) return { ok: false, errors, period: { id: "all", from: null, to: null, label: periodLabel(null, null) } };
      return { ok: true, period: make(from || null, to || null) };
    }
  }
}

export function inPeriod(day: string, period: Pick<Period, "from" | "to">): boolean {
  return (!period.from || day >= period.from) && (!period.to || day <= period.to);
}

/** The query string that asks for this period again (downloads use the page's period). */
export function periodQuery(period: Period): string {
  const p = new URLSearchParams({ period: period.id });
  if (period.id === "custom") {
    if (period.from) p.set("from", period.from);
    if (period.to) p.set("to", period.to);
  }
  return p.toString();
}

/** Hundredths of an hour as hours, e.g. 150 -> "1.5". */
export function formatHours(hundredths: number): string {
  return String(hundredths / 100);
}
