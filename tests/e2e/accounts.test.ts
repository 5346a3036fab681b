import { expect, test } from "@playwright/test";
import { DEMO, gotoHydrated, latestEmailTo, signIn, signUp, signUpLink, submitSignUp, uniqueEmail } from "./utils.ts";

test("sign up, sign out, sign in, edit profile", async ({ page }) => {
  const email = uniqueEmail("signup");
  await gotoHydrated(page, "/signup");
  await page.getByLabel("Full legal name").fill("Priya Natarajan");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("slow river morning light");
  await page.getByLabel("Repeat password").fill("slow river morning light");
  await page.getByLabel("License type").selectOption("LMFT");
  await page.getByLabel("License number").fill("lmft 55012");
  await page.getByLabel("Issuing state").selectOption("CA");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(`We have sent a message to ${email}`);
  // No account until the emailed link is followed (decision 015).
  await signIn(page, email, "slow river morning light", { expectError: true });

  await gotoHydrated(page, await signUpLink(email));
  await expect(page.getByText(`Create the account of Priya Natarajan for ${email}`)).toBeVisible();
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { name: "Welcome, Priya Natarajan" })).toBeVisible();
  await expect(page.getByText("LMFT LMFT55012, CA")).toBeVisible();
  await expect(page.getByTestId("role-badge")).toHaveText("Learner");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?notice=signed-out/);
  await expect(page.getByText("You have been signed out.")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);

  await signIn(page, email, "slow river morning light");
  await expect(page).toHaveURL(/\/dashboard$/);

  await gotoHydrated(page, "/account");
  await page.getByLabel("Full legal name").fill("Priya Natarajan-Hale");
  await page.getByRole("button", { name: "Add another license" }).click();
  const rows = page.getByTestId("license-row");
  await expect(rows).toHaveCount(2);
  await rows.nth(1).getByLabel("License type").selectOption("LPCC");
  await rows.nth(1).getByLabel("License number").fill("LPCC 1209");
  await rows.nth(1).getByLabel("Issuing state").selectOption("CA");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile was saved.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Priya Natarajan-Hale" })).toBeVisible();
  await expect(page.getByTestId("license-row")).toHaveCount(2);
  await expect(page.getByTestId("license-row").nth(1).getByLabel("License number")).toHaveValue("LPCC1209");
});

test("finding 6: signing up with a registered email answers as for a new one and emails its owner", async ({ page }) => {
  const email = uniqueEmail("taken");
  await signUp(page, { name: "Ines Owner", email, password: "the owner's passphrase", license: { type: "LPC", number: "LPC 1", state: "TX" } });
  await page.context().clearCookies();
  await submitSignUp(page, { name: "Someone Else", email, password: "an intruder passphrase", license: { type: "LPC", number: "LPC 2", state: "TX" } });
  const mail = await latestEmailTo(email, /Someone just tried to create/);
  expect(mail).toContain("Hello Ines Owner");
  expect(mail).not.toMatch(/signup\?token=/);
  await signIn(page, email, "an intruder passphrase", { expectError: true });
  await signIn(page, email, "the owner's passphrase");
  await expect(page).toHaveURL(/\/dashboard/);
});

test("sign-up with bad input shows specific messages and creates nothing", async ({ page }) => {
  const email = uniqueEmail("bad-signup");
  await gotoHydrated(page, "/signup");
  await page.getByLabel("Full legal name").fill("Lee Park");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat password").fill("different");
  await page.getByRole("button", { name: "Create account" }).click();
  const summary = page.getByRole("alert").first();
  await expect(summary).toContainText("Use at least 10 characters.");
  await expect(summary).toContainText("The two passwords do not match.");
  await expect(summary).toContainText("Add at least one license.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await signIn(page, email, "short", { expectError: true });
  await expect(page.getByRole("alert")).toContainText("The email or password is incorrect.");
});

test("reset a forgotten password from the emailed link", async ({ page }) => {
  const email = uniqueEmail("reset");
  await signUp(page, { name: "Tomás Ortega", email, password: "first passphrase here", license: { type: "LCSW", number: "LCSW 7781", state: "NM" } });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an Email field too: wait until the client-side navigation is done.
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await expect(page.locator("html[data-hydrated='true']")).toBeAttached();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("we have sent it a link");

  const mail = await latestEmailTo(email, /reset-password\?token=/);
  const link = mail.match(/http:\/\/localhost:\d+\/reset-password\?token=[a-z0-9]+/)![0];
  await gotoHydrated(page, link);
  await expect(page.getByText(email)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("second passphrase now");
  await page.getByLabel("Repeat new password").fill("second passphrase now");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/login\?notice=password-reset/);

  await signIn(page, email, "second passphrase now");
  await expect(page).toHaveURL(/\/dashboard/);

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("already been used");
});

test("change password signs out other devices", async ({ page, browser }) => {
  const email = uniqueEmail("change");
  await signUp(page, { name: "Ruth Adeyemi", email, password: "original passphrase", license: { type: "RN", number: "RN 44120", state: "FL" } });

  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, email, "original passphrase");
  await expect(other).toHaveURL(/\/dashboard/);

  await gotoHydrated(page, "/account/password");
  await page.getByLabel("Current password").fill("original passphrase");
  await page.getByLabel("New password", { exact: true }).fill("replacement passphrase");
  await page.getByLabel("Repeat new password").fill("replacement passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed.")).toBeVisible();
  // This browser stays signed in; the other is signed out.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard/);
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/login/);
  await otherDevice.close();
});

for (const role of ["admin", "author", "mentor", "learner"] as const) {
  test(`the demo ${role} can sign in`, async ({ page }) => {
    await signIn(page, DEMO[role].email, DEMO[role].password);
    await expect(page).toHaveURL(/\/dashboard/);
    await expect(page.getByRole("heading", { name: `Welcome, ${DEMO[role].name}` })).toBeVisible();
    await expect(page.getByTestId("role-badge")).toHaveText(role[0]!.toUpperCase() + role.slice(1));
  });
}
