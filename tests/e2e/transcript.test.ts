import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Download, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { answerQuiz, DEMO, E2E_DB, fixtureQuiz, gotoHydrated, signIn, signUp, uniqueEmail } from "./utils.ts";

/**
 * The CE transcript in a real browser: a learner with a certificate adds CE
 * earned elsewhere (with its certificate file), sees the totals, changes the
 * period, and downloads the CSV and PDF through the page's links; the downloads
 * hold what the page showed. The admin sees the platform-issued part only.
 */

async function readAndComplete(page: Page, url: string) {
  await gotoHydrated(page, url);
  // Scrolling is activity: the lesson's clock runs while the learner is active.
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

/** The fixture course, start to certificate, through its pages. */
async function earnCertificate(page: Page) {
  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  await readAndComplete(page, "/courses/fixture-course/basics/second-lesson");
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, fixtureQuiz("01.basics"));
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  await readAndComplete(page, "/courses/fixture-course/practice/case-work");
  await gotoHydrated(page, "/courses/fixture-course/practice/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, fixtureQuiz("02.practice"));
  await page.getByRole("button", { name: "Submit answers" }).click();
  await page.getByRole("link", { name: "Continue to the course evaluation" }).click();
  await expect(page.getByRole("heading", { name: "Course evaluation" })).toBeVisible();
  for (const group of await page.locator("fieldset.field").all()) await group.getByLabel("4").check();
  await page.getByRole("button", { name: "Submit evaluation" }).click();
  await expect(page.getByRole("heading", { name: "Finish the course" })).toBeVisible();
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign and complete the course" }).click();
  await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
}

/** The totals table as the page holds it (text, before the style's capitals): row heading -> [platform, self-reported, all]. */
async function pageTotals(page: Page): Promise<Record<string, string[]>> {
  const rows = await page.getByTestId("totals").locator("tbody tr").all();
  const out: Record<string, string[]> = {};
  for (const row of rows) out[((await row.locator("th").textContent()) ?? "").trim()] = (await row.locator("td").allTextContents()).map((t) => t.trim());
  return out;
}

async function pageRows(page: Page): Promise<string[][]> {
  const rows = await page.getByTestId("transcript-row").all();
  return Promise.all(rows.map(async (r) => (await r.locator("td").allTextContents()).slice(0, 9).map((t) => t.trim())));
}

async function save(download: Download, dir: string): Promise<string> {
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test("a learner records CE earned elsewhere with its file, sees the totals by period, downloads CSV and PDF; the admin sees the platform part only", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("transcript");
  await signUp(page, { name: "Riley Transcript", email, password: "a transcript passphrase", license: { type: "LPC", number: "LPC 5151", state: "TX" } });
  await earnCertificate(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transcript" }).click();
  await expect(page.getByRole("heading", { name: "CE transcript" })).toBeVisible();
  expect(await pageTotals(page)).toEqual({ "All licenses": ["0.25", "0", "0.25"], "LPC LPC5151 (TX)": ["0.25", "0", "0.25"] });

  // Bad input: messages per field, nothing written.
  await page.getByRole("link", { name: "Add CE earned elsewhere" }).click();
  await expect(page.getByRole("heading", { name: "Add CE earned elsewhere" })).toBeVisible();
  await page.getByLabel("CE hours").fill("1.234");
  await page.getByRole("button", { name: "Add to transcript" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Enter the provider's name.");
  await expect(alert).toContainText("Enter the CE hours as a number with at most two decimals, e.g. 1.5.");
  await expect(alert).toContainText("Enter the completion date.");
  const db = new Database(E2E_DB, { readonly: true });
  const userId = (db.prepare("select id from users where email = ?").get(email) as { id: string }).id;
  const entries = () => db.prepare("select * from external_ce where user_id = ?").all(userId) as Array<{ id: string; file_type: string; file_data: Buffer; ce_hundredths: number }>;
  expect(entries()).toEqual([]);

  // A certificate file over 1 MiB (the upload path allows it), as a real PDF would start.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-e2e-transcript-"));
  const scan = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1_500_000, 0x20), Buffer.from("\n%%EOF\n")]);
  fs.writeFileSync(path.join(dir, "nw-certificate.pdf"), scan);
  const lastYear = new Date().getUTCFullYear() - 1;
  await page.getByLabel("Provider").fill("Northwest Psychedelic Institute");
  await page.getByLabel("Course title").fill("Set and setting in practice");
  await page.getByLabel("CE hours").fill("1.5");
  await page.getByLabel("Completion date").fill(`${lastYear}-05-20`);
  await page.getByLabel("Accrediting body (optional)").fill("NBCC");
  await page.getByLabel("Approval number (optional)").fill("NW-77");
  await expect(page.getByLabel("LPC LPC5151 (TX)")).toBeChecked();
  await page.getByLabel("Certificate file (optional)").setInputFiles(path.join(dir, "nw-certificate.pdf"));
  await page.getByRole("button", { name: "Add to transcript" }).click();
  await expect(page.getByRole("status")).toContainText("The CE entry was added to your transcript.");
  const [stored] = entries();
  expect(stored).toMatchObject({ file_type: "application/pdf", ce_hundredths: 150 });
  expect(Buffer.compare(stored!.file_data, scan)).toBe(0);

  // The larger limit is for the entry form only: past 5 MiB it is refused too, and elsewhere 1.5 MB is.
  const origin = new URL(page.url()).origin;
  const post = (url: string, bytes: number) =>
    page.request.post(url, { headers: { Origin: origin }, multipart: { provider: "x", file: { name: "big.pdf", mimeType: "application/pdf", buffer: Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(bytes)]) } }, maxRedirects: 0 });
  const huge = await post("/transcript/entries/new", 6 * 1024 * 1024);
  expect(huge.status()).toBe(413);
  expect(await huge.text()).toBe("Request too large: a request body may be at most 5 MiB.");
  expect((await post(`/transcript/entries/${stored!.id}/delete`, 1_500_000)).status()).toBe(413);
  expect(entries()).toHaveLength(1);

  // All time: both, platform and self-reported apart and together.
  const allTotals = { "All licenses": ["0.25", "1.5", "1.75"], "LPC LPC5151 (TX)": ["0.25", "1.5", "1.75"] };
  expect(await pageTotals(page)).toEqual(allTotals);
  const allRows = await pageRows(page);
  expect(allRows).toHaveLength(2);
  expect(allRows[0]).toEqual([`${lastYear}-05-20`, "Set and setting in practice", "Northwest Psychedelic Institute", "NBCC NW-77", "Self-reported (earned elsewhere)", "Self-reported", "LPC LPC5151 (TX)", "1.5", ""]);
  expect(allRows[1]!.slice(4, 8)).toEqual(["KAP Academy certificate", "Valid", "LPC LPC5151 (TX)", "0.25"]);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // The file comes back as uploaded.
  const [fileDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Certificate file of Set and setting in practice" }).click()]);
  expect(Buffer.compare(fs.readFileSync(await save(fileDownload, dir)), scan)).toBe(0);

  // This calendar year: last year's entry drops out; the URL holds the period.
  await page.getByLabel("Show").selectOption("this-year");
  await page.getByRole("button", { name: "Show period" }).click();
  await expect(page).toHaveURL(/period=this-year/);
  const year = new Date().getUTCFullYear();
  await expect(page.getByTestId("period-label")).toHaveText(`${year}-01-01 to ${year}-12-31`);
  const yearTotals = await pageTotals(page);
  expect(yearTotals).toEqual({ "All licenses": ["0.25", "0", "0.25"], "LPC LPC5151 (TX)": ["0.25", "0", "0.25"] });
  const yearRows = await pageRows(page);
  expect(yearRows).toHaveLength(1);

  // The CSV of this period, read by Python's csv module, holds the page's rows and totals.
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  const csvFile = await save(csvDownload, dir);
  const csvRows = JSON.parse(execFileSync("python3", ["-c", "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))", csvFile], { encoding: "utf8" })) as string[][];
  expect(csvRows).toContainEqual(["Period", `${year}-01-01 to ${year}-12-31`]);
  const header = csvRows.findIndex((r) => r[0] === "Date");
  expect(csvRows.slice(header + 1, header + 2)).toEqual(yearRows);
  const totalsAt = csvRows.findIndex((r) => r[0] === "Totals for the period");
  expect(Object.fromEntries(csvRows.slice(totalsAt + 1, totalsAt + 3).map((r) => [r[0], r.slice(1)]))).toEqual(yearTotals);

  // Back to all time, then the PDF, read by pdftotext.
  await page.getByLabel("Show").selectOption("all");
  await page.getByRole("button", { name: "Show period" }).click();
  await expect(page.getByTestId("period-label")).toHaveText("all time");
  const [pdfDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download PDF" }).click()]);
  const text = execFileSync("pdftotext", ["-layout", await save(pdfDownload, dir), "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  for (const expected of ["Learner: Riley Transcript", "Licenses: LPC LPC5151 (TX)", "Period: all time", "Psychedelic Institute (NBCC NW-77)", "Self-reported", "(earned elsewhere)", "All licenses 0.25 1.5 1.75", "LPC LPC5151 (TX) 0.25 1.5 1.75", "Page 1 of 1"])
    expect(text).toContain(expected);
  // Each row the page showed: its date and title start the row, its licenses and hours end it (cells wrap in the PDF).
  for (const row of allRows) {
    expect(text).toContain(`${row[0]} ${row[1]} -`);
    expect(text).toContain(`${row[6]} ${row[7]}`);
  }

  // Edit, then delete with confirmation.
  await page.getByRole("link", { name: "Edit Set and setting in practice" }).click();
  await page.getByLabel("CE hours").fill("2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("The CE entry was saved.");
  expect((await pageTotals(page))["All licenses"]).toEqual(["0.25", "2", "2.25"]);

  // The admin: the platform part only, and told so.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  await gotoHydrated(admin, "/admin/users");
  await admin.getByLabel("Search users by name or email").fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  await admin.getByRole("link", { name: "Riley Transcript" }).click();
  const section = admin.getByTestId("admin-transcript");
  await expect(section.getByRole("heading", { name: "CE transcript: platform-issued" })).toBeVisible();
  await expect(section).toContainText("private to the learner and not shown here");
  await expect(section.getByTestId("admin-transcript-row")).toHaveCount(1);
  await expect(section.getByTestId("admin-transcript-row")).toContainText("Fixture Course for Tests");
  await expect(section.getByTestId("admin-transcript-total")).toHaveText("0.25 CE hours on valid certificates.");
  await expect(admin.locator("body")).not.toContainText("Northwest Psychedelic Institute");
  // Nor can the admin open the learner's entry or its file.
  expect((await admin.request.get(`/transcript/entries/${stored!.id}/file`)).status()).toBe(404);
  await adminContext.close();

  await page.getByRole("link", { name: "Delete Set and setting in practice" }).click();
  await expect(page.getByRole("heading", { name: "Delete this CE entry?" })).toBeVisible();
  await page.getByRole("button", { name: "Delete the entry" }).click();
  await expect(page.getByRole("status")).toContainText("The CE entry was deleted.");
  expect(await pageTotals(page)).toEqual({ "All licenses": ["0.25", "0", "0.25"], "LPC LPC5151 (TX)": ["0.25", "0", "0.25"] });
  expect(entries()).toEqual([]);
  db.close();
});
