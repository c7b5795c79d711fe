import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { loginAs } from "../helpers/auth";
import { screenshotPath } from "../helpers/screenshot-path";

const datasets = path.resolve(process.cwd(), "../shared/datasets");
const atomic = path.join(datasets, "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml");

/** Three Sysmon 21 documents on three hosts unique to this run: three alerts. */
function ndjson(run: string) {
  return [
    ["b", "updater", "2030-03-01T10:00:00Z"],
    ["a", "beacon", "2030-03-01T11:00:00Z"],
    ["c", "cleanup", "2030-03-01T12:00:00Z"],
  ]
    .map(([h, consumer, at]) =>
      JSON.stringify({
        "@timestamp": at,
        event: { code: "21", dataset: "windows.sysmon_operational", kind: "event" },
        host: { name: `${run}-${h}` },
        user: { name: "e2e" },
        winlog: {
          computer_name: `${run}-${h}`,
          event_data: {
            Operation: "Created",
            Consumer: ` "\\\\\\\\.\\\\ROOT\\\\subscription:CommandLineEventConsumer.Name=\\"${consumer}\\""`,
            Filter: ` "\\\\\\\\.\\\\ROOT\\\\subscription:__EventFilter.Name=\\"f-${consumer}\\""`,
          },
        },
      }),
    )
    .join("\n");
}

async function upload(page: Page, fileName: string, data: Buffer | string) {
  const response = await page.request.post(`/api/ingest?filename=${encodeURIComponent(fileName)}`, { data });
  expect(response.ok()).toBe(true);
  return (await response.json()) as { jobId: string; alerts: number };
}

const rows = (page: Page) => page.getByTestId("alert-row");

test("an analyst filters, sorts and triages alerts from the keyboard and in bulk", async ({ page }) => {
  const run = `e2e${Date.now().toString(36)}`;
  await loginAs(page, "analyst");
  await upload(page, "PanacheSysmon_vs_AtomicRedTeam01.evtx.xml", await readFile(atomic));
  const job = await upload(page, `${run}.ndjson`, ndjson(run));
  expect(job.alerts).toBe(3);

  // the Atomic Red Team alert, found through the host filter typed into the form
  await page.goto("/alerts");
  await page.getByLabel("Host", { exact: true }).fill("MSEDGEWIN10");
  await page.getByLabel("Host", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/[?&]host=MSEDGEWIN10(&|$)/);
  await expect(rows(page).first()).toContainText("AtomicRedTeam-WMIPersistence-Example");
  await expect(rows(page).first()).toContainText("CommandLineEventConsumer");

  await page.getByLabel("Host", { exact: true }).fill(`${run}-a`);
  await page.getByLabel("Host", { exact: true }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`host=${run}-a`));
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("beacon");

  // this upload's alerts, sorted by host through the column header
  await page.goto(`/alerts?job=${job.jobId}`);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId("alerts-total")).toHaveText("3 alert(s)");
  await page.getByRole("button", { name: "Host" }).click();
  await expect(page).toHaveURL(/sort=host/);
  const dir = new URL(page.url()).searchParams.get("dir");
  const expected = dir === "desc" ? ["c", "b", "a"] : ["a", "b", "c"];
  for (const [i, h] of expected.entries()) await expect(rows(page).nth(i)).toContainText(`${run}-${h}`);
  await page.getByRole("button", { name: "Host" }).click();
  await expect(page).toHaveURL(new RegExp(`dir=${dir === "desc" ? "asc" : "desc"}`));
  await expect(rows(page).first()).toContainText(`${run}-${expected[2]}`);

  // keyboard: j, j, k lands on the second row; a acknowledges it
  await page.goto(`/alerts?job=${job.jobId}&sort=host&dir=asc`);
  await expect(rows(page)).toHaveCount(3);
  await page.getByRole("heading", { name: "Alerts" }).click();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await expect(rows(page).nth(1)).toHaveAttribute("data-focused", "true");
  await page.keyboard.press("a");
  await expect(rows(page).nth(1).getByTestId("status-cell")).toHaveText("Acknowledged");
  await expect(rows(page).nth(0).getByTestId("status-cell")).toHaveText("Open");
  await expect(page.getByTestId("status-count-acknowledged")).toContainText("1");

  // ? opens the shortcuts help
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();

  // bulk: select the first and third row, acknowledge both
  await rows(page).nth(0).getByRole("checkbox").check();
  await rows(page).nth(2).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("2 selected");
  await page.getByTestId("bulk-bar").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("status")).toContainText("2 alert(s) acknowledged");
  for (const i of [0, 1, 2]) await expect(rows(page).nth(i).getByTestId("status-cell")).toHaveText("Acknowledged");
  await page.screenshot({ path: screenshotPath("e1-alerts-acknowledged.png"), fullPage: true });

  // the status chip filters: no open alerts left in this upload
  await page.getByTestId("status-count-open").click();
  await expect(page).toHaveURL(/status=open/);
  await expect(rows(page)).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("e1-alerts-empty.png"), fullPage: true });
});
