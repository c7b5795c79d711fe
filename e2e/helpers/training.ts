import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { loginAs } from "./auth";

/**
 * The trainer, on /training/manage, assigns the scenario titled `title` to Ana Analyst; Ana then
 * signs in in a browser of her own and opens it from her training list. Close `context` when done.
 */
export async function assignToAnalystAndOpen(
  page: Page,
  browser: Browser,
  title: string,
): Promise<{ junior: Page; context: BrowserContext }> {
  await page.getByLabel("Scenario to assign").selectOption({ label: title });
  await page.getByRole("checkbox", { name: /Ana Analyst/ }).check();
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByText("Assigned to 1 trainee.")).toBeVisible();

  const context = await browser.newContext();
  const junior = await context.newPage();
  await loginAs(junior, "analyst");
  await junior.goto("/training");
  await junior.getByRole("link", { name: title }).click();
  return { junior, context };
}
