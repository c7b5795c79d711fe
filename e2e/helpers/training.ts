import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { loginAs } from "./auth";

/**
 * Signed in as the trainer: installs the shipped packs, creates the scenario `title` from the
 * Atomic Red Team pack and opens it (its heading shown).
 */
export async function createAtomicScenario(page: Page, title: string): Promise<void> {
  await loginAs(page, "trainer");
  await page.goto("/training/manage");
  await page.getByRole("button", { name: "Install shipped packs" }).click();
  await expect(page.getByTestId("pack-install-results")).not.toContainText("failed");
  await page.getByLabel("Pack").selectOption({ label: "Atomic Red Team: CommandLineEventConsumer persistence" });
  await page.getByLabel("Scenario title").fill(title);
  await page.getByRole("button", { name: "Create scenario" }).click();
  await page.getByTestId("scenario-table").getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
}

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
