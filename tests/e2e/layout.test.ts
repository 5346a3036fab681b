import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./utils.ts";

/**
 * The header and pages with the longest name the site accepts (80 characters, one
 * word of 29), at a 375 px phone and a 1280 px desktop: nothing runs off the page,
 * the header keeps to one row of brand, navigation and user on a desktop and two
 * on a phone, and the name is cut with an ellipsis while its link's title holds
 * it whole. Screenshots are attached to the test report.
 */
const LONG_NAME = "Maximiliana Alexandrina Wolfeschlegelsteinhausen-Bergerdorff Ortiz de Montoya";

async function measure(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector(".site-header")!.getBoundingClientRect();
    const name = document.querySelector<HTMLElement>(".user-menu__name")!;
    return {
      pageWidth: document.documentElement.scrollWidth,
      headerHeight: Math.round(header.height),
      nameCut: name.scrollWidth > name.clientWidth,
      nameRight: name.getBoundingClientRect().right,
    };
  });
}

test("the longest accepted name fits the header and the pages at 375 px and 1280 px", async ({ page }, testInfo) => {
  expect(LONG_NAME.length).toBeLessThanOrEqual(80);
  await signUp(page, { name: LONG_NAME, email: uniqueEmail("longname"), password: "a name too long to print", license: { type: "LPC", number: "LPC 8080", state: "TX" } });
  await expect(page.getByRole("link", { name: LONG_NAME })).toHaveAttribute("title", LONG_NAME);
  for (const [width, maxHeader] of [[375, 120], [1280, 72]] as const) {
    await page.setViewportSize({ width, height: 800 });
    for (const link of ["Dashboard", "Certificates", "Courses"]) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
      await expect(page.getByRole("link", { name: link, exact: true }).first()).toHaveAttribute("aria-current", "page");
      const m = await measure(page);
      await testInfo.attach(`${width}px ${link}`, { body: await page.screenshot(), contentType: "image/png" });
      expect(m.pageWidth, `${link} at ${width} px is wider than the screen`).toBeLessThanOrEqual(width);
      expect(m.headerHeight, `${link} header at ${width} px`).toBeLessThanOrEqual(maxHeader);
      expect(m.nameCut).toBe(true);
      expect(m.nameRight).toBeLessThanOrEqual(width);
    }
  }
});
