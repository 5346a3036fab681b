import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type XlsxCell = { v: string | number | null; t: string; fmt: string; date: boolean };

/**
 * Reads an XLSX export with openpyxl (Debian's python3-openpyxl), standing in for any
 * spreadsheet reader: each cell's value (dates as ISO text), type and number format.
 */
export async function readXlsx(stream: NodeJS.ReadableStream): Promise<XlsxCell[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-xlsx-"));
  const file = path.join(dir, "export.xlsx");
  await new Promise<void>((resolve, reject) => stream.pipe(fs.createWriteStream(file)).on("finish", () => resolve()).on("error", reject));
  const script = [
    "import json,sys,openpyxl",
    "ws = openpyxl.load_workbook(sys.argv[1]).active",
    "out = [[{'v': c.value.isoformat() if hasattr(c.value, 'isoformat') else c.value, 't': c.data_type, 'fmt': c.number_format, 'date': c.is_date} for c in row] for row in ws.iter_rows()]",
    "print(json.dumps(out))",
  ].join("\n");
  try {
    return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, file], { encoding: "utf8" })) as XlsxCell[][];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
