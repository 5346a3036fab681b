/** "1 hour", "5.25 hours" */
export function formatHours(hours: number): string {
  return `${hours} ${hours === 1 ? "hour" : "hours"}`;
}

export function formatDate(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

export const DEFAULT_HOW_TO_EARN_CREDIT =
  "Read every lesson and mark it complete, pass each module quiz at the pass mark (retakes are allowed), complete the course evaluation, and attest that you personally completed the course. Your certificate is then available to download and verify online.";
