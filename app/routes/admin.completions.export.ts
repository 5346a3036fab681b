import { Readable } from "node:stream";
import { recordAccess } from "#app/audit/audit.server.ts";
import { requireRole } from "#app/auth/guards.server.ts";
import { parseCompletionFilter } from "#app/admin/completions.server.ts";
import { ceBrokerReadiness } from "#app/admin/export-settings.server.ts";
import { EXPORT_FORMATS, EXPORT_TYPES, exportStream, type ExportFormat } from "#app/admin/exports.server.ts";
import type { Route } from "./+types/admin.completions.export";

/** Streams an export of the completions matching the page's filter. */
export async function loader(args: Route.LoaderArgs) {
  const admin = await requireRole(args, "admin");
  const params = new URL(args.request.url).searchParams;
  const format = params.get("format") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new Response(`Unknown format; use one of ${EXPORT_FORMATS.join(", ")}.`, { status: 400 });
  const parsed = parseCompletionFilter(params);
  if (!parsed.success) throw new Response(parsed.error.issues[0]!.message, { status: 400 });
  let ceBroker;
  if (format.startsWith("cebroker")) {
    // Refused (nothing exported, nothing audited) until the tracking numbers are set.
    const ready = await ceBrokerReadiness(parsed.data);
    if (!ready.ok) throw new Response(ready.error.message, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    ceBroker = ready.settings;
  }
  // Who exported which records, and when, is part of the record.
  recordAccess(admin.id, "completions.exported", { format, filter: Object.fromEntries(params) });
  const stream = exportStream(format, parsed.data, { bom: params.get("bom") === "1", ceBroker });
  const stamp = new Date().toISOString().slice(0, 10);
  const name = `${format.startsWith("cebroker") ? "ce-broker-roster" : "completions"}-${stamp}.${EXPORT_TYPES[format].extension}`;
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": EXPORT_TYPES[format].contentType,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
