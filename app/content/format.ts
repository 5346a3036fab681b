/** "1 hour", "5.25 hours" */
export function formatHours(hours: number): string {
  return `${hours} ${hours === 1 ? "hour" : "hours"}`;
}

export function formatDate(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

/** "2 h 05 min", "14 min", "40 s": a duration for people. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

export const DEFAULT_HOW_TO_EARN_CREDIT =
  "Read every lesson and mark it complete (a lesson can be marked complete once you have spent its minimum reading time on it; time is counted while the lesson is open and you are active on it), pass each module quiz at the pass mark, complete the course evaluation, and attest that you personally completed the course. Your certificate is then available to download and verify online.";
