import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "../helpers/auth";

/** One Sysmon 21 on a host unique to this test: one alert. */
function ndjson(run: string, consumer: string) {
  return JSON.stringify({
    "@timestamp": "2030-05-01T10:00:00Z",
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: `${run}-host` },
    user: { name: "e2e" },
    winlog: {
      computer_name: `${run}-host`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${consumer}\\""`,
      },
    },
  });
}

async function upload(page: Page, run: string, consumer: string) {
  const res = await page.request.post(`/api/ingest?filename=${run}-${consumer}.ndjson`, {
    data: ndjson(run, consumer),
  });
  expect(res.ok()).toBe(true);
}

test("two analysts side by side: new alerts, status changes and assignments appear without reloading", async ({
  browser,
}) => {
  const run = `live${Date.now()}`;
  const ana = await browser.newContext();
  const lee = await browser.newContext();
  const a = await ana.newPage();
  const b = await lee.newPage();
  await loginAs(a, "analyst");
  await loginAs(b, "lead");

  // A watches the list; B's upload raises an alert: A gets the banner, Show brings it in
  await a.goto(`/alerts?q=${run}`);
  await expect(a.getByTestId("alert-row")).toHaveCount(0);
  await upload(b, run, "first");
  await expect(a.getByTestId("new-alerts-banner")).toContainText("1 new alert", { timeout: 20_000 });
  await a.getByTestId("new-alerts-banner").getByRole("button", { name: "Show" }).click();
  await expect(a.getByTestId("alert-row")).toHaveCount(1);
  await expect(a.getByTestId("new-alerts-banner")).toBeHidden();

  // both open the alert; B acknowledges and assigns it to A: A's page says so, A's badge counts it
  const href = (await a.getByTestId("alert-row").first().locator("a").first().getAttribute("href"))!;
  const unreadBefore = Number((await a.getByTestId("unread-badge").textContent())?.match(/\d+/)?.[0] ?? 0);
  await a.goto(href);
  await b.goto(href);
  await expect(a.getByTestId("alert-changed-note")).toHaveCount(0);
  await b.getByRole("button", { name: "Acknowledge" }).click();
  await expect(a.getByTestId("alert-changed-note")).toContainText("Lee Lead changed this alert", { timeout: 20_000 });
  await a.getByTestId("alert-changed-note").getByRole("button", { name: "Reload" }).click();
  await expect(a.getByTestId("alert-changed-note")).toBeHidden();

  await b
    .getByLabel(/Assign/)
    .first()
    .selectOption({ label: "Ana Analyst" });
  await expect(a.getByTestId("unread-count")).toHaveText(String(unreadBefore + 1), { timeout: 20_000 });

  // A's own change never shows as someone else's
  await a.reload();
  await expect(a.getByTestId("alert-changed-note")).toHaveCount(0);
  await ana.close();
  await lee.close();
});

test("the preview beside the list opens with Enter, follows j/k, and triages without leaving the list", async ({
  page,
}) => {
  const run = `prev${Date.now()}`;
  await loginAs(page, "analyst");
  await upload(page, run, "alpha");
  await upload(page, run, "beta");
  await page.goto(`/alerts?q=${run}&sort=consumer&dir=asc`);
  await expect(page.getByTestId("alert-row")).toHaveCount(2);
  await page.getByRole("heading", { name: "Alerts" }).click();
  await page.keyboard.press("Enter");
  const preview = page.getByTestId("alert-preview");
  await expect(preview).toContainText("alpha");
  await expect(preview).toContainText("Why it matched");
  await expect(preview.getByTestId("preview-subscription")).not.toBeEmpty();
  await page.keyboard.press("j");
  await expect(preview).toContainText("beta");
  await preview.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("alert-row").nth(1).getByTestId("status-cell")).toHaveText("Acknowledged");
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(preview.getByRole("link", { name: "Open full page" })).toHaveAttribute("href", /\/alerts\/[^?]+/);
  await page.keyboard.press("Escape");
  await expect(preview).toBeHidden();
});
