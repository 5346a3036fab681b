/** Certificate PDF generation time per certificate (warm), with the demo course's real fields. */
import fs from "node:fs";
import { parse } from "yaml";
import { renderCertificatePdf } from "#app/certificates/pdf.server.ts";
import type { CertificateSnapshot } from "#app/certificates/snapshot.server.ts";

export async function benchPdf(count = Number(process.env.BENCH_PDFS ?? 200)) {
  const c = parse(fs.readFileSync("content/courses/kap-foundations/course.yaml", "utf8")) as {
    id: string; title: string; ceHours: number; level: string; objectives: Array<{ text: string }>; provider: CertificateSnapshot["provider"]; approvals: CertificateSnapshot["approvals"];
  };
  const now = new Date().toISOString();
  const snapshot: CertificateSnapshot = {
    learnerName: "Jordan Rivera", licenses: [{ type: "LMFT", number: "LMFT104552", state: "CA" }, { type: "LPC", number: "LPC80213", state: "TX" }],
    course: { id: c.id, title: c.title, version: "0123456789abcdef" }, completedAt: now, enrolledAt: now, ceHours: c.ceHours,
    deliveryFormat: "Self-paced online home study (enduring material)", level: c.level, objectives: c.objectives.map((o) => o.text),
    provider: c.provider, approvals: c.approvals, signatory: { name: "Dana Whitfield", credentials: "LCSW", role: "Program administrator" },
    postTestScore: 0.92, evaluationDate: now, attestationDate: now,
  };
  const meta = { publicId: "ABCDE-FGHIJ-KLMNO-PQRST", verifyUrl: "https://kap-academy.example/verify/ABCDE-FGHIJ-KLMNO-PQRST", status: "valid" };
  const first = performance.now();
  const bytes = await renderCertificatePdf(snapshot, meta);
  const coldMs = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await renderCertificatePdf(snapshot, meta);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 100) / 100;
  return { certificates: count, coldMs: Math.round(coldMs), p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1), bytes: bytes.length };
}
