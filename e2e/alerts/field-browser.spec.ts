import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { loginAs } from "../helpers/auth";

/**
 * One Sysmon 21 alert on a host unique to this run, dated after every other spec's alerts so its
 * event is in the field browser's sample (the newest alerts' events), with a process.executable.
 */
function ndjson(run: string, executable: string) {
  return JSON.stringify({
    "@timestamp": "2095-06-01T10:00:00Z",
    event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
    host: { name: `${run}-h` },
    user: { name: "e2e" },
    process: { executable },
    winlog: {
      computer_name: `${run}-h`,
      event_data: {
        Operation: "Created",
        Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"fields-${run}\\""`,
        Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${run}\\""`,
      },
    },
  });
}

/** a field's box in the browser: its name is the path and the number of sampled events with it */
const fieldBox = (dialog: Locator, field: string) =>
  dialog.getByRole("checkbox", { name: new RegExp(`^${field.replaceAll(".", "\\.")} [\\d,]+$`) });
const header = (page: Page) => page.getByRole("columnheader", { name: "process.executable" });

async function toggleField(page: Page, field: string) {
  await page.getByRole("button", { name: /^Fields/ }).click();
  const dialog = page.getByRole("dialog", { name: "Fields" });
  await dialog.getByLabel("Search fields").fill(field.slice(0, 10));
  await fieldBox(dialog, field).click();
  return dialog;
}

test("an analyst adds an event field as a column, it stays after a reload and in another browser, and removes it", async ({
  page,
  browser,
}) => {
  const run = `e2e${Date.now().toString(36)}`;
  const executable = `C:\\Tools\\${run}\\<b>not-html</b>.exe`;
  await loginAs(page, "analyst");
  const response = await page.request.post(`/api/ingest?filename=${run}.ndjson`, { data: ndjson(run, executable) });
  expect(response.ok()).toBe(true);
  expect((await response.json()).alerts).toBe(1);

  const list = `/alerts?host=${encodeURIComponent(`${run}-h`)}`;
  await page.goto(list);
  await expect(page.getByTestId("alert-row")).toHaveCount(1);
  await expect(header(page)).toHaveCount(0);

  // the field browser lists the fields of the newest alerts' events: search, tick
  const dialog = await toggleField(page, "process.executable");
  await expect(fieldBox(dialog, "process.executable")).toBeChecked();
  await expect(dialog).toContainText("from the events of the newest");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "critical" || v.impact === "serious").map((v) => v.id)).toEqual([]);
  await dialog.getByRole("button", { name: "Done" }).click();

  // the value column: the event's value as text (never HTML)
  await expect(header(page)).toBeVisible();
  const cell = page.getByTestId("field-cell");
  await expect(cell).toHaveText(executable);
  await expect(cell.locator("b")).toHaveCount(0);

  // saved on the server: after a reload, and for the same user in another browser
  await page.reload();
  await expect(page.getByTestId("field-cell")).toHaveText(executable);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginAs(otherPage, "analyst");
  await otherPage.goto(list);
  await expect(otherPage.getByTestId("field-cell")).toHaveText(executable);
  await other.close();

  // untick: the column goes, and stays gone after a reload
  const again = await toggleField(page, "process.executable");
  await expect(fieldBox(again, "process.executable")).not.toBeChecked();
  await again.getByRole("button", { name: "Done" }).click();
  await expect(header(page)).toHaveCount(0);
  // the save runs behind the click: wait for the server to hold it before reloading
  await expect(async () => {
    await page.reload();
    await expect(header(page)).toHaveCount(0, { timeout: 1000 });
  }).toPass();
});
