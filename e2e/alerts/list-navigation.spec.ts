import { expect, test, type Page } from "@playwright/test";
import { sysmon21Doc } from "../../lib/triage/testing/sysmon-docs";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

/** Sysmon 21 documents on hosts unique to this run: one alert each. */
function ndjson(run: string, alerts: [host: string, consumer: string, at: string][]) {
  return alerts
    .map(([h, consumer, at]) => JSON.stringify(sysmon21Doc({ host: `${run}-${h}`, consumer, at })))
    .join("\n");
}

const rows = (page: Page) => page.getByTestId("alert-row");

test("[ and ] walk the filtered, sorted list the alert was opened from, like k and j", async ({ page }) => {
  const run = `nav${Date.now().toString(36)}`;
  await loginAs(page, "analyst");
  const response = await page.request.post(`/api/ingest?filename=${run}.ndjson`, {
    data: ndjson(run, [
      ["srv-1", "charlie", "2030-04-01T10:00:00Z"],
      ["srv-2", "alpha", "2030-04-01T11:00:00Z"],
      ["srv-3", "bravo", "2030-04-01T12:00:00Z"],
      ["wks-1", "aardvark", "2030-04-01T13:00:00Z"],
    ]),
  });
  expect(response.ok()).toBe(true);

  // inside a filter (this run's servers) sorted by consumer: alpha, bravo, charlie — not by time
  const list = `/alerts?q=${run}-srv&sort=consumer&dir=asc`;
  await page.goto(list);
  await expect(rows(page)).toHaveCount(3);
  const order = ["alpha", "bravo", "charlie"];
  for (const [i, c] of order.entries()) await expect(rows(page).nth(i)).toContainText(c);
  await rows(page).first().locator('a[href^="/alerts/"]').first().click();

  // alpha is on srv-2, bravo on srv-3, charlie on srv-1
  const header = page.locator("main header").first();
  await expect(page.getByTestId("alert-position")).toHaveText("1 of 3");
  await expect(header).toContainText(`${run}-srv-2`);
  await page.keyboard.press("]");
  await expect(page.getByTestId("alert-position")).toHaveText("2 of 3");
  await expect(header).toContainText(`${run}-srv-3`);
  await page.keyboard.press("]");
  await expect(page.getByTestId("alert-position")).toHaveText("3 of 3");
  await expect(header).toContainText(`${run}-srv-1`);
  // the end of the list: ] stays, Next is disabled; the workstation outside the filter is never reached
  await page.keyboard.press("]");
  await expect(header).toContainText(`${run}-srv-1`);
  await page.keyboard.press("[");
  await expect(page.getByTestId("alert-position")).toHaveText("2 of 3");
  await expect(header).toContainText(`${run}-srv-3`);
  await page.screenshot({ path: screenshotPath("h17-nav.png") });

  // "All alerts" goes back to the same filtered, sorted list
  await page.getByRole("link", { name: "← All alerts" }).click();
  await expect(page).toHaveURL(/sort=consumer/);
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).first()).toContainText("alpha");
});

test("an unknown alert id and an unknown route answer 404 with the app's own page", async ({ page }) => {
  await loginAs(page, "analyst");
  const missing = await page.goto(`/alerts/no-such-alert-${Date.now()}`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such alert" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toBeVisible();
  const unknown = await page.goto(`/no-such-page-${Date.now()}`);
  expect(unknown?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toContainText("Page not found");
  await expect(page.getByTestId("current-user")).toBeVisible();
  // the list page still answers 200
  expect((await page.goto("/alerts"))?.status()).toBe(200);
});
