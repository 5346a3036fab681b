/**
 * `npm run export -- --format csv --from 2026-01-01 --to 2026-12-31 [--course ID]
 *   [--state CA] [--license-type LMFT] [--status valid] [--q text] [--bom]
 *   [--include-reported] [--out FILE]`
 * Streams completion records for scheduled jobs; writes to --out or standard
 * output, with a progress bar on a terminal.
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { countCompletions, parseCompletionFilter } from "#app/admin/completions.server.ts";
import { ceBrokerReadiness } from "#app/admin/export-settings.server.ts";
import { EXPORT_FORMATS, exportStream, type ExportFormat } from "#app/admin/exports.server.ts";
import { closeDb } from "#app/db/client.server.ts";

const { values } = parseArgs({
  options: {
    format: { type: "string", default: "csv" },
    from: { type: "string" },
    to: { type: "string" },
    course: { type: "string" },
    state: { type: "string" },
    "license-type": { type: "string" },
    status: { type: "string" },
    q: { type: "string" },
    bom: { type: "boolean", default: false },
    "include-reported": { type: "boolean", default: false },
    out: { type: "string" },
  },
  allowPositionals: false,
});

const format = values.format as ExportFormat;
if (!EXPORT_FORMATS.includes(format)) {
  console.error(`--format must be one of: ${EXPORT_FORMATS.join(", ")}`);
  process.exit(2);
}
const params = new URLSearchParams();
for (const [key, name] of [["from", "from"], ["to", "to"], ["course", "course"], ["state", "state"], ["license-type", "licenseType"], ["status", "status"], ["q", "q"]] as const) {
  const v = values[key];
  if (typeof v === "string") params.set(name, v);
}
if (values["include-reported"]) params.set("includeReported", "1");
const parsed = parseCompletionFilter(params);
if (!parsed.success) {
  console.error(`Invalid filter: ${parsed.error.issues.map((i) => `${i.path.join(".") || "filter"}: ${i.message}`).join("; ")}`);
  process.exit(2);
}

let ceBroker;
if (format.startsWith("cebroker")) {
  // Refused before anything is written (no --out file is created) until the tracking numbers are set.
  const ready = await ceBrokerReadiness(parsed.data);
  if (!ready.ok) {
    console.error(ready.error.message);
    closeDb();
    process.exit(1);
  }
  ceBroker = ready.settings;
}

const total = countCompletions(parsed.data, { ceBroker: format.startsWith("cebroker") });
const tty = process.stderr.isTTY && Boolean(values.out);
let done = 0;
const started = Date.now();
function progress(final = false) {
  if (!tty) return;
  const share = total ? done / total : 1;
  const width = 30;
  const bar = "#".repeat(Math.round(share * width)).padEnd(width, "-");
  process.stderr.write(`\r[${bar}] ${done.toLocaleString()}/${total.toLocaleString()} rows ${Math.round(share * 100)}%${final ? "\n" : ""}`);
}
const onRow = () => {
  done++;
  if (done % 1000 === 0) progress();
};

const stream = exportStream(format, parsed.data, { bom: values.bom, ceBroker, onRow });
await pipeline(stream, values.out ? fs.createWriteStream(values.out) : process.stdout);
progress(true);
closeDb();
if (values.out) console.error(`${done.toLocaleString()} rows written to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
