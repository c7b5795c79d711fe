import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../../lib/demo-accounts";

export type DemoRole = (typeof DEMO_ACCOUNTS)[number]["role"];

/** Signs in through the login page as the demo user of that role (seeded by global setup). */
export async function loginAs(page: Page, role: DemoRole): Promise<void> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(account.name);
}
