import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { independentlyVerifyWithStatus } from "../credential-verifier.ts";
import { answerQuiz, DEMO, E2E_DB, fixtureQuiz, gotoHydrated, latestEmailTo, signIn, signUp, uniqueEmail } from "./utils.ts";

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${label}: ${v.id}`)).toEqual([]);
}

async function readAndComplete(page: Page, path: string) {
  await gotoHydrated(page, path);
  await page.getByRole("button", { name: "Mark lesson complete" }).scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
}

test("a learner completes the course: lessons, a failed quiz and a retake, evaluation, attestation", async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("complete");
  await signUp(page, { name: "Avery Complete", email, password: "finishing passphrase", license: { type: "LPC", number: "LPC 4242", state: "TX" } });

  // The quiz is locked until the module's lessons are complete.
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await expect(page.getByRole("status")).toContainText("Complete the 2 remaining lessons of this module");

  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  await readAndComplete(page, "/courses/fixture-course/basics/second-lesson");
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await expect(page.getByText("80%", { exact: true })).toBeVisible(); // pass mark shown before starting
  await page.getByRole("button", { name: "Start the quiz" }).click();

  // Fail: see which questions were missed and the lesson to re-study, not the keyed answers.
  await answerQuiz(page, fixtureQuiz("01.basics"), false);
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Not passed")).toBeVisible();
  await expect(page.getByText("0%", { exact: true })).toBeVisible();
  await expect(page.getByText("The correct answers are shown once you have passed this quiz.")).toBeVisible();
  const firstResult = page.getByTestId("result-question").first();
  await expect(firstResult).toContainText("Incorrect.");
  await expect(firstResult.getByRole("link", { name: /Welcome to the fixture|The second lesson/ })).toBeVisible();
  await expect(page.getByText("(correct answer)")).toHaveCount(0);
  await expect(page.getByText("Source:")).toHaveCount(0);

  // Retake and pass.
  await page.getByRole("link", { name: "Retake the quiz" }).click();
  await page.getByRole("button", { name: "Retake the quiz" }).click();
  await answerQuiz(page, fixtureQuiz("01.basics"));
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByText("Passed (pass mark 80%).")).toBeVisible();
  await expect(page.getByText("100%", { exact: true })).toBeVisible();
  // Passed: now the keys and sources are shown.
  await expect(page.getByText("(correct answer)").first()).toBeVisible();
  await expect(page.getByText(/^Source:/).first()).toBeVisible();

  // Module 2.
  await page.getByRole("link", { name: "Continue to module 2" }).click();
  await readAndComplete(page, "/courses/fixture-course/practice/case-work");
  await page.getByRole("link", { name: "Module quiz →" }).click();
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await answerQuiz(page, fixtureQuiz("02.practice"));
  await page.getByRole("button", { name: "Submit answers" }).click();
  await page.getByRole("link", { name: "Continue to the course evaluation" }).click();

  // Evaluation: a missing rating is refused with a message.
  await expect(page.getByRole("heading", { name: "Course evaluation" })).toBeVisible();
  await page.getByRole("button", { name: "Submit evaluation" }).click();
  await expect(page.getByRole("alert")).toContainText("Choose a rating from 1 to 5.");
  for (const group of await page.locator("fieldset.field").all()) await group.getByLabel("4").check();
  await page.getByLabel(/Any comments/).fill("Clear and practical.");
  await page.getByRole("button", { name: "Submit evaluation" }).click();

  // Attestation, then complete.
  await expect(page.getByRole("heading", { name: "Finish the course" })).toBeVisible();
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign and complete the course" }).click();
  await expect(page.getByRole("heading", { name: "Course complete" })).toBeVisible();
  await expect(page.getByText(/earned\s+0.25 CE hours/)).toBeVisible();

  await gotoHydrated(page, "/dashboard");
  await expect(page.getByTestId("dashboard-course").filter({ hasText: /^\s*Fixture Course for Tests/ })).toContainText("Completed on");

  // The certificate: page, PDF, transcript, public verification.
  await gotoHydrated(page, "/certificates");
  await expect(page.getByTestId("total-hours")).toHaveText("0.25 CE hours");
  await page.getByRole("link", { name: /^[A-Z2-7]{5}-/ }).click();
  await expect(page.getByRole("heading", { name: "Certificate of Completion" })).toBeVisible();
  await expect(page.getByText("LPC LPC4242 (TX)")).toBeVisible();
  await expectNoSeriousViolations(page, "certificate");
  const publicId = page.url().split("/").pop()!;
  const pdf = await page.request.get(`/certificates/${publicId}/pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kap-e2e-pdf-"));
  fs.writeFileSync(path.join(dir, "c.pdf"), await pdf.body());
  const text = execFileSync("pdftotext", [path.join(dir, "c.pdf"), "-"], { encoding: "utf8" });
  expect(text).toContain("Avery Complete");
  expect(text).toContain(publicId);
  fs.rmSync(dir, { recursive: true, force: true });
  const badge = await page.request.get(`/certificates/${publicId}/credential`);
  const credential = (await badge.json()) as Record<string, unknown>;
  expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
  // An outside verifier: the issuer's key from its DID document, the status list from the running site.
  const issuerKey = ((await (await page.request.get("/.well-known/did.json")).json()) as { verificationMethod: Array<{ publicKeyMultibase: string }> }).verificationMethod[0]!.publicKeyMultibase;
  const fetchList = async (url: string) => (await (await page.request.get(url)).json()) as Record<string, unknown>;
  expect(await independentlyVerifyWithStatus(credential, issuerKey, fetchList)).toEqual({ signature: true, status: "ok" });

  await page.goto(`/verify/${publicId}`);
  await expect(page.getByTestId("verify-status")).toHaveText("Valid certificate");
  await expect(page.getByRole("main").getByText("Avery Complete")).toBeVisible();
  await expectNoSeriousViolations(page, "verify");
  await expect(page.getByText("LPC4242")).toHaveCount(0);

  // The admin's certificate page and its confirmation step are accessible (checked with JavaScript, which axe needs).
  const axeContext = await page.context().browser()!.newContext();
  const axePage = await axeContext.newPage();
  await signIn(axePage, DEMO.admin.email, DEMO.admin.password);
  await gotoHydrated(axePage, `/admin/certificates/${publicId}`);
  await expectNoSeriousViolations(axePage, "certificate admin");
  await axePage.getByLabel("Reason (audit log only)").fill("Accessibility check only");
  await axePage.getByLabel("What the learner is told (emailed)").fill("Nothing is sent: this is not confirmed.");
  await axePage.getByRole("button", { name: "Review the reissue" }).click();
  await expect(axePage.getByRole("heading", { name: `Confirm: reissue certificate ${publicId}?` })).toBeVisible();
  await expectNoSeriousViolations(axePage, "reissue confirmation");
  await axeContext.close();

  // An admin revokes it through the confirmation step, in a browser without JavaScript (the forms are plain posts).
  const adminContext = await page.context().browser()!.newContext({ javaScriptEnabled: false });
  const admin = await adminContext.newPage();
  await admin.goto("/login");
  await admin.getByLabel("Email").fill(DEMO.admin.email);
  await admin.getByLabel("Password").fill(DEMO.admin.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.waitForURL((url) => !url.pathname.startsWith("/login"));
  await admin.goto(`/admin/certificates?q=${publicId}`);
  await admin.getByTestId("certificate-row").filter({ hasText: publicId }).getByRole("link", { name: `Manage certificate ${publicId}` }).click();
  await expect(admin.getByRole("heading", { name: `Certificate ${publicId}` })).toBeVisible();
  await admin.getByLabel("Public reason (shown on the public verification page)").fill("Issued in error during a test");
  await admin.getByLabel("Internal note (audit log only)").fill("INTERNAL e2e ticket 31");
  await admin.getByRole("button", { name: "Review the revocation" }).click();
  const confirm = admin.getByTestId("confirm-revoke");
  await expect(confirm.getByRole("heading", { name: `Confirm: revoke certificate ${publicId}?` })).toBeVisible();
  await expect(confirm).toContainText("Avery Complete");
  await expect(confirm).toContainText("Fixture Course for Tests");
  // Nothing has changed before the confirmation.
  expect((await (await page.request.get(`/api/verify/${publicId}`)).json()).status).toBe("valid");
  await confirm.getByRole("button", { name: `Revoke certificate ${publicId}` }).click();
  await expect(admin.getByRole("status")).toContainText(`Certificate ${publicId} revoked. The learner has been emailed.`);
  await expect(admin.getByTestId("admin-certificate-status")).toHaveText(/^Revoked on \d{4}-\d{2}-\d{2}$/);
  await adminContext.close();
  // What the server recorded: the public reason on the certificate, the internal note in the audit log only.
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  const recorded = db.prepare("select status, revoked_at, revoked_reason from certificates where public_id = ?").get(publicId) as { status: string; revoked_at: number; revoked_reason: string };
  const audit = db.prepare("select after from audit_log where action = 'certificate.revoked' and entity_id = ?").get(publicId) as { after: string };
  db.close();
  expect(recorded).toMatchObject({ status: "revoked", revoked_reason: "Issued in error during a test" });
  expect(JSON.parse(audit.after)).toEqual({ status: "revoked", publicReason: "Issued in error during a test", internalNote: "INTERNAL e2e ticket 31" });
  const revokedOn = new Date(recorded.revoked_at).toISOString().slice(0, 10);

  await page.goto(`/verify/${publicId}`);
  await expect(page.getByTestId("verify-status")).toHaveText(`Revoked on ${revokedOn}`);
  await expect(page.getByTestId("verify-reason")).toHaveText("Reason: Issued in error during a test");
  await expect(page.getByText("INTERNAL e2e ticket 31")).toHaveCount(0);
  const json = await (await page.request.get(`/api/verify/${publicId}`)).json();
  expect(json).toMatchObject({ status: "revoked", publicId, revokedAt: revokedOn, revokedReason: "Issued in error during a test" });
  expect(JSON.stringify(json)).not.toContain("INTERNAL");

  await gotoHydrated(page, "/dashboard");
  const course = page.getByTestId("dashboard-course").filter({ hasText: /^\s*Fixture Course for Tests/ });
  await expect(course.getByTestId("dashboard-certificate-standing")).toContainText(`Revoked on ${revokedOn}. Reason: Issued in error during a test`);
  await expect(course).not.toContainText("Completed on");
  await course.getByRole("link", { name: publicId }).click();
  await expect(page.getByTestId("certificate-standing")).toContainText(`Revoked on ${revokedOn}. Reason: Issued in error during a test`);
  await expect(page.getByRole("link", { name: "Download PDF" })).toHaveCount(0);
  await expectNoSeriousViolations(page, "revoked certificate");
  await expect(page.getByText("INTERNAL e2e ticket 31")).toHaveCount(0);
  const gone = await page.request.get(`/certificates/${publicId}/credential`);
  expect(gone.status()).toBe(410);
  expect(await gone.text()).toContain("It is no longer valid and cannot be downloaded.");
  // The Open Badge downloaded before the revocation now reports revoked.
  expect(await independentlyVerifyWithStatus(credential, issuerKey, fetchList)).toEqual({ signature: true, status: "revoked" });
  // The learner's notice, with the public reason and not the internal note.
  const mail = await latestEmailTo(email, /was revoked/);
  expect(mail).toContain("Reason: Issued in error during a test");
  expect(mail).not.toContain("INTERNAL");
  expect(JSON.stringify(json)).not.toMatch(/@clinic\.example|LPC4242/);
});

test("an open quiz page and its data carry no answer key or feedback", async ({ page }) => {
  await signUp(page, { name: "Kai Nokey", email: uniqueEmail("nokey"), password: "no keys for me please", license: { type: "RN", number: "RN 1", state: "FL" } });
  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  await readAndComplete(page, "/courses/fixture-course/basics/second-lesson");
  await gotoHydrated(page, "/courses/fixture-course/basics/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  await expect(page.locator("fieldset.quiz-question")).toHaveCount(3);
  const html = await (await page.request.get("/courses/fixture-course/basics/quiz")).text();
  const data = await (await page.request.get("/courses/fixture-course/basics/quiz.data")).text();
  for (const body of [html, data]) {
    expect(body).not.toMatch(/"answer"|"explanation"|Prescribing is the prescriber's role|"correct"/);
  }
});

test("without JavaScript a learner can mark a lesson complete and save a reflection", async ({ page, browser }) => {
  await signUp(page, { name: "Noor Noscript", email: uniqueEmail("noscript"), password: "plain html please", license: { type: "LCSW", number: "LCSW 77", state: "NY" } });
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const plain = await context.newPage();
  await plain.goto("/courses/fixture-course/basics/welcome");
  await plain.getByLabel("What drew you to this course?").fill("Written with scripts off.");
  await plain.getByRole("button", { name: /save/i }).click();
  await expect(plain).toHaveURL(/\/courses\/fixture-course\/basics\/welcome#reflection-first-thoughts$/);
  await expect(plain.getByLabel("What drew you to this course?")).toHaveValue("Written with scripts off.");
  await plain.getByRole("button", { name: "Mark lesson complete" }).click();
  await expect(plain).toHaveURL(/\/courses\/fixture-course\/basics\/welcome$/);
  await expect(plain.getByText("Lesson complete.")).toBeVisible();
  // A lesson with a minimum reading time cannot be credited without the page's script: it says so.
  await plain.goto("/courses/fixture-course/basics/second-lesson");
  await expect(plain.getByTestId("time-needed")).toContainText("Reading time still needed: 3 seconds. It is counted while this page is open and you are active on it (with JavaScript on).");
  await expect(plain.getByRole("button", { name: "Mark lesson complete" })).toBeDisabled();
  await context.close();
});

test("a lesson shows the reading time still needed; the button enables when the server has credited it", async ({ page }) => {
  const email = uniqueEmail("timer");
  await signUp(page, { name: "Tam Timer", email, password: "reading takes time", license: { type: "LPC", number: "LPC 909", state: "TX" } });
  await readAndComplete(page, "/courses/fixture-course/basics/welcome");
  // By the lesson's own link, as a learner goes on.
  await page.getByRole("link", { name: "The second lesson →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The second lesson");
  const button = page.getByRole("button", { name: "Mark lesson complete" });
  // The lesson needs 3 s; beats may already have credited a second or two by now.
  await expect(button).toBeDisabled();
  await expect(page.getByTestId("time-needed")).toContainText(/Reading time still needed: [1-3] seconds?\./);
  await button.scrollIntoViewIfNeeded();
  // Heartbeats (every second here) are credited by the server; the page follows its answers.
  await expect(page.getByTestId("time-needed")).toHaveText("You have spent the reading time this lesson needs.", { timeout: 15_000 });
  await expect(button).toBeEnabled();
  const db = new Database(E2E_DB, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("select p.active_seconds as s, p.completed_at as c from lesson_progress p join users u on u.id = p.user_id where u.email = ? and p.lesson_key = 'basics/second-lesson'").get(email) as { s: number; c: number | null };
    expect(row.s).toBeGreaterThanOrEqual(3);
    expect(row.c).toBeNull();
  } finally {
    db.close();
  }
  await button.click();
  await expect(page.getByText("Lesson complete.")).toBeVisible();
});
