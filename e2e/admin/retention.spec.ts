import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

test("an admin sets how long events are kept and purges; a lead cannot", async ({ page }) => {
  await loginAs(page, "lead");
  await page.goto("/admin/retention");
  await expect(page).toHaveURL(/\/forbidden/);
  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();

  await loginAs(page, "admin");
  await page.getByTestId("nav-more").locator("summary").click(); // admin pages sit in the nav's menu
  await page.getByRole("link", { name: "Retention" }).click();
  await expect(page.getByRole("heading", { name: "Event retention" })).toBeVisible();
  await expect(page.getByText(/WMI subscription events \(Sysmon 19\/20\/21\)/)).toBeVisible();

  const days = page.getByLabel("Keep events for (days)");
  await days.fill("0");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(days).toHaveJSProperty("validity.valid", false); // the browser's own check stops it first

  await days.fill("45");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Events are kept for 45 days");
  await page.reload();
  await expect(page.getByTestId("retention-summary")).toContainText("kept for 45 days after they are stored");
  await expect(page.getByTestId("retention-summary")).toContainText("set by Ada Admin");

  await page.getByRole("button", { name: "Purge expired events now" }).click();
  await expect(page.getByRole("status")).toContainText(/expired events deleted, [\d,]+ kept as evidence/);
  await page.reload();
  await expect(page.getByTestId("last-purge")).toContainText(/expired events deleted/);

  await page.getByLabel("Keep events for (days)").fill("90");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Events are kept for 90 days");
});
