import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { alertIdFor, subscriptionEvent } from "../helpers/subscription-event";

test("a lead turns an alert into an exception, sees the what-if, saves it, and it is listed", async ({ page }) => {
  const tag = `ex${Date.now().toString(36)}`;
  const host = `E2E-${tag}`;
  const recordId = Date.now() % 1_000_000_000;
  await loginAs(page, "lead");

  const ingest = await page.request.post(`/api/ingest?filename=${tag}.ndjson`, {
    data: [subscriptionEvent(tag, host, recordId), subscriptionEvent(tag, `${host}-OTHER`, recordId + 1)]
      .map((d) => JSON.stringify(d))
      .join("\n"),
  });
  expect(ingest.status()).toBe(200);
  expect((await ingest.json()).alerts).toBe(2);
  const alertId = alertIdFor(host, recordId);

  await page.goto(`/exceptions/new?alert=${alertId}&fp=fp.admin-tools`);
  await expect(page.getByRole("heading", { name: "New exception" })).toBeVisible();
  await expect(page.getByText("False-positive check: Administrative scripts or tools.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(
    `Administrative scripts or tools: consumer ${tag}-agent on ${host}`,
  );
  // pre-filled: this consumer on this host, each case-sensitive and editable
  await expect(page.getByTestId("condition-row")).toHaveCount(2);
  await expect(page.getByLabel("Field 1")).toHaveValue("winlog.event_data.Consumer");
  await expect(page.getByLabel("Field 2")).toHaveValue("host.name");
  await expect(page.getByLabel("Value 2")).toHaveValue(host);
  await expect(page.getByLabel("Case-sensitive 2")).toBeChecked();

  // what-if: with the host condition, only this alert
  await page.getByRole("button", { name: "Preview impact (what-if)" }).click();
  await expect(page.getByTestId("whatif-alerts")).toContainText(/^1 of/);
  await expect(page.getByTestId("whatif-true-positives")).toHaveText("0");
  await expect(page.getByRole("link", { name: alertId.slice(0, 10) }).last()).toHaveAttribute(
    "href",
    `/alerts/${alertId}`,
  );

  // drop the host condition: the preview goes stale, and a new one finds the second host too
  await page.getByTestId("condition-row").nth(1).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("The conditions changed since this preview")).toBeVisible();
  await page.getByRole("button", { name: "Preview impact (what-if)" }).click();
  await expect(page.getByTestId("whatif-alerts")).toContainText(/^2 of/);
  await page.screenshot({ path: "test-results/exception-what-if.png", fullPage: true });

  await page.getByRole("button", { name: "Save exception" }).click();
  await expect(page).toHaveURL(/\/exceptions\?saved=/);
  await expect(page.getByText("Saved.")).toBeVisible();
  const row = page.getByTestId("exception-row").filter({ hasText: `consumer ${tag}-agent` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Lee Lead");
  await expect(row).toContainText(`winlog.event_data.Consumer is`);
  await page.screenshot({ path: "test-results/exceptions-list.png", fullPage: true });

  // the next ingest of that consumer is skipped, and the hit is counted
  const again = await page.request.post(`/api/ingest?filename=${tag}-again.ndjson`, {
    data: JSON.stringify(subscriptionEvent(tag, `${host}-NEW`, recordId + 2)),
  });
  expect((await again.json()).alerts).toBe(0);
  await page.reload();
  await expect(
    page
      .getByTestId("exception-row")
      .filter({ hasText: `consumer ${tag}-agent` })
      .locator("td")
      .nth(3),
  ).toHaveText("1");
});
