import { expect, test } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

test("attacker text in a consumer command is shown as literal text and never runs", async ({ page }) => {
  const host = `inert-${Date.now()}`;
  const payload = `cmd.exe /c echo <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
  const binding = {
    "@timestamp": new Date().toISOString(),
    event: { code: "21", dataset: "windows.sysmon_operational" },
    host: { name: host },
    user: { name: "<b>mallory</b>" },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"<script>window.__pwned=3</script>\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${host}\\""`,
      },
    },
  };
  const consumer = {
    "@timestamp": new Date(Date.now() - 1000).toISOString(),
    event: { code: "20", dataset: "windows.sysmon_operational" },
    host: { name: host },
    winlog: {
      computer_name: host,
      event_data: {
        Operation: "Created",
        EventType: "WmiConsumerEvent",
        Name: ` "<script>window.__pwned=3</script>"`,
        Type: "Command Line",
        Destination: ` "${payload.replace(/"/g, '\\"')}"`,
      },
    },
  };
  await loginAs(page, "analyst");
  const res = await page.request.post(`/api/ingest?filename=${host}.ndjson`, {
    data: [consumer, binding].map((d) => JSON.stringify(d)).join("\n"),
  });
  expect(res.ok()).toBe(true);
  expect((await res.json()).alerts).toBe(1);

  await page.goto(`/alerts?host=${encodeURIComponent(host)}&status=open,acknowledged,closed`);
  await page.getByTestId("alert-row").first().locator('a[href^="/alerts/"]').first().click();
  await expect(page.getByRole("heading", { name: "Why it matched" })).toBeVisible();

  await expect(page.getByTestId("consumer-command")).toHaveText(payload);
  await expect(page.getByTestId("consumer-name")).toHaveText("<script>window.__pwned=3</script>");
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  await page.getByText("Raw event (ECS JSON)").click();
  await expect(page.getByTestId("raw-event")).toContainText("<script>window.__pwned=3</script>");
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.screenshot({ path: screenshotPath("e22-inert.png"), fullPage: false });
});
