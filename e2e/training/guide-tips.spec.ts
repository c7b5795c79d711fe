import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";

test("a trainer's tip marked for every analyst shows, as plain text, on the live alert page", async ({
  page,
  browser,
}) => {
  const tag = `tip-${Date.now().toString(36)}`;
  const tip = `${tag}: compare the consumer path with <img src=x onerror="window.__tipRan=1"> the binding`;

  await loginAs(page, "trainer");
  await page.goto("/training/manage");
  await page.getByLabel("Guide step").selectOption("investigation.consumer-command");
  await page.getByLabel("Tip", { exact: true }).fill(tip);
  await page.getByRole("checkbox", { name: "Show to every analyst on the live alert page" }).check();
  await page.getByRole("button", { name: "Add tip" }).click();
  await expect(page.getByText("Tip saved.")).toBeVisible();

  const analystContext = await browser.newContext();
  const analyst = await analystContext.newPage();
  await loginAs(analyst, "analyst");
  const doc = {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: tag },
    user: { name: "tester" },
    winlog: {
      computer_name: tag,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"c-${tag}\\""`,
      },
    },
  };
  const res = await analyst.request.post(`/api/ingest?filename=${tag}.ndjson`, { data: JSON.stringify(doc) });
  expect((await res.json()).alerts).toBe(1);
  await analyst.goto(`/alerts?host=${encodeURIComponent(tag)}`);
  await analyst.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();
  const tips = analyst.getByTestId("tips-investigation.consumer-command");
  await expect(tips).toContainText(tip);
  await expect(tips).toContainText("Tip from Tia Trainer");
  await expect(tips.locator("img")).toHaveCount(0);
  expect(await analyst.evaluate(() => (window as unknown as { __tipRan?: number }).__tipRan)).toBeUndefined();
  await analystContext.close();
});
